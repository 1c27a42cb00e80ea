// Read routing for one account: the replica when it has replayed that account's last write, else the primary
// (@krt/platform/read-your-writes; docs/read-your-writes.md). Every ledger change ends with `afterLedgerCommit`.
import type { Pool, Queryable } from '@krt/platform/persistence';
import type { BalanceSnapshot } from '../accounts/balance-cache';
import type { PaymentsContext } from './payments.context';

export const accountReadKey = (accountId: string) => `account:${accountId}`;

/** The pool for the account's customer-facing queries (statement, summary, transfer list). */
export function readPoolFor(ctx: PaymentsContext, accountId: string): Promise<Pool> {
  return ctx.reads.poolFor(accountReadKey(accountId));
}

/**
 * Inside a transaction the customer may learn about before its writer returns (a consumer or the sweeper settling a
 * PIX the payer polls on the primary): keeps the accounts' reads on the primary until `afterLedgerCommit`.
 */
export function ledgerChangePending(ctx: PaymentsContext, snapshots: BalanceSnapshot[]): Promise<void> {
  return ctx.reads.markPending(snapshots.map((s) => accountReadKey(s.accountId)));
}

/**
 * After COMMIT of a ledger/reserve change: the balance read model and the read-your-writes note of every account.
 * A caller that still holds its connection passes it as `primary`: asking the pool for a second one while holding the
 * first starves the pool under load (every request waits for the pool timeout and the notes are lost).
 */
export async function afterLedgerCommit(
  ctx: PaymentsContext,
  snapshots: BalanceSnapshot | BalanceSnapshot[],
  opts: { settlesPending?: boolean; primary?: Queryable } = {},
): Promise<void> {
  const list = Array.isArray(snapshots) ? snapshots : [snapshots];
  await Promise.all([ctx.balanceCache.store(list), ctx.reads.recordCommitted(list.map((s) => accountReadKey(s.accountId)), opts)]);
}
