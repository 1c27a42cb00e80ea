import { describe, expect, it } from 'vitest';
import { parseReceiptKey } from '@krt/payments';
import { DEV_RECEIPT_KEY, loadPaymentsConfig, receiptKeyOf, sandboxDepositsOf } from './config';

describe('payments configuration: the receipt signing key', () => {
  it('when nothing is set outside production, then the development key is used (and is a valid 32-byte key)', () => {
    const cfg = loadPaymentsConfig({ NODE_ENV: 'development' });
    expect(cfg.PAYMENTS_RECEIPT_KEY).toBe(DEV_RECEIPT_KEY);
    expect(parseReceiptKey(cfg.PAYMENTS_RECEIPT_KEY)).toHaveLength(32);
    expect(receiptKeyOf(cfg)).toHaveLength(32);
  });

  it('when the production API starts without PAYMENTS_RECEIPT_KEY, then it is refused; with a real key it starts; a short key never', () => {
    // The configuration itself loads (consumers issue no receipts and need no key)…
    const cfg = loadPaymentsConfig({ NODE_ENV: 'production' });
    // …but a process that signs receipts refuses the development key.
    expect(() => receiptKeyOf(cfg)).toThrow(/PAYMENTS_RECEIPT_KEY must be set in production/);
    const key = 'ab'.repeat(32);
    expect(receiptKeyOf(loadPaymentsConfig({ NODE_ENV: 'production', PAYMENTS_RECEIPT_KEY: key }))).toEqual(Buffer.from(key, 'hex'));
    expect(() => receiptKeyOf(loadPaymentsConfig({ NODE_ENV: 'production', PAYMENTS_RECEIPT_KEY: 'ab'.repeat(8) }))).toThrow(/at least 32 bytes/);
  });
});

describe('payments configuration: sandbox deposits (issue #19)', () => {
  it('when outside production, then operators may request deposits, with a one-day request TTL by default', () => {
    expect(sandboxDepositsOf(loadPaymentsConfig({ NODE_ENV: 'development' }))).toEqual({ enabled: true, requestTtlSeconds: 86_400 });
    expect(sandboxDepositsOf(loadPaymentsConfig({ NODE_ENV: 'test', DEPOSIT_REQUEST_TTL_SECONDS: '60' }))).toEqual({ enabled: true, requestTtlSeconds: 60 });
  });

  it('when in production, then sandbox deposits are refused unless SANDBOX_DEPOSITS_ENABLED=true', () => {
    expect(sandboxDepositsOf(loadPaymentsConfig({ NODE_ENV: 'production' })).enabled).toBe(false);
    expect(sandboxDepositsOf(loadPaymentsConfig({ NODE_ENV: 'production', SANDBOX_DEPOSITS_ENABLED: 'false' })).enabled).toBe(false);
    expect(sandboxDepositsOf(loadPaymentsConfig({ NODE_ENV: 'production', SANDBOX_DEPOSITS_ENABLED: 'true' })).enabled).toBe(true);
    expect(() => loadPaymentsConfig({ SANDBOX_DEPOSITS_ENABLED: 'yes' })).toThrow(/SANDBOX_DEPOSITS_ENABLED/);
  });
});
