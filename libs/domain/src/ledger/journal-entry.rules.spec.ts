import { describe, expect, it } from 'vitest';
import { Money } from '../money/money.value-object';
import { DomainError } from '../shared/domain.error';
import {
  assertBalanced,
  availableBalance,
  canReserve,
  checkBalanced,
  checkReserve,
  type JournalEntry,
  netChangeFor,
  journalTotals,
  transferEntries,
} from './journal-entry.rules';

const debit = (accountId: string, amountCentavos: bigint): JournalEntry => ({ accountId, direction: 'DEBIT', amountCentavos });
const credit = (accountId: string, amountCentavos: bigint): JournalEntry => ({ accountId, direction: 'CREDIT', amountCentavos });
const codeOf = (entries: JournalEntry[]): string | undefined => {
  const result = checkBalanced(entries);
  return result.ok ? undefined : result.error.code;
};

describe('checkBalanced / assertBalanced', () => {
  it('accepts a simple balanced posting', () => {
    expect(codeOf([debit('a', 1000n), credit('b', 1000n)])).toBeUndefined();
    expect(() => assertBalanced([debit('a', 1000n), credit('b', 1000n)])).not.toThrow();
  });

  it('accepts a split posting (one debit, several credits)', () => {
    expect(codeOf([debit('a', 1000n), credit('b', 700n), credit('fees', 300n)])).toBeUndefined();
  });

  it('rejects fewer than two lines', () => {
    expect(codeOf([])).toBe('LEDGER_TOO_FEW_LINES');
    expect(codeOf([debit('a', 1n)])).toBe('LEDGER_TOO_FEW_LINES');
  });

  it('rejects zero or negative amounts', () => {
    expect(codeOf([debit('a', 0n), credit('b', 0n)])).toBe('LEDGER_NON_POSITIVE_AMOUNT');
    expect(codeOf([debit('a', -5n), credit('b', -5n)])).toBe('LEDGER_NON_POSITIVE_AMOUNT');
  });

  it('rejects unbalanced postings, even by one centavo', () => {
    expect(codeOf([debit('a', 1000n), credit('b', 999n)])).toBe('LEDGER_UNBALANCED');
    expect(codeOf([credit('a', 10n), credit('b', 10n)])).toBe('LEDGER_UNBALANCED');
    expect(() => assertBalanced([debit('a', 2n), credit('b', 1n)])).toThrow(DomainError);
  });

  it('sums beyond Number.MAX_SAFE_INTEGER exactly', () => {
    const huge = 9007199254740993n;
    expect(codeOf([debit('a', huge), credit('b', huge - 1n), credit('c', 1n)])).toBeUndefined();
    expect(journalTotals([debit('a', huge), credit('b', huge)])).toEqual({ debits: huge, credits: huge });
  });
});

describe('transferEntries and netChangeFor', () => {
  it('debits the payer and credits the payee', () => {
    const entries = transferEntries('payer', 'payee', Money.of('150.00'));
    expect(entries).toEqual([debit('payer', 15000n), credit('payee', 15000n)]);
    expect(netChangeFor(entries, 'payer')).toBe(-15000n);
    expect(netChangeFor(entries, 'payee')).toBe(15000n);
    expect(netChangeFor(entries, 'other')).toBe(0n);
  });

  it('refuses a zero amount', () => {
    expect(() => transferEntries('a', 'b', Money.ZERO)).toThrow(DomainError);
  });
});

describe('availableBalance', () => {
  it('is posted minus reserved', () => {
    expect(availableBalance(Money.of('1000.00'), Money.of('250.50')).toApiString()).toBe('749.50');
    expect(availableBalance(Money.of('10.00'), Money.of('10.00')).isZero()).toBe(true);
  });

  it('throws when the invariant is broken', () => {
    expect(() => availableBalance(Money.of('10.00'), Money.of('10.01'))).toThrow(DomainError);
    expect(() => availableBalance(Money.fromCentavos(-1), Money.ZERO)).toThrow(DomainError);
  });
});

describe('canReserve / checkReserve', () => {
  const available = Money.of('100.00');

  it('allows up to the available amount', () => {
    expect(canReserve(available, Money.of('100.00'))).toBe(true);
    expect(canReserve(available, Money.of('0.01'))).toBe(true);
    expect(checkReserve(available, Money.of('100.00')).ok).toBe(true);
  });

  it('refuses more than available', () => {
    expect(canReserve(available, Money.of('100.01'))).toBe(false);
    const result = checkReserve(available, Money.of('100.01'));
    expect(result.ok ? undefined : result.error.code).toBe('INSUFFICIENT_FUNDS');
  });

  it('refuses zero and negative amounts', () => {
    expect(canReserve(available, Money.ZERO)).toBe(false);
    expect(canReserve(available, Money.fromCentavos(-1))).toBe(false);
    const result = checkReserve(available, Money.ZERO);
    expect(result.ok ? undefined : result.error.code).toBe('PIX_AMOUNT_INVALID');
  });
});
