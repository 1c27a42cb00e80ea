import { Money } from '../money/money.value-object';
import { DOMAIN_ERROR_MESSAGES, type DomainErrorCode } from '../shared/domain.error';
import { fail, ok, type Result } from '../shared/result.util';
import { DAY_MS, fromSaoPauloDateTime, toSaoPauloDateTime } from '../time/sao-paulo-time.util';

/** PIX limits of one customer. All amounts are ceilings (inclusive). */
export interface PixLimits {
  /** Largest single transfer. */
  readonly perTransaction: Money;
  /** Total sent per São Paulo calendar day (00:00–24:00). */
  readonly daily: Money;
  /** Total sent within one night window (20:00–06:00 São Paulo). */
  readonly nightly: Money;
}

/**
 * KRT Bank defaults, which are also the maximums a customer may choose:
 * - per transaction R$ 5.000,00 (bank policy);
 * - per day R$ 20.000,00 (bank policy);
 * - night R$ 1.000,00 (BACEN rule for individuals since 4 Oct 2021: transfers between
 *   20h and 6h capped at R$ 1.000,00). Raising a limit above these needs the 24–48 h
 *   review flow, which this product does not offer, so customers can only lower them.
 */
export const DEFAULT_PIX_LIMITS: PixLimits = Object.freeze({
  perTransaction: Money.fromReais(5_000),
  daily: Money.fromReais(20_000),
  nightly: Money.fromReais(1_000),
});

/** Night window in São Paulo hours: [20:00, 06:00). */
export const NIGHT_WINDOW = Object.freeze({ startHour: 20, endHour: 6 });

/** True when `at` falls in 20:00 ≤ t < 06:00 São Paulo time. */
export function isNightTime(at: Date): boolean {
  const { hour } = toSaoPauloDateTime(at);
  return hour >= NIGHT_WINDOW.startHour || hour < NIGHT_WINDOW.endHour;
}

/**
 * Start of the night window containing `at`, or null in daytime. A window spans midnight:
 * 20:00 of day D to 06:00 of day D+1, so 02:00 on D+1 belongs to the window starting
 * 20:00 on D. Use it to sum `spentThisNight`: transfers with `createdAt >= nightWindowStart`.
 */
export function nightWindowStart(at: Date): Date | null {
  if (!isNightTime(at)) return null;
  const local = toSaoPauloDateTime(at);
  const eveningOfToday = fromSaoPauloDateTime(local.year, local.month, local.day, NIGHT_WINDOW.startHour);
  return local.hour >= NIGHT_WINDOW.startHour ? eveningOfToday : new Date(eveningOfToday.getTime() - DAY_MS);
}

/** End (exclusive) of the night window containing `at`, or null in daytime. */
export function nightWindowEnd(at: Date): Date | null {
  const start = nightWindowStart(at);
  if (start === null) return null;
  const hours = 24 - NIGHT_WINDOW.startHour + NIGHT_WINDOW.endHour;
  return new Date(start.getTime() + hours * 3_600_000);
}

/**
 * Validates limits a customer asks for: each must be ≥ 0 and ≤ the default (the
 * customer may lower, never raise), the per-transaction limit may not exceed the daily
 * one, nor the nightly the daily one. Zero is allowed (e.g. "no PIX at night").
 */
export function validateCustomerLimits(
  requested: PixLimits,
  defaults: PixLimits = DEFAULT_PIX_LIMITS,
): Result<PixLimits> {
  for (const field of ['perTransaction', 'daily', 'nightly'] as const) {
    const value = requested[field];
    if (value.isNegative()) return fail('LIMIT_NEGATIVE', { field });
    if (value.isGreaterThan(defaults[field])) {
      return fail('LIMIT_ABOVE_DEFAULT', {
        field,
        message: `O limite pedido está acima do máximo permitido de ${defaults[field].toBrl()}.`,
      });
    }
  }
  if (requested.perTransaction.isGreaterThan(requested.daily)) {
    return fail('LIMIT_INCONSISTENT', {
      field: 'perTransaction',
      message: 'O limite por transação não pode ser maior que o limite diário.',
    });
  }
  if (requested.nightly.isGreaterThan(requested.daily)) {
    return fail('LIMIT_INCONSISTENT', {
      field: 'nightly',
      message: 'O limite noturno não pode ser maior que o limite diário.',
    });
  }
  return ok({ ...requested });
}

export interface PixLimitCheckInput {
  readonly amount: Money;
  readonly limits: PixLimits;
  /** Sent since `saoPauloDayStart(at)` (completed and pending transfers). */
  readonly spentToday: Money;
  /** Sent since `nightWindowStart(at)`; ignored in daytime. */
  readonly spentThisNight: Money;
  readonly at: Date;
}

/**
 * Checks a new transfer against the limits, in this order: amount > 0, per transaction,
 * daily, then (only at night) the night total. The error message says how much is left.
 */
export function checkPixLimits(input: PixLimitCheckInput): Result<void> {
  const { amount, limits, spentToday, spentThisNight, at } = input;
  if (!amount.isPositive()) return fail('PIX_AMOUNT_INVALID', { field: 'amount' });
  if (amount.isGreaterThan(limits.perTransaction)) {
    return exceeded('LIMIT_PER_TRANSACTION_EXCEEDED', `Seu limite por transação Pix é ${limits.perTransaction.toBrl()}.`);
  }
  if (spentToday.add(amount).isGreaterThan(limits.daily)) {
    const left = remaining(limits.daily, spentToday);
    return exceeded('LIMIT_DAILY_EXCEEDED', `Você ainda pode enviar ${left.toBrl()} hoje.`);
  }
  if (isNightTime(at) && spentThisNight.add(amount).isGreaterThan(limits.nightly)) {
    const left = remaining(limits.nightly, spentThisNight);
    return exceeded(
      'LIMIT_NIGHT_EXCEEDED',
      `Seu limite noturno é ${limits.nightly.toBrl()}; você ainda pode enviar ${left.toBrl()} até as 6h.`,
    );
  }
  return ok();
}

function remaining(limit: Money, spent: Money): Money {
  return Money.max(Money.ZERO, limit.subtract(spent));
}

function exceeded(code: DomainErrorCode, detail: string): Result<never> {
  return fail(code, { field: 'amount', message: `${DOMAIN_ERROR_MESSAGES[code]} ${detail}` });
}
