import { describe, expect, it } from 'vitest';
import { Money } from '../money/money.value-object';
import { fromSaoPauloDateTime, saoPauloDayStart } from '../time/sao-paulo-time.util';
import {
  checkPixLimits,
  DEFAULT_PIX_LIMITS,
  isNightTime,
  nightWindowEnd,
  nightWindowStart,
  type PixLimitCheckInput,
  validateCustomerLimits,
} from './pix-limits.policy';

const sp = fromSaoPauloDateTime;
const brl = (value: string): Money => Money.of(value);

describe('DEFAULT_PIX_LIMITS', () => {
  it('are R$ 5.000 per transaction, R$ 20.000 per day, R$ 1.000 per night', () => {
    expect(DEFAULT_PIX_LIMITS.perTransaction.toApiString()).toBe('5000.00');
    expect(DEFAULT_PIX_LIMITS.daily.toApiString()).toBe('20000.00');
    expect(DEFAULT_PIX_LIMITS.nightly.toApiString()).toBe('1000.00');
  });

  it('are frozen', () => {
    expect(Object.isFrozen(DEFAULT_PIX_LIMITS)).toBe(true);
  });
});

describe('isNightTime (São Paulo 20:00–06:00)', () => {
  it.each([
    [19, 59, false],
    [20, 0, true],
    [23, 59, true],
    [0, 0, true],
    [5, 59, true],
    [6, 0, false],
    [12, 0, false],
  ])('%i:%i → %s', (hour, minute, expected) => {
    expect(isNightTime(sp(2024, 5, 10, hour, minute))).toBe(expected);
  });

  it('uses São Paulo, not UTC (22:00 UTC is 19:00 in São Paulo)', () => {
    expect(isNightTime(new Date('2024-05-10T22:00:00Z'))).toBe(false);
    expect(isNightTime(new Date('2024-05-10T23:00:00Z'))).toBe(true);
    expect(isNightTime(new Date('2024-05-11T08:59:00Z'))).toBe(true);
    expect(isNightTime(new Date('2024-05-11T09:00:00Z'))).toBe(false);
  });
});

describe('nightWindowStart / nightWindowEnd', () => {
  it('is null in daytime', () => {
    expect(nightWindowStart(sp(2024, 5, 10, 12))).toBeNull();
    expect(nightWindowEnd(sp(2024, 5, 10, 6))).toBeNull();
  });

  it('evening belongs to the window starting the same day', () => {
    expect(nightWindowStart(sp(2024, 5, 10, 21, 30))).toEqual(sp(2024, 5, 10, 20));
    expect(nightWindowEnd(sp(2024, 5, 10, 21, 30))).toEqual(sp(2024, 5, 11, 6));
  });

  it('early morning belongs to the window that started the previous evening', () => {
    expect(nightWindowStart(sp(2024, 5, 11, 2))).toEqual(sp(2024, 5, 10, 20));
    expect(nightWindowStart(sp(2024, 5, 11, 0, 0))).toEqual(sp(2024, 5, 10, 20));
  });

  it('crosses month and year boundaries', () => {
    expect(nightWindowStart(sp(2025, 1, 1, 3))).toEqual(sp(2024, 12, 31, 20));
    expect(nightWindowStart(sp(2024, 3, 1, 5, 59))).toEqual(sp(2024, 2, 29, 20));
  });

  it('returns instants (20:00 São Paulo = 23:00 UTC)', () => {
    expect(nightWindowStart(new Date('2024-05-11T05:00:00Z'))?.toISOString()).toBe('2024-05-10T23:00:00.000Z');
  });

  it('day start and night start differ for the same instant after midnight', () => {
    const at = sp(2024, 5, 11, 1);
    expect(saoPauloDayStart(at)).toEqual(sp(2024, 5, 11, 0));
    expect(nightWindowStart(at)).toEqual(sp(2024, 5, 10, 20));
  });
});

describe('validateCustomerLimits', () => {
  const limits = (perTransaction: string, daily: string, nightly: string) => ({
    perTransaction: brl(perTransaction),
    daily: brl(daily),
    nightly: brl(nightly),
  });

  it('accepts the defaults and lower values', () => {
    expect(validateCustomerLimits(DEFAULT_PIX_LIMITS).ok).toBe(true);
    expect(validateCustomerLimits(limits('100.00', '500.00', '50.00')).ok).toBe(true);
  });

  it('accepts zero (e.g. no PIX at night)', () => {
    expect(validateCustomerLimits(limits('1000.00', '2000.00', '0')).ok).toBe(true);
  });

  it.each([
    ['5000.01', '20000.00', '1000.00', 'perTransaction'],
    ['5000.00', '20000.01', '1000.00', 'daily'],
    ['5000.00', '20000.00', '1000.01', 'nightly'],
  ])('rejects raising above the default (%s / %s / %s)', (p, d, n, field) => {
    const result = validateCustomerLimits(limits(p, d, n));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('LIMIT_ABOVE_DEFAULT');
      expect(result.error.field).toBe(field);
      expect(result.error.message).toContain('R$');
    }
  });

  it('rejects negative limits', () => {
    const result = validateCustomerLimits({ ...DEFAULT_PIX_LIMITS, daily: Money.fromCentavos(-1) });
    expect(result.ok ? undefined : result.error.code).toBe('LIMIT_NEGATIVE');
  });

  it('rejects a per-transaction limit above the daily one', () => {
    const result = validateCustomerLimits(limits('3000.00', '2000.00', '500.00'));
    expect(result.ok ? undefined : [result.error.code, result.error.field]).toEqual(['LIMIT_INCONSISTENT', 'perTransaction']);
  });

  it('rejects a nightly limit above the daily one', () => {
    const result = validateCustomerLimits(limits('300.00', '500.00', '800.00'));
    expect(result.ok ? undefined : [result.error.code, result.error.field]).toEqual(['LIMIT_INCONSISTENT', 'nightly']);
  });

  it('can validate against other ceilings', () => {
    const ceilings = limits('100.00', '100.00', '100.00');
    expect(validateCustomerLimits(limits('100.00', '100.00', '100.00'), ceilings).ok).toBe(true);
    expect(validateCustomerLimits(limits('100.01', '100.00', '100.00'), ceilings).ok).toBe(false);
  });
});

