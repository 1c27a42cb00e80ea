import { describe, expect, it } from 'vitest';
import { parseReceiptKey } from '@krt/payments';
import { DEV_RECEIPT_KEY, loadPaymentsConfig } from './config';

describe('payments configuration: the receipt signing key', () => {
  it('when nothing is set outside production, then the development key is used (and is a valid 32-byte key)', () => {
    const cfg = loadPaymentsConfig({ NODE_ENV: 'development' });
    expect(cfg.PAYMENTS_RECEIPT_KEY).toBe(DEV_RECEIPT_KEY);
    expect(parseReceiptKey(cfg.PAYMENTS_RECEIPT_KEY)).toHaveLength(32);
  });

  it('when production starts without PAYMENTS_RECEIPT_KEY, then start-up is refused; with a real key it starts', () => {
    expect(() => loadPaymentsConfig({ NODE_ENV: 'production' })).toThrow(/PAYMENTS_RECEIPT_KEY must be set in production/);
    const key = 'ab'.repeat(32);
    expect(loadPaymentsConfig({ NODE_ENV: 'production', PAYMENTS_RECEIPT_KEY: key }).PAYMENTS_RECEIPT_KEY).toBe(key);
  });
});
