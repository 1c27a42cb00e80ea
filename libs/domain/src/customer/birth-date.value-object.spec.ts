import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/domain.error';
import { fromSaoPauloDateTime } from '../time/sao-paulo-time.util';
import { BirthDate, checkAdult } from './birth-date.value-object';

/** Noon in São Paulo on the given calendar day. */
const spNoon = (y: number, m: number, d: number): Date => fromSaoPauloDateTime(y, m, d, 12);

describe('BirthDate.parse', () => {
  it.each([
    ['1990-05-17', '1990-05-17'],
    ['17/05/1990', '1990-05-17'],
    ['2004-02-29', '2004-02-29'],
    ['1900-01-01', '1900-01-01'],
  ])('accepts %j', (input, iso) => {
    expect(BirthDate.of(input).toIsoString()).toBe(iso);
  });

  it.each(['2003-02-29', '1990-02-30', '1990-13-01', '1990-00-10', '1990-04-31', '1899-12-31', '90-05-17', '17-05-1990', '1990/05/17', '', 'ontem'])(
    'rejects %j',
    (input) => {
      const result = BirthDate.parse(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('BIRTH_DATE_INVALID');
    },
  );

  it('BirthDate.of throws', () => {
    expect(() => BirthDate.of('2001-02-29')).toThrow(DomainError);
  });

  it('serialises as ISO date', () => {
    expect(JSON.stringify(BirthDate.of('01/02/2000'))).toBe('"2000-02-01"');
  });
});

describe('BirthDate.ageOn', () => {
  const birth = BirthDate.of('2006-07-15');

  it('counts completed years', () => {
    expect(birth.ageOn(spNoon(2024, 7, 14))).toBe(17);
    expect(birth.ageOn(spNoon(2024, 7, 15))).toBe(18);
    expect(birth.ageOn(spNoon(2024, 12, 31))).toBe(18);
    expect(birth.ageOn(spNoon(2006, 7, 15))).toBe(0);
  });

  it('uses the São Paulo calendar day, not UTC', () => {
    // 02:00 UTC on the 15th is still 23:00 on the 14th in São Paulo
    expect(birth.ageOn(new Date('2024-07-15T02:00:00Z'))).toBe(17);
    expect(birth.ageOn(new Date('2024-07-15T03:00:00Z'))).toBe(18);
  });

  it('leap-day birthdays complete the year on 1 March in common years', () => {
    const leap = BirthDate.of('2004-02-29');
    expect(leap.ageOn(spNoon(2022, 2, 28))).toBe(17);
    expect(leap.ageOn(spNoon(2022, 3, 1))).toBe(18);
    expect(leap.isAdultOn(spNoon(2022, 2, 28))).toBe(false);
    expect(leap.isAdultOn(spNoon(2022, 3, 1))).toBe(true);
  });

  it('in leap years, 28 and 29 February birthdays each fall on their own day', () => {
    const leap = BirthDate.of('2006-02-28');
    expect(leap.ageOn(spNoon(2024, 2, 27))).toBe(17);
    expect(leap.ageOn(spNoon(2024, 2, 28))).toBe(18);
    const born29 = BirthDate.of('2000-02-29');
    expect(born29.ageOn(spNoon(2024, 2, 28))).toBe(23);
    expect(born29.ageOn(spNoon(2024, 2, 29))).toBe(24);
  });
});

describe('checkAdult', () => {
  it('accepts 18 on the birthday itself', () => {
    expect(checkAdult(BirthDate.of('2006-07-15'), spNoon(2024, 7, 15)).ok).toBe(true);
  });

  it('rejects one day before the 18th birthday', () => {
    const result = checkAdult(BirthDate.of('2006-07-15'), spNoon(2024, 7, 14));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('CUSTOMER_UNDERAGE');
      expect(result.error.message).toContain('18 anos');
    }
  });

  it('rejects a birth date in the future', () => {
    const result = checkAdult(BirthDate.of('2030-01-01'), spNoon(2024, 1, 1));
    expect(result.ok ? undefined : result.error.code).toBe('BIRTH_DATE_IN_FUTURE');
  });

  it('a baby born today is not in the future but is underage', () => {
    const result = checkAdult(BirthDate.of('2024-01-01'), spNoon(2024, 1, 1));
    expect(result.ok ? undefined : result.error.code).toBe('CUSTOMER_UNDERAGE');
  });

  it('supports another minimum age', () => {
    expect(checkAdult(BirthDate.of('2008-01-01'), spNoon(2024, 1, 1), 16).ok).toBe(true);
  });
});