describe('checkPixLimits', () => {
  const noon = sp(2024, 5, 10, 12);
  const night = sp(2024, 5, 10, 22);
  const base: PixLimitCheckInput = {
    amount: brl('100.00'),
    limits: DEFAULT_PIX_LIMITS,
    spentToday: Money.ZERO,
    spentThisNight: Money.ZERO,
    at: noon,
  };
  const codeOf = (overrides: Partial<PixLimitCheckInput>): string | undefined => {
    const result = checkPixLimits({ ...base, ...overrides });
    return result.ok ? undefined : result.error.code;
  };

  it('accepts a transfer within every limit', () => {
    expect(checkPixLimits(base).ok).toBe(true);
  });

  it('rejects zero and negative amounts', () => {
    expect(codeOf({ amount: Money.ZERO })).toBe('PIX_AMOUNT_INVALID');
    expect(codeOf({ amount: Money.fromCentavos(-100) })).toBe('PIX_AMOUNT_INVALID');
  });

  it('per transaction: the limit itself passes, one centavo more fails', () => {
    expect(codeOf({ amount: brl('5000.00') })).toBeUndefined();
    expect(codeOf({ amount: brl('5000.01') })).toBe('LIMIT_PER_TRANSACTION_EXCEEDED');
  });

  it('daily: counts what was already sent today', () => {
    expect(codeOf({ amount: brl('1000.00'), spentToday: brl('19000.00') })).toBeUndefined();
    expect(codeOf({ amount: brl('1000.01'), spentToday: brl('19000.00') })).toBe('LIMIT_DAILY_EXCEEDED');
  });

  it('daily message tells how much is left', () => {
    const result = checkPixLimits({ ...base, amount: brl('600.00'), spentToday: brl('19500.00') });
    expect(result.ok ? undefined : result.error.message).toBe(
      'O valor excede o seu limite diário de Pix. Você ainda pode enviar R$\u00a0500,00 hoje.',
    );
  });

  it('night: R$ 1.000 total between 20h and 6h', () => {
    expect(codeOf({ at: night, amount: brl('1000.00') })).toBeUndefined();
    expect(codeOf({ at: night, amount: brl('1000.01') })).toBe('LIMIT_NIGHT_EXCEEDED');
    expect(codeOf({ at: night, amount: brl('300.00'), spentThisNight: brl('700.00') })).toBeUndefined();
    expect(codeOf({ at: night, amount: brl('300.01'), spentThisNight: brl('700.00') })).toBe('LIMIT_NIGHT_EXCEEDED');
  });

  it('night message states the limit and what is left, never negative', () => {
    const result = checkPixLimits({ ...base, at: night, amount: brl('10.00'), spentThisNight: brl('1200.00') });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.field).toBe('amount');
      expect(result.error.message).toContain('R$\u00a01.000,00');
      expect(result.error.message).toContain('R$\u00a00,00');
    }
  });

  it('night spending is ignored in daytime', () => {
    expect(codeOf({ at: noon, amount: brl('2000.00'), spentThisNight: brl('1000.00') })).toBeUndefined();
  });

  it('uses the customer lowered limits', () => {
    const limits = { perTransaction: brl('50.00'), daily: brl('80.00'), nightly: brl('0') };
    expect(codeOf({ limits, amount: brl('50.01') })).toBe('LIMIT_PER_TRANSACTION_EXCEEDED');
    expect(codeOf({ limits, amount: brl('40.00'), spentToday: brl('40.01') })).toBe('LIMIT_DAILY_EXCEEDED');
    expect(codeOf({ limits, amount: brl('0.01'), at: night })).toBe('LIMIT_NIGHT_EXCEEDED');
  });

  it('reports the per-transaction limit before the daily and night ones', () => {
    expect(codeOf({ at: night, amount: brl('6000.00'), spentToday: brl('20000.00') })).toBe(
      'LIMIT_PER_TRANSACTION_EXCEEDED',
    );
    expect(codeOf({ at: night, amount: brl('2000.00'), spentToday: brl('19000.00') })).toBe('LIMIT_DAILY_EXCEEDED');
  });
});
