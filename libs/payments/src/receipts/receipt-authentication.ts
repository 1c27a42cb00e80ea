// A PIX receipt's authentication code ("autenticação"): the bank's HMAC-SHA256 over the receipt's canonical fields.
// Pure: no I/O, the key is handed in. Anyone holding a receipt can check it on the public verification page; a receipt
// with any field changed (amount, parties, date, EndToEndId, …) no longer matches its code.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The fields a receipt attests, as stored (centavos, full names, CPF digits). */
export interface ReceiptFields {
  endToEndId: string;
  amountCentavos: bigint;
  status: 'COMPLETED';
  /** When the transfer settled (ISO 8601, UTC). */
  completedAt: string;
  description: string;
  payerName: string;
  payerCpf: string;
  payerAgency: string;
  payerAccount: string;
  receiverName: string;
  receiverCpf: string;
  receiverAgency: string;
  receiverAccount: string;
}

/** Bumped if the canonical form ever changes, so old codes are never compared against a new form by accident. */
const CANONICAL_VERSION = 'krt-pix-receipt/v1';
/** 20 bytes of the HMAC (160 bits), as 32 base32 characters. */
const CODE_BYTES = 20;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The canonical form: a JSON array in a fixed order (lengths are unambiguous, no field can bleed into the next).
 * Strings are NFC-normalised so the same name typed in two Unicode forms signs the same.
 */
export function canonicalReceipt(f: ReceiptFields): string {
  const s = (v: string) => v.normalize('NFC');
  return JSON.stringify([
    CANONICAL_VERSION,
    s(f.endToEndId),
    f.amountCentavos.toString(),
    f.status,
    new Date(f.completedAt).toISOString(),
    s(f.description),
    s(f.payerName),
    f.payerCpf.replace(/\D/g, ''),
    s(f.payerAgency),
    s(f.payerAccount),
    s(f.receiverName),
    f.receiverCpf.replace(/\D/g, ''),
    s(f.receiverAgency),
    s(f.receiverAccount),
  ]);
}

function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** The code (32 characters of base32, no separators) of a receipt under `key`. */
export function receiptAuthenticationCode(key: Uint8Array, fields: ReceiptFields): string {
  const mac = createHmac('sha256', key).update(canonicalReceipt(fields), 'utf8').digest();
  return base32(mac.subarray(0, CODE_BYTES));
}

/** `ABCD EFGH …`: the code in groups of four, as the receipt prints it. */
export function formatAuthenticationCode(code: string): string {
  return (normaliseAuthenticationCode(code) ?? code).replace(/(.{4})(?=.)/g, '$1 ');
}

/** What a person typed (any case, spaces, dots or dashes between groups) → the bare code, or undefined if not one. */
export function normaliseAuthenticationCode(typed: string): string | undefined {
  const bare = typed.replace(/[\s.-]/g, '').toUpperCase();
  return /^[A-Z2-7]{32}$/.test(bare) ? bare : undefined;
}

/** Whether `typed` is the code of these fields under `key`; compared in constant time. */
export function verifyAuthenticationCode(key: Uint8Array, fields: ReceiptFields, typed: string): boolean {
  const expected = Buffer.from(receiptAuthenticationCode(key, fields), 'ascii');
  const given = Buffer.from(normaliseAuthenticationCode(typed) ?? '', 'ascii');
  // Lengths differ only for input that is not a code at all; compare anyway so the time does not depend on the input.
  const same = timingSafeEqual(expected, given.length === expected.length ? given : Buffer.alloc(expected.length));
  return same && given.length === expected.length;
}

/**
 * The signing key from configuration: 32+ bytes as hex or base64. Refuses anything shorter (a weak key makes every
 * receipt forgeable).
 */
export function parseReceiptKey(value: string): Buffer {
  const key = /^[0-9a-fA-F]+$/.test(value) && value.length % 2 === 0 ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length < 32) throw new Error('PAYMENTS_RECEIPT_KEY must be at least 32 bytes (64 hex characters or base64)');
  return key;
}
