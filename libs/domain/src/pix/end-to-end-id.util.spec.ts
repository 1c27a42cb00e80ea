import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/domain.error';
import {
  END_TO_END_ID_LENGTH,
  generateEndToEndId,
  isValidEndToEndId,
  KRT_BANK_NAME,
  KRT_ISPB,
  parseEndToEndId,
  randomAlphanumeric11,
} from './end-to-end-id.util';

/** Open Finance Brasil endToEndId pattern, as an independent oracle. */
const OPEN_FINANCE =
  /^([E])([0-9]{8})([0-9]{4})(0[1-9]|1[0-2])(0[1-9]|[1-2][0-9]|3[0-1])(2[0-3]|[01][0-9])([0-5][0-9])([a-zA-Z0-9]{11})$/;

describe('generateEndToEndId', () => {
  it('builds E + ISPB + yyyyMMddHHmm (UTC) + 11 alphanumerics', () => {
    const id = generateEndToEndId(KRT_ISPB, new Date('2024-03-09T23:59:59.999Z'), 'abcDEF12345');
    expect(id).toBe('E99999999202403092359abcDEF12345');
    expect(id).toHaveLength(END_TO_END_ID_LENGTH);
    expect(id).toMatch(OPEN_FINANCE);
  });

  it('uses UTC, not São Paulo time', () => {
    // 22:30 in São Paulo on the 9th is 01:30 UTC on the 10th
    const id = generateEndToEndId('12345678', new Date('2024-03-10T01:30:00Z'), '00000000000');
    expect(id.slice(9, 21)).toBe('202403100130');
  });

  it.each([
    ['1234567', 'abcDEF12345'],
    ['123456789', 'abcDEF12345'],
    ['1234567a', 'abcDEF12345'],
    [KRT_ISPB, 'abcDEF1234'],
    [KRT_ISPB, 'abcDEF123456'],
    [KRT_ISPB, 'abc-EF12345'],
  ])('throws on ispb %j / random %j', (ispb, random) => {
    expect(() => generateEndToEndId(ispb, new Date(), random)).toThrow(DomainError);
  });

  it('throws on an invalid date', () => {
    expect(() => generateEndToEndId(KRT_ISPB, new Date(Number.NaN), 'abcDEF12345')).toThrow(DomainError);
  });

  it('exposes the fictitious KRT identity', () => {
    expect(KRT_ISPB).toMatch(/^\d{8}$/);
    expect(KRT_BANK_NAME).toBe('KRT Bank');
  });
});

describe('randomAlphanumeric11', () => {
  it('draws 11 characters from [A-Za-z0-9]', () => {
    let i = 0;
    const value = randomAlphanumeric11((max) => {
      expect(max).toBe(62);
      return (i++ * 7) % max;
    });
    expect(value).toMatch(/^[a-zA-Z0-9]{11}$/);
    expect(value.charAt(0)).toBe('A');
  });

  it('throws on an out-of-range source', () => {
    expect(() => randomAlphanumeric11(() => 62)).toThrow(DomainError);
    expect(() => randomAlphanumeric11(() => 1.5)).toThrow(DomainError);
  });
});

describe('isValidEndToEndId / parseEndToEndId', () => {
  it('accepts the published example', () => {
    expect(isValidEndToEndId('E9040088820210128000800123873170')).toBe(true);
    const parsed = parseEndToEndId('E9040088820210128000800123873170');
    expect(parsed.ok && parsed.value.ispb).toBe('90400888');
    expect(parsed.ok && parsed.value.createdAt.toISOString()).toBe('2021-01-28T00:08:00.000Z');
    expect(parsed.ok && parsed.value.sequence).toBe('00123873170');
  });

  it.each([
    ['D12345678202009091221abcdf098765', 'refund prefix D'],
    ['e9040088820210128000800123873170', 'lower-case e'],
    ['E904008882021012800080012387317', '31 chars'],
    ['E90400888202101280008001238731700', '33 chars'],
    ['E9040088820211328000800123873170', 'month 13'],
    ['E9040088820210132000800123873170', 'day 32'],
    ['E9040088820210231000800123873170', '31 February'],
    ['E9040088820210128240800123873170', 'hour 24'],
    ['E9040088820210128006000123873170', 'minute 60'],
    ['E904008882021012800080012387317-', 'non-alphanumeric'],
    ['', 'empty'],
  ])('rejects %j (%s)', (id) => {
    expect(isValidEndToEndId(id)).toBe(false);
    const parsed = parseEndToEndId(id);
    expect(parsed.ok ? undefined : parsed.error.code).toBe('END_TO_END_ID_INVALID');
  });

  it('accepts 29 February only in leap years', () => {
    expect(isValidEndToEndId('E12345678202402291200abcdefghijk')).toBe(true);
    expect(isValidEndToEndId('E12345678202302291200abcdefghijk')).toBe(false);
  });

  it('round-trips generate → parse', () => {
    const now = new Date('2025-12-31T23:59:00Z');
    const parsed = parseEndToEndId(generateEndToEndId(KRT_ISPB, now, 'Z9y8X7w6V5u'));
    expect(parsed.ok && parsed.value).toEqual({ ispb: KRT_ISPB, createdAt: now, sequence: 'Z9y8X7w6V5u' });
  });
});
