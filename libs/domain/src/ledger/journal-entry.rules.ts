import { Money } from '../money/money.value-object';
import { DomainError } from '../shared/domain.error';
import { fail, ok, unwrap, type Result } from '../shared/result.util';

export type EntryDirection = 'DEBIT' | 'CREDIT';

/** One line of a double-entry journal posting. */
export interface JournalEntry {
  readonly accountId: string;
  readonly direction: EntryDirection;
  /** Integer centavos, always > 0; the direction carries the sign. */
  readonly amountCentavos: bigint;
}

/**
 * A posting is valid when it has at least two lines, every amount is > 0, and the sum
 * of debits equals the sum of credits.
 */
export function checkBalanced(entries: readonly JournalEntry[]): Result<void> {
  if (entries.length < 2) return fail('LEDGER_TOO_FEW_LINES');
  if (entries.some((e) => e.amountCentavos <= 0n)) return fail('LEDGER_NON_POSITIVE_AMOUNT');
  const { debits, credits } = journalTotals(entries);
  return debits === credits ? ok() : fail('LEDGER_UNBALANCED');
}

/** Throwing variant: an unbalanced posting is a bug, never customer input. */
export function assertBalanced(entries: readonly JournalEntry[]): void {
  unwrap(checkBalanced(entries));
}

export function journalTotals(entries: readonly JournalEntry[]): { debits: bigint; credits: bigint } {
  let debits = 0n;
  let credits = 0n;
  for (const entry of entries) {
    if (entry.direction === 'DEBIT') debits += entry.amountCentavos;
    else credits += entry.amountCentavos;
  }
  return { debits, credits };
}

/**
 * Net effect of a posting on one customer account. Customer deposit accounts are
 * liabilities of the bank (credit-normal): a CREDIT raises the balance, a DEBIT lowers it.
 */
export function netChangeFor(entries: readonly JournalEntry[], accountId: string): bigint {
  return entries
    .filter((e) => e.accountId === accountId)
    .reduce((sum, e) => sum + (e.direction === 'CREDIT' ? e.amountCentavos : -e.amountCentavos), 0n);
}

/** The two lines that move `amount` from one account to another (debit payer, credit payee). */
export function transferEntries(fromAccountId: string, toAccountId: string, amount: Money): JournalEntry[] {
  const entries: JournalEntry[] = [
    { accountId: fromAccountId, direction: 'DEBIT', amountCentavos: amount.toCentavos() },
    { accountId: toAccountId, direction: 'CREDIT', amountCentavos: amount.toCentavos() },
  ];
  assertBalanced(entries);
  return entries;
}

/**
 * Balance the customer can spend: posted balance minus funds reserved for pending PIX.
 * Throws if the result would be negative (the ledger invariant was broken upstream).
 */
export function availableBalance(posted: Money, reserved: Money): Money {
  if (posted.isNegative() || reserved.isNegative()) throw new DomainError('LEDGER_NEGATIVE_BALANCE');
  const available = posted.subtract(reserved);
  if (available.isNegative()) throw new DomainError('LEDGER_NEGATIVE_BALANCE');
  return available;
}

/** A reservation needs a positive amount no larger than what is available. */
export function canReserve(available: Money, amount: Money): boolean {
  return amount.isPositive() && amount.isLessThanOrEqual(available);
}

/** Result form of `canReserve`, for the PIX initiation use case. */
export function checkReserve(available: Money, amount: Money): Result<void> {
  if (!amount.isPositive()) return fail('PIX_AMOUNT_INVALID', { field: 'amount' });
  return amount.isLessThanOrEqual(available) ? ok() : fail('INSUFFICIENT_FUNDS', { field: 'amount' });
}
