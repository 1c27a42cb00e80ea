// Double-entry posting: one balanced journal, the accounts' posted balances, and each line's running balance.
import { assertBalanced, type EntryDirection, type JournalEntry } from '@krt/domain';
import type { Queryable } from '@krt/platform/persistence';
import { randomUUID } from 'node:crypto';
import { lockAccounts, snapshotOf, violatesBalanceRules, type AccountRow } from './account.repository';
import type { BalanceSnapshot } from './balance-cache';

export type EntryKind = 'DEPOSIT' | 'PIX_IN' | 'PIX_OUT' | 'PIX_REVERSAL';

export interface LedgerLine extends JournalEntry {
  kind: EntryKind;
  description: string;
  counterpartyName?: string | null;
  transferId?: string | null;
  endToEndId?: string | null;
}

export interface PostJournalOptions {
  occurredAt: Date;
  /** Reserved amounts consumed by this posting (a PIX debit settles the reserve made at initiation). */
  releaseReserve?: { accountId: string; amount: bigint };
  /** Accounts already locked by the caller in this transaction. */
  locked?: Map<string, AccountRow>;
}

export class NegativeBalanceError extends Error {
  constructor(readonly accountId: string) {
    super('posting would make a customer balance negative');
  }
}

/**
 * Posts a balanced journal in the caller's transaction. Customer accounts are credit-normal
 * (CREDIT raises the balance); the database CHECK refuses a negative customer balance.
 * Returns the new balance snapshot of every touched account (for the cache, after commit).
 */
export async function postJournal(db: Queryable, lines: LedgerLine[], opts: PostJournalOptions): Promise<{ journalId: string; snapshots: BalanceSnapshot[] }> {
  assertBalanced(lines);
  const journalId = randomUUID();
  const ids = lines.map((l) => l.accountId);
  const locked = opts.locked ?? (await lockAccounts(db, ids));
  const snapshots = new Map<string, BalanceSnapshot>();
  for (const line of lines) {
    const account = locked.get(line.accountId);
    if (!account) throw new Error(`ledger account ${line.accountId} not found`);
    const delta = signed(line.direction, line.amountCentavos);
    const release = opts.releaseReserve?.accountId === line.accountId && line.direction === 'DEBIT' ? opts.releaseReserve.amount : 0n;
    let updated: AccountRow;
    try {
      const { rows } = await db.query<AccountRow>(
        'UPDATE accounts SET posted = posted + $2, reserved = reserved - $3, version = version + 1 WHERE id = $1 RETURNING id, posted, reserved, version',
        [line.accountId, delta.toString(), release.toString()],
      );
      updated = rows[0]!;
    } catch (err) {
      if ((err as { code?: string }).code === '23514') throw new NegativeBalanceError(line.accountId);
      throw err;
    }
    await db.query(
      `INSERT INTO ledger_entries (journal_id, account_id, direction, amount, balance_after, kind, description, counterparty_name, transfer_id, end_to_end_id, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        journalId,
        line.accountId,
        line.direction,
        line.amountCentavos.toString(),
        updated.posted.toString(),
        line.kind,
        line.description,
        line.counterpartyName ?? null,
        line.transferId ?? null,
        line.endToEndId ?? null,
        opts.occurredAt,
      ],
    );
    snapshots.set(line.accountId, snapshotOf(updated, opts.occurredAt));
  }
  return { journalId, snapshots: [...snapshots.values()] };
}

/** One ledger line as stored, with its running balance. */
export interface LedgerEntryRow {
  journalId: string;
  line: LedgerLine;
  balanceAfter: bigint;
  occurredAt: Date;
}

/**
 * `postJournal` in memory, for set-wise posting: applies one balanced journal to accounts the caller locked
 * (`accounts`, changed in place exactly as the one-at-a-time UPDATEs would: posted, reserve release, version + 1
 * per line) and returns the lines to insert (`insertLedgerEntries`) and the snapshots. The caller writes the
 * accounts back (`saveAccounts`) in the same transaction. A customer balance that would go negative at this step
 * throws NegativeBalanceError and nothing is changed.
 */
export function applyJournal(
  accounts: Map<string, AccountRow>,
  lines: LedgerLine[],
  opts: { occurredAt: Date; releaseReserve?: { accountId: string; amount: bigint } },
): { journalId: string; entries: LedgerEntryRow[]; snapshots: BalanceSnapshot[] } {
  assertBalanced(lines);
  const journalId = randomUUID();
  const next = new Map<string, AccountRow>();
  const entries: LedgerEntryRow[] = [];
  for (const line of lines) {
    const current = next.get(line.accountId) ?? accounts.get(line.accountId);
    if (!current) throw new Error(`ledger account ${line.accountId} not found`);
    const release = opts.releaseReserve?.accountId === line.accountId && line.direction === 'DEBIT' ? opts.releaseReserve.amount : 0n;
    const updated = { ...current, posted: current.posted + signed(line.direction, line.amountCentavos), reserved: current.reserved - release, version: current.version + 1n };
    if (violatesBalanceRules(updated)) throw new NegativeBalanceError(line.accountId);
    next.set(line.accountId, updated);
    entries.push({ journalId, line, balanceAfter: updated.posted, occurredAt: opts.occurredAt });
  }
  for (const [id, row] of next) accounts.set(id, row);
  return { journalId, entries, snapshots: [...next.values()].map((r) => snapshotOf(r, opts.occurredAt)) };
}

/** Inserts ledger lines (from `applyJournal`) in one statement, in order. */
export async function insertLedgerEntries(db: Queryable, entries: LedgerEntryRow[]): Promise<void> {
  if (entries.length === 0) return;
  const col = <T>(f: (e: LedgerEntryRow) => T) => entries.map(f);
  await db.query(
    `INSERT INTO ledger_entries (journal_id, account_id, direction, amount, balance_after, kind, description, counterparty_name, transfer_id, end_to_end_id, occurred_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::uuid[], $10::text[], $11::timestamptz[])`,
    [
      col((e) => e.journalId),
      col((e) => e.line.accountId),
      col((e) => e.line.direction),
      col((e) => e.line.amountCentavos.toString()),
      col((e) => e.balanceAfter.toString()),
      col((e) => e.line.kind),
      col((e) => e.line.description),
      col((e) => e.line.counterpartyName ?? null),
      col((e) => e.line.transferId ?? null),
      col((e) => e.line.endToEndId ?? null),
      col((e) => e.occurredAt),
    ],
  );
}

function signed(direction: EntryDirection, amount: bigint): bigint {
  return direction === 'CREDIT' ? amount : -amount;
}
