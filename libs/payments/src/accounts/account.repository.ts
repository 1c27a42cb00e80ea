// SQL for ledger accounts: lookups, row locks in a fixed order, and balance snapshots.
import type { Queryable } from '@krt/platform/persistence';
import type { BalanceSnapshot } from './balance-cache';

export const BANK_CASH_ACCOUNT_ID = '00000000-0000-4000-8000-000000000001';

export interface AccountRow {
  id: string;
  kind: 'CUSTOMER' | 'BANK_CASH';
  customer_id: string | null;
  holder_name: string;
  holder_cpf: string | null;
  agency: string;
  number: string;
  status: 'ACTIVE' | 'BLOCKED' | 'CLOSED';
  posted: bigint;
  reserved: bigint;
  version: bigint;
  created_at: Date;
}

const COLUMNS = 'id, kind, customer_id, holder_name, holder_cpf, agency, number, status, posted, reserved, version, created_at';

export async function findAccountByCustomer(db: Queryable, customerId: string, lock = false): Promise<AccountRow | null> {
  const { rows } = await db.query<AccountRow>(`SELECT ${COLUMNS} FROM accounts WHERE customer_id = $1${lock ? ' FOR NO KEY UPDATE' : ''}`, [customerId]);
  return rows[0] ?? null;
}

export async function findAccountById(db: Queryable, id: string): Promise<AccountRow | null> {
  const { rows } = await db.query<AccountRow>(`SELECT ${COLUMNS} FROM accounts WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/**
 * Account row locks are `FOR NO KEY UPDATE`: they serialise balance changes but do not block the `FOR KEY SHARE`
 * locks that foreign keys take (a transfer row referencing the account), which would otherwise deadlock two
 * customers paying each other at the same moment. Several rows are locked in id order, for the same reason.
 */
export async function lockAccounts(db: Queryable, ids: string[]): Promise<Map<string, AccountRow>> {
  const { rows } = await db.query<AccountRow>(`SELECT ${COLUMNS} FROM accounts WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`, [[...new Set(ids)]]);
  return new Map(rows.map((r) => [r.id, r]));
}

export function snapshotOf(row: Pick<AccountRow, 'id' | 'posted' | 'reserved' | 'version'>, asOf: Date): BalanceSnapshot {
  return { accountId: row.id, posted: row.posted, reserved: row.reserved, version: row.version, asOf };
}

/** Changes `reserved` by `delta` (positive to reserve, negative to release). Reserving never exceeds the available balance. */
export async function changeReserve(db: Queryable, accountId: string, delta: bigint): Promise<AccountRow | null> {
  const { rows } = await db.query<AccountRow>(
    `UPDATE accounts SET reserved = reserved + $2, version = version + 1
      WHERE id = $1 AND reserved + $2 >= 0 AND ($2 <= 0 OR posted - reserved >= $2)
      RETURNING ${COLUMNS}`,
    [accountId, delta.toString()],
  );
  return rows[0] ?? null;
}

/** Customer balances never go negative and nothing reserves below zero (the accounts table's CHECKs, in memory). */
export function violatesBalanceRules(row: Pick<AccountRow, 'kind' | 'posted' | 'reserved'>): boolean {
  return row.reserved < 0n || (row.kind === 'CUSTOMER' && (row.posted < 0n || row.posted - row.reserved < 0n));
}

/**
 * Writes back balances computed in memory on rows this transaction locked (`lockAccounts`): one UPDATE for all.
 * The table's CHECKs still apply to what is written.
 */
export async function saveAccounts(db: Queryable, rows: Pick<AccountRow, 'id' | 'posted' | 'reserved' | 'version'>[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    'UPDATE accounts a SET posted = v.posted, reserved = v.reserved, version = v.version FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bigint[]) AS v(id, posted, reserved, version) WHERE a.id = v.id',
    [rows.map((r) => r.id), rows.map((r) => r.posted.toString()), rows.map((r) => r.reserved.toString()), rows.map((r) => r.version.toString())],
  );
}
