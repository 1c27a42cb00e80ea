import { describe, expect, it } from 'vitest';
import { parseBrlInput } from './brl-input.util';

const api = (input: string) => parseBrlInput(input)?.toApiString() ?? null;

describe('parseBrlInput (amounts typed by a customer)', () => {
  it('when the amount uses a comma for decimals and points for thousands, then it reads it', () => {
    expect(api('1.234,56')).toBe('1234.56');
    expect(api('1234,5')).toBe('1234.50');
    expect(api('0,99')).toBe('0.99');
    expect(api('1.000.000,00')).toBe('1000000.00');
    expect(api('10,')).toBe('10.00');
  });

  it('when the amount has a currency sign or spaces, then they are ignored', () => {
    expect(api('R$ 10')).toBe('10.00');
    expect(api('R$\u00a01.500,00')).toBe('1500.00');
  });

  it('when a point is followed by one or two digits, then it is a decimal point; by groups of three, a thousands separator', () => {
    expect(api('10.50')).toBe('10.50');
    expect(api('10.5')).toBe('10.50');
    expect(api('1.500')).toBe('1500.00');
  });

  it('when the text is not an amount, then the answer is null', () => {
    for (const bad of ['', 'abc', '1,2,3', '10,999', '-5,00', '1.23.4', '12.3456', '1e3', ',50', null, undefined]) {
      expect(parseBrlInput(bad as string)).toBeNull();
    }
  });
});
