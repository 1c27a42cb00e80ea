// The transaction PIN's keyed hash (issue #23), shared by onboarding (the PIN chosen at registration) and payments
// (which stores and checks it). HMAC-SHA256 under a server-side key over `${customerId}:${pin}`: a stolen table alone
// cannot be searched for the 10,000 PINs without the key, and one customer's hash says nothing of another's.
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Development key. Production must set TRANSACTION_PIN_KEY (32+ random bytes, hex or base64, the same for onboarding
 * and every payments API replica); transactionPinKeyOf refuses this default when NODE_ENV=production. Never logged.
 */
export const DEV_TRANSACTION_PIN_KEY = '6b72742d7472616e73616374696f6e2d70696e2d6465762d6b65792d6e6f7421';

/** TRANSACTION_PIN_KEY as bytes: hex (an even number of hex digits) or base64, at least 32 bytes. */
export function parseTransactionPinKey(text: string): Buffer {
  const key = /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length < 32) throw new Error('TRANSACTION_PIN_KEY must be at least 32 bytes (64 hex characters or base64)');
  return key;
}

/** The key of a process that hashes or checks PINs: refused in production while it is the development key. */
export function transactionPinKeyOf(cfg: { NODE_ENV: string; TRANSACTION_PIN_KEY: string }): Buffer {
  if (cfg.NODE_ENV === 'production' && cfg.TRANSACTION_PIN_KEY === DEV_TRANSACTION_PIN_KEY) {
    throw new Error('invalid configuration: TRANSACTION_PIN_KEY must be set in production');
  }
  return parseTransactionPinKey(cfg.TRANSACTION_PIN_KEY);
}

/** base64url(HMAC-SHA256(key, `${customerId}:${pin}`)); the customer id in lower case, as PostgreSQL prints a uuid. */
export function hashTransactionPin(key: Uint8Array, customerId: string, pin: string): string {
  return createHmac('sha256', key).update(`${customerId.toLowerCase()}:${pin}`).digest('base64url');
}

/** Whether `pin` is the customer's PIN whose hash is `stored` (constant-time comparison). */
export function transactionPinMatches(key: Uint8Array, customerId: string, pin: string, stored: string): boolean {
  const expected = Buffer.from(hashTransactionPin(key, customerId, pin), 'base64url');
  const actual = Buffer.from(stored, 'base64url');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
