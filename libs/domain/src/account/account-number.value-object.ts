import { invalidArgument } from '../shared/domain.error';

/** KRT Bank has one branch. */
export const KRT_AGENCY = '0001';
export const ACCOUNT_SEQUENCE_DIGITS = 6;
const MAX_SEQUENCE = 10n ** BigInt(ACCOUNT_SEQUENCE_DIGITS) - 1n;
const ACCOUNT_NUMBER = /^(\d{6})-(\d)$/;

/**
 * Mod-11 check digit of the zero-padded 6-digit sequence:
 * weights 2, 3, 4, 5, 6, 7 from the rightmost digit leftwards (cycling 2…9 for longer
 * numbers); s = Σ digit × weight; dv = 11 − (s mod 11); dv of 10 or 11 becomes 0.
 * Example: 000123 → 3·2 + 2·3 + 1·4 = 16; 16 mod 11 = 5; 11 − 5 = 6 → `000123-6`.
 */
export function accountCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits.charAt(digits.length - 1 - i));
    sum += digit * (2 + (i % 8));
  }
  const dv = 11 - (sum % 11);
  return dv >= 10 ? 0 : dv;
}

/** `accountNumberWithCheckDigit(123)` → `000123-6`. The sequence must be 1 … 999999. */
export function accountNumberWithCheckDigit(sequence: number | bigint): string {
  const seq = typeof sequence === 'bigint' ? sequence : toBigInt(sequence);
  if (seq < 1n || seq > MAX_SEQUENCE) invalidArgument(`account sequence out of range: ${seq}`, 'sequence');
  const digits = seq.toString().padStart(ACCOUNT_SEQUENCE_DIGITS, '0');
  return `${digits}-${accountCheckDigit(digits)}`;
}

export function isValidAccountNumber(accountNumber: string): boolean {
  const match = typeof accountNumber === 'string' ? ACCOUNT_NUMBER.exec(accountNumber) : null;
  if (!match) return false;
  const [, digits = '', dv = ''] = match;
  return digits !== '000000' && accountCheckDigit(digits) === Number(dv);
}

function toBigInt(value: number): bigint {
  if (!Number.isSafeInteger(value)) invalidArgument(`account sequence must be an integer: ${value}`, 'sequence');
  return BigInt(value);
}
