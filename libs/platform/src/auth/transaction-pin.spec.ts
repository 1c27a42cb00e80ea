import { describe, expect, it } from 'vitest';
import { DEV_TRANSACTION_PIN_KEY, hashTransactionPin, parseTransactionPinKey, transactionPinKeyOf, transactionPinMatches } from './transaction-pin';

const key = parseTransactionPinKey(DEV_TRANSACTION_PIN_KEY);
const customer = '0b7c3c39-58f4-4c52-9d6a-2f1c0b3e9a11';

describe('transaction PIN hash', () => {
  it('when a PIN is hashed, then the hash is a base64url HMAC that names neither the PIN nor the customer, and only the same PIN of the same customer matches', () => {
    const stored = hashTransactionPin(key, customer, '4721');
    expect(stored).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain('4721');
    expect(transactionPinMatches(key, customer, '4721', stored)).toBe(true);
    expect(transactionPinMatches(key, customer, '4722', stored)).toBe(false);
    expect(transactionPinMatches(key, '1b7c3c39-58f4-4c52-9d6a-2f1c0b3e9a11', '4721', stored)).toBe(false);
    expect(transactionPinMatches(parseTransactionPinKey('cd'.repeat(32)), customer, '4721', stored)).toBe(false);
    expect(hashTransactionPin(key, customer.toUpperCase(), '4721')).toBe(stored);
    expect(transactionPinMatches(key, customer, '4721', 'short')).toBe(false);
  });

  it('when the key is hex or base64 of 32+ bytes it is read; shorter is refused; the development key is refused in production', () => {
    expect(parseTransactionPinKey('ab'.repeat(32))).toEqual(Buffer.from('ab'.repeat(32), 'hex'));
    expect(parseTransactionPinKey(Buffer.alloc(40, 7).toString('base64'))).toEqual(Buffer.alloc(40, 7));
    expect(() => parseTransactionPinKey('ab'.repeat(16))).toThrow(/at least 32 bytes/);
    expect(transactionPinKeyOf({ NODE_ENV: 'development', TRANSACTION_PIN_KEY: DEV_TRANSACTION_PIN_KEY })).toHaveLength(32);
    expect(() => transactionPinKeyOf({ NODE_ENV: 'production', TRANSACTION_PIN_KEY: DEV_TRANSACTION_PIN_KEY })).toThrow(/TRANSACTION_PIN_KEY must be set in production/);
    expect(transactionPinKeyOf({ NODE_ENV: 'production', TRANSACTION_PIN_KEY: 'ef'.repeat(32) })).toEqual(Buffer.from('ef'.repeat(32), 'hex'));
  });
});
