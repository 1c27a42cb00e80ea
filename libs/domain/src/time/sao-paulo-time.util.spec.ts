import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/domain.error';
import {
  addMinutes,
  fromSaoPauloDateTime,
  saoPauloDateString,
  saoPauloDayStart,
  SAO_PAULO_TIME_ZONE,
  toSaoPauloDateTime,
} from './sao-paulo-time.util';

const intlParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: SAO_PAULO_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function viaIntl(at: Date): string {
  const parts = Object.fromEntries(intlParts.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}`;
}

function viaDomain(at: Date): string {
  const t = toSaoPauloDateTime(at);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${t.year}-${p(t.month)}-${p(t.day)} ${p(t.hour)}:${p(t.minute)}`;
}

describe('São Paulo time (UTC−3, no DST since 2019)', () => {
  it('converts a UTC instant to São Paulo wall clock', () => {
    expect(toSaoPauloDateTime(new Date('2024-03-10T02:30:00Z'))).toEqual({
      year: 2024,
      month: 3,
      day: 9,
      hour: 23,
      minute: 30,
    });
  });

  it('agrees with Intl America/Sao_Paulo across 2020–2026', () => {
    const start = Date.UTC(2020, 0, 1);
    for (let i = 0; i < 500; i++) {
      const at = new Date(start + i * 4 * 24 * 3600_000 + i * 7 * 60_000);
      expect(viaDomain(at)).toBe(viaIntl(at));
    }
  });

  it('converts wall clock back to the instant', () => {
    expect(fromSaoPauloDateTime(2024, 1, 1, 0, 0).toISOString()).toBe('2024-01-01T03:00:00.000Z');
    expect(fromSaoPauloDateTime(2024, 12, 31, 23, 59).toISOString()).toBe('2025-01-01T02:59:00.000Z');
  });

  it('finds the São Paulo day start', () => {
    // 01:00 UTC on the 10th is still the 9th in São Paulo (22:00)
    expect(saoPauloDayStart(new Date('2024-03-10T01:00:00Z')).toISOString()).toBe('2024-03-09T03:00:00.000Z');
    expect(saoPauloDayStart(new Date('2024-03-10T03:00:00Z')).toISOString()).toBe('2024-03-10T03:00:00.000Z');
    expect(saoPauloDayStart(new Date('2024-03-10T02:59:59.999Z')).toISOString()).toBe('2024-03-09T03:00:00.000Z');
  });

  it('formats the local date', () => {
    expect(saoPauloDateString(new Date('2024-01-01T02:00:00Z'))).toBe('2023-12-31');
    expect(saoPauloDateString(new Date('2024-01-01T03:00:00Z'))).toBe('2024-01-01');
  });

  it('adds minutes', () => {
    expect(addMinutes(new Date('2024-01-01T00:00:00Z'), -90).toISOString()).toBe('2023-12-31T22:30:00.000Z');
  });

  it('throws on an invalid Date', () => {
    expect(() => toSaoPauloDateTime(new Date('nope'))).toThrow(DomainError);
  });
});
