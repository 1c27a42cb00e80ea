import { describe, expect, it } from 'vitest';
import { apiAmount, brlNumber } from './money-format';

describe('money formats at the edges', () => {
  it('when centavos are shown in the API, then they are a decimal string with two places', () => {
    expect(apiAmount(150000n)).toBe('1500.00');
    expect(apiAmount(5n)).toBe('0.05');
  });

  it('when centavos go to a CSV cell, then they use the Brazilian format with thousands dots and a decimal comma', () => {
    expect(brlNumber(150000n)).toBe('1.500,00');
    expect(brlNumber(-123456789n)).toBe('-1.234.567,89');
    expect(brlNumber(7n)).toBe('0,07');
    expect(brlNumber(0n)).toBe('0,00');
  });
});
