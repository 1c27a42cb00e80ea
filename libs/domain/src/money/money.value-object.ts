import { invalidArgument } from '../shared/domain.error';
import { fail, ok, unwrap, type Result } from '../shared/result.util';

/** BACEN / Open Finance amount pattern is `\d{1,10}\.\d{2}`: at most 10 integer digits. */
export const MONEY_MAX_INTEGER_DIGITS = 10;

const API_AMOUNT = /^(\d+)(?:\.(\d*))?$/;
const NEGATIVE_AMOUNT = /^-\d+(?:\.\d+)?$/;
const NBSP = '\u00a0';

/**
 * An amount of Brazilian reais, held as integer centavos in a `bigint`.
 * No float ever touches it: parsing and formatting work on the decimal digits.
 *
 * Money may be negative as the result of arithmetic (e.g. a statement delta), but
 * amounts parsed from the API are never negative.
 */
export class Money {
  private constructor(private readonly centavos: bigint) {}

  static readonly ZERO = new Money(0n);

  /** From integer centavos. Throws on a non-integer or unsafe number (caller bug). */
  static fromCentavos(centavos: bigint | number): Money {
    return new Money(toIntegerBigInt(centavos, 'centavos'));
  }

  /** From whole reais (integer), e.g. `Money.fromReais(5000)` = R$ 5.000,00. */
  static fromReais(reais: bigint | number): Money {
    return new Money(toIntegerBigInt(reais, 'reais') * 100n);
  }

  /**
   * Parses an API decimal string: `"1500.00"`, `"1500"`, `"1500.5"`.
   * Rejects negatives, exponents, signs, spaces, commas, more than 2 decimals and more
   * than 10 integer digits.
   */
  static parse(input: string, field = 'amount'): Result<Money> {
    if (typeof input !== 'string') return fail('MONEY_INVALID', { field });
    if (NEGATIVE_AMOUNT.test(input)) return fail('MONEY_NEGATIVE', { field });
    const match = API_AMOUNT.exec(input);
    if (!match) return fail('MONEY_INVALID', { field });
    const integerPart = match[1] ?? '';
    const fraction = match[2];
    if (fraction !== undefined && fraction.length === 0) return fail('MONEY_INVALID', { field });
    if (fraction !== undefined && fraction.length > 2) return fail('MONEY_TOO_MANY_DECIMALS', { field });
    if (integerPart.length > MONEY_MAX_INTEGER_DIGITS) return fail('MONEY_TOO_LARGE', { field });
    const cents = (fraction ?? '').padEnd(2, '0');
    return ok(new Money(BigInt(integerPart) * 100n + BigInt(cents)));
  }

  /** Throwing variant of `parse`. */
  static of(input: string): Money {
    return unwrap(Money.parse(input));
  }

  static sum(values: readonly Money[]): Money {
    return values.reduce((total, value) => total.add(value), Money.ZERO);
  }

  static max(a: Money, b: Money): Money {
    return a.compare(b) >= 0 ? a : b;
  }

  static min(a: Money, b: Money): Money {
    return a.compare(b) <= 0 ? a : b;
  }

  toCentavos(): bigint {
    return this.centavos;
  }

  add(other: Money): Money {
    return new Money(this.centavos + other.centavos);
  }

  subtract(other: Money): Money {
    return new Money(this.centavos - other.centavos);
  }

  /** -1, 0 or 1. */
  compare(other: Money): -1 | 0 | 1 {
    if (this.centavos < other.centavos) return -1;
    return this.centavos > other.centavos ? 1 : 0;
  }

  equals(other: Money): boolean {
    return this.centavos === other.centavos;
  }

  isGreaterThan(other: Money): boolean {
    return this.centavos > other.centavos;
  }

  isGreaterThanOrEqual(other: Money): boolean {
    return this.centavos >= other.centavos;
  }

  isLessThan(other: Money): boolean {
    return this.centavos < other.centavos;
  }

  isLessThanOrEqual(other: Money): boolean {
    return this.centavos <= other.centavos;
  }

  isZero(): boolean {
    return this.centavos === 0n;
  }

  isPositive(): boolean {
    return this.centavos > 0n;
  }

  isNegative(): boolean {
    return this.centavos < 0n;
  }

  /** API representation with two places: `"1500.00"` (negative values get a leading `-`). */
  toApiString(): string {
    const { sign, reais, cents } = this.parts();
    return `${sign}${reais}.${cents}`;
  }

  /**
   * Human representation, identical to
   * `new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' }).format(...)`:
   * `R$ 1.500,00` and `-R$ 1.500,00`, with a non-breaking space (U+00A0) after `R$`.
   */
  toBrl(): string {
    const { sign, reais, cents } = this.parts();
    return `${sign}R$${NBSP}${groupThousands(reais)},${cents}`;
  }

  toString(): string {
    return this.toApiString();
  }

  /** JSON carries the API string, never a number (and never a raw bigint, which throws). */
  toJSON(): string {
    return this.toApiString();
  }

  private parts(): { sign: string; reais: string; cents: string } {
    const negative = this.centavos < 0n;
    const absolute = negative ? -this.centavos : this.centavos;
    return {
      sign: negative ? '-' : '',
      reais: (absolute / 100n).toString(),
      cents: (absolute % 100n).toString().padStart(2, '0'),
    };
  }
}

function toIntegerBigInt(value: bigint | number, field: string): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) {
    invalidArgument(`${field} must be a safe integer, got ${String(value)}`, field);
  }
  return BigInt(value);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** Type guard for adapters that receive `unknown`. */
export function isMoney(value: unknown): value is Money {
  return value instanceof Money;
}
