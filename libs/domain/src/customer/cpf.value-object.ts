import { invalidArgument } from '../shared/domain.error';
import { fail, ok, unwrap, type Result } from '../shared/result.util';

const DIGITS_ONLY = /^\d{11}$/;
const FORMATTED = /^\d{3}\.\d{3}\.\d{3}-\d{2}$/;

/**
 * Brazilian individual taxpayer id (Cadastro de Pessoas Físicas): 11 digits, the last
 * two being mod-11 check digits. Stored as digits only (the DICT key format).
 */
export class Cpf {
  private constructor(readonly value: string) {}

  /** Accepts `12345678909` or `123.456.789-09` (surrounding spaces are trimmed). */
  static parse(input: string, field = 'cpf'): Result<Cpf> {
    if (typeof input !== 'string') return fail('CPF_INVALID', { field });
    const trimmed = input.trim();
    if (!DIGITS_ONLY.test(trimmed) && !FORMATTED.test(trimmed)) return fail('CPF_INVALID', { field });
    const digits = trimmed.replace(/\D/g, '');
    if (!isValidCpfDigits(digits)) return fail('CPF_INVALID', { field });
    return ok(new Cpf(digits));
  }

  static of(input: string): Cpf {
    return unwrap(Cpf.parse(input));
  }

  static isValid(input: string): boolean {
    return Cpf.parse(input).ok;
  }

  /** `123.456.789-09` */
  format(): string {
    const v = this.value;
    return `${v.slice(0, 3)}.${v.slice(3, 6)}.${v.slice(6, 9)}-${v.slice(9)}`;
  }

  /**
   * `***.456.789-**`: the masking used on PIX confirmation screens (digits 4 to 9 shown).
   */
  mask(): string {
    const v = this.value;
    return `***.${v.slice(3, 6)}.${v.slice(6, 9)}-**`;
  }

  equals(other: Cpf): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}

/**
 * Check digit for the given base digits: weights run from `base.length + 1` down to 2;
 * remainder r = (Σ dᵢ·wᵢ) mod 11; check digit = r < 2 ? 0 : 11 − r.
 */
export function cpfCheckDigit(base: string): number {
  let sum = 0;
  for (let i = 0; i < base.length; i++) {
    sum += Number(base.charAt(i)) * (base.length + 1 - i);
  }
  const remainder = sum % 11;
  return remainder < 2 ? 0 : 11 - remainder;
}

function isValidCpfDigits(digits: string): boolean {
  if (/^(\d)\1{10}$/.test(digits)) return false;
  const first = cpfCheckDigit(digits.slice(0, 9));
  const second = cpfCheckDigit(digits.slice(0, 9) + String(first));
  return digits.slice(9) === `${first}${second}`;
}

/**
 * Generates a valid CPF from a random source (injected, so tests and seeds are
 * deterministic). `randomInt(10)` must return an integer in [0, 10).
 * If the 9 base digits come out all equal (which would yield an invalid all-equal CPF
 * such as 000.000.000-00), the last base digit is bumped instead of looping.
 */
export function generateCpf(randomInt: (maxExclusive: number) => number): Cpf {
  const base: number[] = [];
  for (let i = 0; i < 9; i++) base.push(randomDigit(randomInt));
  if (base.every((d) => d === base[0])) base[8] = ((base[8] ?? 0) + 1) % 10;
  const baseDigits = base.join('');
  const first = cpfCheckDigit(baseDigits);
  const second = cpfCheckDigit(baseDigits + String(first));
  return Cpf.of(`${baseDigits}${first}${second}`);
}

function randomDigit(randomInt: (maxExclusive: number) => number): number {
  const digit = randomInt(10);
  if (!Number.isInteger(digit) || digit < 0 || digit > 9) {
    invalidArgument(`randomInt(10) must return an integer in [0, 10), got ${String(digit)}`);
  }
  return digit;
}
