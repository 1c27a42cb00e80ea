// The back office's account view and block / unblock (issue #19). A BLOCKED account sends and receives no PIX
// (initiation and devolução refuse it; a PIX already under way to it fails and is compensated at settlement). Every
// call appends an audit row in its own transaction; the view reads the primary (an operator acts on what is true now).
import { appendAudit, withTransaction, type PoolClient } from '@krt/platform/persistence';
import { apiAmount } from '../shared/money-format';
import { PaymentsErrors } from '../shared/payments.errors';
import type { PaymentsContext } from '../shared/payments.context';
import type { Operator } from './operator';

export interface AdminAccountView {
  accountId: string;
  /** The KRT customer id (accounts.customer_id). */
  customerId: string;
  /** The customer's Keycloak user id (the token's `sub`; the BFF's session index). */
  keycloakUserId: string | null;
  holderName: string;
  agency: string;
  number: string;
  status: 'ACTIVE' | 'BLOCKED' | 'CLOSED';
  blockedReason: string | null;
  blockedAt: string | null;
  balance: { posted: string; available: string };
  lastTransfers: { id: string; direction: 'SENT' | 'RECEIVED'; amount: string; counterpartyName: string; status: string; createdAt: string }[];
}

interface AccountViewRow {
  id: string;
  customer_id: string;
  keycloak_user_id: string | null;
  holder_name: string;
  agency: string;
  number: string;
  status: 'ACTIVE' | 'BLOCKED' | 'CLOSED';
  blocked_reason: string | null;
  blocked_at: Date | null;
  posted: bigint;
  reserved: bigint;
}

interface TransferLine {
  id: string;
  sent: boolean;
  amount: bigint;
  counterparty_name: string;
  status: string;
  created_at: Date;
}

const COLUMNS = 'id, customer_id, keycloak_user_id, holder_name, agency, number, status, blocked_reason, blocked_at, posted, reserved';
const LAST_TRANSFERS = 10;

async function viewOf(db: PoolClient, a: AccountViewRow): Promise<AdminAccountView> {
  const { rows } = await db.query<TransferLine>(
    `SELECT t.id, t.payer_account_id = $1 AS sent, t.amount, t.status, t.created_at,
            CASE WHEN t.payer_account_id = $1 THEN r.holder_name ELSE p.holder_name END AS counterparty_name
       FROM pix_transfers t JOIN accounts p ON p.id = t.payer_account_id JOIN accounts r ON r.id = t.receiver_account_id
      WHERE t.id IN ((SELECT id FROM pix_transfers WHERE payer_account_id = $1 ORDER BY created_at DESC LIMIT $2)
                     UNION ALL (SELECT id FROM pix_transfers WHERE receiver_account_id = $1 ORDER BY created_at DESC LIMIT $2))
      ORDER BY t.created_at DESC, t.id DESC LIMIT $2`,
    [a.id, LAST_TRANSFERS],
  );
  return {
    accountId: a.id,
    customerId: a.customer_id,
    keycloakUserId: a.keycloak_user_id,
    holderName: a.holder_name,
    agency: a.agency,
    number: a.number,
    status: a.status,
    blockedReason: a.blocked_reason,
    blockedAt: a.blocked_at?.toISOString() ?? null,
    balance: { posted: apiAmount(a.posted), available: apiAmount(a.posted - a.reserved) },
    lastTransfers: rows.map((t) => ({
      id: t.id,
      direction: t.sent ? 'SENT' : 'RECEIVED',
      amount: apiAmount(t.amount),
      counterpartyName: t.counterparty_name,
      status: t.status,
      createdAt: t.created_at.toISOString(),
    })),
  };
}

const auditAccount = (client: PoolClient, op: Operator, action: string, a: AccountViewRow, reason: string | null, details: Record<string, unknown> = {}) =>
  appendAudit(client, { actor: op.id, actorName: op.name, action, subjectType: 'account', subjectId: a.id, reason, correlationId: op.correlationId, details: { customerId: a.customer_id, ...details } });

/**
 * One customer account, by its id or its owner (`customerId`: the KRT customer id or the Keycloak user id, as the
 * onboarding customer search gives it). 404 ACCOUNT_NOT_FOUND otherwise. Audited as `account.viewed`.
 */
export async function getAdminAccount(ctx: PaymentsContext, op: Operator, by: { accountId?: string | undefined; customerId?: string | undefined }): Promise<AdminAccountView> {
  return withTransaction(ctx.pool, async (client) => {
    const { rows } = by.accountId
      ? await client.query<AccountViewRow>(`SELECT ${COLUMNS} FROM accounts WHERE kind = 'CUSTOMER' AND id = $1`, [by.accountId])
      : await client.query<AccountViewRow>(`SELECT ${COLUMNS} FROM accounts WHERE kind = 'CUSTOMER' AND (customer_id::text = lower($1) OR keycloak_user_id = $1) LIMIT 1`, [by.customerId ?? '']);
    const a = rows[0];
    if (!a) throw PaymentsErrors.accountNotFound();
    await auditAccount(client, op, 'account.viewed', a, null);
    return viewOf(client, a);
  });
}

async function setBlocked(ctx: PaymentsContext, op: Operator, accountId: string, reason: string, block: boolean): Promise<AdminAccountView> {
  return withTransaction(ctx.pool, async (client) => {
    // The same row lock as every balance change: a PIX being initiated for this account either ran before (and its
    // settlement checks the receiver again) or runs after and sees the block.
    const { rows } = await client.query<AccountViewRow>(`SELECT ${COLUMNS} FROM accounts WHERE kind = 'CUSTOMER' AND id = $1 FOR NO KEY UPDATE`, [accountId]);
    const before = rows[0];
    if (!before) throw PaymentsErrors.accountNotFound();
    if (block && before.status === 'BLOCKED') throw PaymentsErrors.accountAlreadyBlocked();
    if (!block && before.status !== 'BLOCKED') throw PaymentsErrors.accountNotBlocked();
    const { rows: after } = await client.query<AccountViewRow>(
      block
        ? `UPDATE accounts SET status = 'BLOCKED', blocked_reason = $2, blocked_at = now() WHERE id = $1 RETURNING ${COLUMNS}`
        : `UPDATE accounts SET status = 'ACTIVE', blocked_reason = NULL, blocked_at = NULL WHERE id = $1 AND $2::text IS NOT NULL RETURNING ${COLUMNS}`,
      [accountId, reason.trim()],
    );
    await auditAccount(client, op, block ? 'account.blocked' : 'account.unblocked', after[0]!, reason.trim(), block ? {} : { blockedReason: before.blocked_reason });
    return viewOf(client, after[0]!);
  });
}

export const blockAccount = (ctx: PaymentsContext, op: Operator, accountId: string, reason: string) => setBlocked(ctx, op, accountId, reason, true);
export const unblockAccount = (ctx: PaymentsContext, op: Operator, accountId: string, reason: string) => setBlocked(ctx, op, accountId, reason, false);
