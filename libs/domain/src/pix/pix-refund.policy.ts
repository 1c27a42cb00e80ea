import { Money } from '../money/money.value-object';
import { fail, ok, type Result } from '../shared/result.util';
import { DAY_MS, saoPauloDayStart } from '../time/sao-paulo-time.util';

/**
 * PIX devolução (BACEN, Regulamento Pix): the receiver of a PIX may return all or part of it, in one or more returns,
 * up to 90 days after it. Counted in São Paulo calendar days: a PIX received on day D can be returned until the end of
 * day D + 90.
 */
export const PIX_REFUND_WINDOW_DAYS = 90;

export interface RefundableTransfer {
  readonly amount: Money;
  /** When the original PIX completed; null while it has not (nothing to return yet). */
  readonly completedAt: Date | null;
  /** A return cannot itself be returned. */
  readonly isRefund: boolean;
}

/** The first instant at which a PIX completed at `completedAt` can no longer be returned. */
export function refundDeadline(completedAt: Date): Date {
  return new Date(saoPauloDayStart(completedAt).getTime() + (PIX_REFUND_WINDOW_DAYS + 1) * DAY_MS);
}

/**
 * Whether `amount` may be returned now. `alreadyRefunded` is the sum of the earlier returns that did not fail
 * (pending ones included: they hold their share until they fail). On success, what would remain returnable after it.
 */
export function checkRefund(input: { original: RefundableTransfer; alreadyRefunded: Money; amount: Money; at: Date }): Result<{ remainingAfter: Money }> {
  const { original, alreadyRefunded, amount, at } = input;
  if (!amount.isPositive()) return fail('PIX_AMOUNT_INVALID', { field: 'amount' });
  if (original.isRefund || original.completedAt === null) return fail('REFUND_NOT_ALLOWED');
  if (at.getTime() >= refundDeadline(original.completedAt).getTime()) return fail('REFUND_WINDOW_EXPIRED');
  const remaining = original.amount.subtract(Money.min(alreadyRefunded, original.amount));
  if (amount.isGreaterThan(remaining)) {
    return remaining.isZero()
      ? fail('REFUND_EXCEEDS_ORIGINAL', { message: 'Este Pix já foi devolvido por inteiro.', field: 'amount' })
      : fail('REFUND_EXCEEDS_ORIGINAL', { message: `O valor passa do que ainda pode ser devolvido deste Pix (${remaining.toBrl()}).`, field: 'amount' });
  }
  return ok({ remainingAfter: remaining.subtract(amount) });
}
