// Account reads: the caller's account and its balance (Redis read model, primary database on a miss).
import { availableBalance, Money } from '@krt/domain';
import { apiAmount } from '../shared/money-format';
import { PaymentsErrors } from '../shared/payments.errors';
import type { PaymentsContext } from '../shared/payments.context';
import { findAccountByCustomer, findAccountById, snapshotOf, type AccountRow } from './account.repository';

export const accountView = (a: AccountRow) => ({
  accountId: a.id,
  customerId: a.customer_id!,
  holderName: a.holder_name,
  agency: a.agency,
  number: a.number,
  status: a.status,
  createdAt: a.created_at.toISOString(),
});

export async function getMyAccount(ctx: PaymentsContext, customerId: string) {
  // The primary: right after the Account consumer opened it, a replica might not have the row yet.
  const account = await findAccountByCustomer(ctx.pool, customerId);
  if (!account) throw PaymentsErrors.accountNotFound();
  return accountView(account);
}

export async function readBalance(ctx: PaymentsContext, account: Pick<AccountRow, 'id'>) {
  let snap = await ctx.balanceCache.get(account.id);
  let source: 'cache' | 'database' = 'cache';
  if (!snap) {
    const row = await findAccountById(ctx.pool, account.id);
    if (!row) throw PaymentsErrors.accountNotFound();
    snap = snapshotOf(row, new Date());
    source = 'database';
    await ctx.balanceCache.store(snap);
  }
  return {
    accountId: account.id,
    available: availableBalance(Money.fromCentavos(snap.posted), Money.fromCentavos(snap.reserved)).toApiString(),
    posted: apiAmount(snap.posted),
    reserved: apiAmount(snap.reserved),
    currency: 'BRL' as const,
    asOf: snap.asOf.toISOString(),
    source,
  };
}

export async function getMyBalance(ctx: PaymentsContext, customerId: string) {
  const id = await accountIdOf(ctx, customerId);
  const { source: _source, ...balance } = await readBalance(ctx, { id });
  return balance;
}

/** customer id → account id, cached in Redis (it never changes once opened). */
export async function accountIdOf(ctx: PaymentsContext, customerId: string): Promise<string> {
  const key = `payments:account-of:${customerId}`;
  const cached = await ctx.redis.get(key).catch(() => null);
  if (cached) return cached;
  const account = await findAccountByCustomer(ctx.pool, customerId);
  if (!account) throw PaymentsErrors.accountNotFound();
  await ctx.redis.set(key, account.id, 'EX', 3600).catch(() => undefined);
  return account.id;
}
