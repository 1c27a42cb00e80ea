import { describe, expect, it } from 'vitest';
import { nextContactVersion } from './contact-version';

describe('the version of a contact change', () => {
  it('is now when the last change is older', () => {
    expect(nextContactVersion(new Date('2026-12-07T10:00:00.500Z'), new Date('2026-12-07T09:00:00.000Z')).toISOString()).toBe('2026-12-07T10:00:00.500Z');
  });

  it('is 1 ms after the last change when the clock is behind it or equal to it, so versions only grow', () => {
    const last = new Date('2026-12-07T10:00:00.500Z');
    expect(nextContactVersion(new Date('2026-12-07T09:59:59.000Z'), last).toISOString()).toBe('2026-12-07T10:00:00.501Z');
    expect(nextContactVersion(new Date(last), last).toISOString()).toBe('2026-12-07T10:00:00.501Z');
  });

  it('is after a last change with microseconds (PostgreSQL) that a Date truncates', () => {
    // 10:00:00.500700 reaches JavaScript as .500: the next version is .501, still after it.
    expect(nextContactVersion(new Date('2026-12-07T10:00:00.000Z'), new Date('2026-12-07T10:00:00.500Z')).getTime()).toBeGreaterThan(Date.parse('2026-12-07T10:00:00.500Z'));
  });
});
