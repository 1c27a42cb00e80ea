import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/domain.error';
import { Money } from './money.value-object';

const brl = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' });
/**
 * Intl (ES2023 NumberFormat v3) formats decimal strings exactly, with no float rounding,
 * so it is a fair oracle. TypeScript 5.4's lib types `format` as number-only, hence the cast.
 */
const formatDecimal = brl.format as unknown as (value: string) => string;
const intlFormat = (decimal: string): string => formatDecimal(decimal);

function errorCode(input: string): string | undefined {
  const result = Money.parse(input);
  return result.ok ? undefined : result.error.code;
}

describe('Money.parse', () => {
  it.each([
    ['1500.00', 150000n],
    ['1500', 150000n],
    ['1500.5', 150050n],
    ['0.01', 1n],
    ['0', 0n],
    ['0.00', 0n],
    ['9999999999.99', 999999999999n],
    ['0001500.00', 150000n],
  ])('parses %s as %s centavos', (input, centavos) => {
    expect(Money.of(input).toCentavos()).toBe(centavos);
  });

  it.each([
    ['-1500.00', 'MONEY_NEGATIVE'],
    ['-1', 'MONEY_NEGATIVE'],
    ['1500.001', 'MONEY_TOO_MANY_DECIMALS'],
    ['0.999', 'MONEY_TOO_MANY_DECIMALS'],
    ['10000000000.00', 'MONEY_TOO_LARGE'],
    ['12345678901', 'MONEY_TOO_LARGE'],
    ['1e3', 'MONEY_INVALID'],
    ['1.5e2', 'MONEY_INVALID'],
    ['abc', 'MONEY_INVALID'],
    ['', 'MONEY_INVALID'],
    ['1500.', 'MONEY_INVALID'],
    ['.50', 'MONEY_INVALID'],
    ['+1500.00', 'MONEY_INVALID'],
    ['1,500.00', 'MONEY_INVALID'],
    ['1500,00', 'MONEY_INVALID'],
    [' 1500.00', 'MONEY_INVALID'],
    ['1500.00 ', 'MONEY_INVALID'],
    ['NaN', 'MONEY_INVALID'],
    ['Infinity', 'MONEY_INVALID'],
    ['0x10', 'MONEY_INVALID'],
    ['-', 'MONEY_INVALID'],
    ['１５００', 'MONEY_INVALID'],
  ])('rejects %j with %s', (input, code) => {
    expect(errorCode(input)).toBe(code);
  });

  it('reports the field and a Portuguese message', () => {
    const result = Money.parse('abc', 'valor');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(DomainError);
    expect(result.error.field).toBe('valor');
    expect(result.error.message).toMatch(/Valor inválido/);
  });

  it('rejects non-string input at runtime', () => {
    expect(errorCode(1500 as unknown as string)).toBe('MONEY_INVALID');
  });

  it('Money.of throws the DomainError', () => {
    expect(() => Money.of('1.234')).toThrow(DomainError);
  });
});

describe('Money.fromCentavos / fromReais', () => {
  it('accepts bigint and safe integer numbers', () => {
    expect(Money.fromCentavos(123n).toCentavos()).toBe(123n);
    expect(Money.fromCentavos(123).toCentavos()).toBe(123n);
    expect(Money.fromCentavos(-5).toCentavos()).toBe(-5n);
    expect(Money.fromReais(5000).toCentavos()).toBe(500000n);
    expect(Money.fromReais(2n).toCentavos()).toBe(200n);
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('rejects %s', (value) => {
    expect(() => Money.fromCentavos(value)).toThrow(DomainError);
  });

  it('rejects fractional reais', () => {
    expect(() => Money.fromReais(0.1)).toThrow(DomainError);
  });

  it('keeps precision beyond Number.MAX_SAFE_INTEGER', () => {
    const big = Money.fromCentavos(9007199254740993n);
    expect(big.toApiString()).toBe('90071992547409.93');
  });
});

describe('Money formatting', () => {
  it.each([
    [150000n, '1500.00'],
    [150050n, '1500.50'],
    [1n, '0.01'],
    [0n, '0.00'],
    [-150000n, '-1500.00'],
    [-1n, '-0.01'],
    [999999999999n, '9999999999.99'],
  ])('toApiString(%s) = %s', (centavos, expected) => {
    expect(Money.fromCentavos(centavos).toApiString()).toBe(expected);
  });

  it.each([
    [150000n, '1500.00'],
    [0n, '0.00'],
    [1n, '0.01'],
    [99n, '0.99'],
    [100n, '1.00'],
    [99999n, '999.99'],
    [100000n, '1000.00'],
    [123456789n, '1234567.89'],
    [999999999999n, '9999999999.99'],
    [1234567890123456789n, '12345678901234567.89'],
    [-150000n, '-1500.00'],
    [-1n, '-0.01'],
    [-123456789n, '-1234567.89'],
  ])('toBrl(%s) matches Intl pt-BR exactly', (centavos, decimal) => {
    expect(Money.fromCentavos(centavos).toBrl()).toBe(intlFormat(decimal));
  });

  it('uses a non-breaking space after R$', () => {
    expect(Money.of('1500.00').toBrl()).toBe('R$\u00a01.500,00');
    expect(Money.fromCentavos(-150000n).toBrl()).toBe('-R$\u00a01.500,00');
  });

  it('serialises to JSON as the API string', () => {
    expect(JSON.stringify({ amount: Money.of('10.5') })).toBe('{"amount":"10.50"}');
    expect(String(Money.of('7'))).toBe('7.00');
  });

  it('round-trips parse → toApiString', () => {
    for (const value of ['0.00', '0.10', '1.00', '1500.00', '9999999999.99']) {
      expect(Money.of(value).toApiString()).toBe(value);
    }
  });
});

describe('Money arithmetic and comparison', () => {
  const a = Money.of('10.10');
  const b = Money.of('0.20');

  it('adds and subtracts exactly (no float drift)', () => {
    expect(Money.of('0.10').add(Money.of('0.20')).toApiString()).toBe('0.30');
    expect(a.subtract(b).toApiString()).toBe('9.90');
    expect(b.subtract(a).toApiString()).toBe('-9.90');
    expect(b.subtract(a).isNegative()).toBe(true);
  });

  it('is immutable', () => {
    a.add(b);
    expect(a.toApiString()).toBe('10.10');
  });

  it('compares', () => {
    expect(a.compare(b)).toBe(1);
    expect(b.compare(a)).toBe(-1);
    expect(a.compare(Money.of('10.1'))).toBe(0);
    expect(a.equals(Money.fromCentavos(1010))).toBe(true);
    expect(a.isGreaterThan(b)).toBe(true);
    expect(a.isGreaterThanOrEqual(a)).toBe(true);
    expect(b.isLessThan(a)).toBe(true);
    expect(b.isLessThanOrEqual(b)).toBe(true);
    expect(a.isLessThan(a)).toBe(false);
  });

  it('knows zero, positive and negative', () => {
    expect(Money.ZERO.isZero()).toBe(true);
    expect(Money.ZERO.isPositive()).toBe(false);
    expect(Money.ZERO.isNegative()).toBe(false);
    expect(b.isPositive()).toBe(true);
  });

  it('sums, max and min', () => {
    expect(Money.sum([a, b, Money.of('0.01')]).toApiString()).toBe('10.31');
    expect(Money.sum([]).isZero()).toBe(true);
    expect(Money.max(a, b)).toBe(a);
    expect(Money.min(a, b)).toBe(b);
  });
});
