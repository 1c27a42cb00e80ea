import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/domain.error';
import {
  accountCheckDigit,
  accountNumberWithCheckDigit,
  isValidAccountNumber,
  KRT_AGENCY,
} from './account-number.value-object';

describe('accountCheckDigit (mod 11, weights 2..9 from the right)', () => {
  it.each([
    ['000123', 6], // 3·2 + 2·3 + 1·4 = 16; 16 mod 11 = 5; 11 − 5 = 6
    ['000001', 9], // 1·2 = 2; 11 − 2 = 9
    ['000005', 1], // 5·2 = 10; 11 − 10 = 1
    ['000011', 6], // 1·2 + 1·3 = 5; 11 − 5 = 6
  ])('%s → %i', (digits, expected) => {
    expect(accountCheckDigit(digits)).toBe(expected);
  });

  it('maps 10 to 0', () => {
    // 000121: 1·2 + 2·3 + 1·4 = 12; 12 mod 11 = 1; 11 − 1 = 10 → 0
    expect(accountCheckDigit('000121')).toBe(0);
    // 999999: 9·(2+3+4+5+6+7) = 243; 243 mod 11 = 1 → 10 → 0
    expect(accountCheckDigit('999999')).toBe(0);
  });

  it('maps 11 to 0', () => {
    // 000224: 4·2 + 2·3 + 2·4 = 22; 22 mod 11 = 0; 11 − 0 = 11 → 0
    expect(accountCheckDigit('000224')).toBe(0);
  });

  it('weights cycle back to 2 after 9 on long inputs', () => {
    // nine 1s: (2+3+…+9) + 2 = 46; 46 mod 11 = 2; 11 − 2 = 9
    expect(accountCheckDigit('111111111')).toBe(9);
  });
});

describe('accountNumberWithCheckDigit', () => {
  it('pads to 6 digits and appends the check digit', () => {
    expect(accountNumberWithCheckDigit(123)).toBe('000123-6');
    expect(accountNumberWithCheckDigit(123n)).toBe('000123-6');
    expect(accountNumberWithCheckDigit(1)).toBe('000001-9');
    expect(accountNumberWithCheckDigit(999999)).toBe('999999-0');
  });

  it.each([0, -1, 1_000_000, 1.5, Number.NaN])('rejects sequence %s', (seq) => {
    expect(() => accountNumberWithCheckDigit(seq)).toThrow(DomainError);
  });

  it('rejects bigint out of range', () => {
    expect(() => accountNumberWithCheckDigit(0n)).toThrow(DomainError);
    expect(() => accountNumberWithCheckDigit(1_000_000n)).toThrow(DomainError);
  });

  it('every generated number is valid', () => {
    for (let seq = 1; seq <= 2000; seq++) {
      expect(isValidAccountNumber(accountNumberWithCheckDigit(seq))).toBe(true);
    }
  });
});

describe('isValidAccountNumber', () => {
  it.each(['000123-6', '000001-9', '999999-0'])('accepts %s', (value) => {
    expect(isValidAccountNumber(value)).toBe(true);
  });

  it.each(['000123-5', '000123-7', '0001236', '00123-6', '0000123-6', '000123-X', '000000-0', '', 'abc'])(
    'rejects %j',
    (value) => {
      expect(isValidAccountNumber(value)).toBe(false);
    },
  );

  it('catches every single-digit typo when the check digit is not 0', () => {
    // weights 2..7 and digit differences 1..9 are all below the prime 11, so a single
    // substitution always changes the sum mod 11; only the 10/11 → 0 folding can hide it.
    const [digits = '', dv = ''] = accountNumberWithCheckDigit(123).split('-');
    expect(dv).toBe('6');
    for (let pos = 0; pos < digits.length; pos++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === digits.charAt(pos)) continue;
        const typo = `${digits.slice(0, pos)}${d}${digits.slice(pos + 1)}-${dv}`;
        expect(isValidAccountNumber(typo)).toBe(false);
      }
    }
  });

  it('exposes the single agency', () => {
    expect(KRT_AGENCY).toBe('0001');
  });
});
