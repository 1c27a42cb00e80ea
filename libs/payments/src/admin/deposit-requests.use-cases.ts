// Sandbox deposits under dual control (maker–checker, issue #19): one operator requests, a second, different operator
// approves, and only then does money move (postDeposit: the bank's cash account → the customer, double-entry). The
// decision and the posting are one transaction holding the request's row lock, so approving twice never posts twice.
// Every step appends an audit row in its own transaction. Production refuses all of it unless enabled (config).
import { Money } from '@krt/domain';
import { appendAudit, withTransaction, type PoolClient, type Queryable } from '@krt/platform/persistence';
import { AppError } from '@krt/platform/http';
import { createHash, randomUUID } from 'node:crypto';
import { postDeposit } from '../accounts/deposit.use-case';
import { apiAmount } from '../shared/money-format';
import { PaymentsErrors } from '../shared/payments.errors';
import type { PaymentsContext } from '../shared/payments.context';
import { afterLedgerCommit } from '../shared/read-routing';
import type { Operator } from './operator';

export type DepositRequestStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED';

export interface DepositRequestView {
  id: string;
  accountId: string;
  holderName: string;
  amount: string;
  description: string;
  reason: string;
  status: DepositRequestStatus;
  requestedBy: string;
  requestedByName: string | null;
  requestedAt: string;
  expiresAt: string;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  journalId: string | null;
}

interface RequestRow {
  id: string;
  account_id: string;
  holder_name: string;
  amount: bigint;
  description: string;
  reason: string;
  status: DepositRequestStatus;
  /** The status as of now: a PENDING request past its expiry reads as EXPIRED. */
  effective_status: DepositRequestStatus;
  requested_by: string;
  requested_by_name: string | null;
  requested_at: Date;
  expires_at: Date;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  journal_id: string | null;
}

const SELECT = `SELECT d.*, a.holder_name,
    CASE WHEN d.status = 'PENDING' AND d.expires_at <= now() THEN 'EXPIRED' ELSE d.status END AS effective_status
  FROM deposit_requests d JOIN accounts a ON a.id = d.account_id`;

const view = (r: RequestRow): DepositRequestView => ({
  id: r.id,
  accountId: r.account_id,
  holderName: r.holder_name,
  amount: apiAmount(r.amount),
  description: r.description,
  reason: r.reason,
  status: r.effective_status,
  requestedBy: r.requested_by,
  requestedByName: r.requested_by_name,
  requestedAt: r.requested_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
  decidedBy: r.decided_by,
  decidedByName: r.decided_by_name,
  decidedAt: r.decided_at?.toISOString() ?? null,
  decisionReason: r.decision_reason,
  journalId: r.journal_id,
});

function ensureEnabled(ctx: PaymentsContext): void {
  if (!ctx.sandboxDeposits.enabled) throw PaymentsErrors.sandboxDepositsDisabled();
}

async function loadRequest(db: Queryable, id: string, lock: boolean): Promise<RequestRow | null> {
  const { rows } = await db.query<RequestRow>(`${SELECT} WHERE d.id = $1${lock ? ' FOR UPDATE OF d' : ''}`, [id]);
  return rows[0] ?? null;
}

const audit = (client: PoolClient, op: Operator, action: string, r: Pick<RequestRow, 'id' | 'account_id' | 'amount'>, reason: string | null, details: Record<string, unknown> = {}) =>
  appendAudit(client, {
    actor: op.id,
    actorName: op.name,
    action,
    subjectType: 'deposit_request',
    subjectId: r.id,
    reason,
    correlationId: op.correlationId,
    details: { accountId: r.account_id, amount: apiAmount(r.amount), ...details },
  });

export interface RequestDepositCommand {
  accountId: string;
  amount: Money;
  description?: string | undefined;
  reason: string;
  /** The client's Idempotency-Key, if it sent one: the same key again answers the request it made (`replayed`). */
  idempotencyKey?: string | undefined;
}

/**
 * The maker's step: a PENDING request (no money moves) that expires after the configured TTL. With an idempotency key,
 * a repeat by the same operator answers the first request (`replayed: true`, nothing new, no second audit row) and the
 * same key with other data is refused (422 IDEMPOTENCY_KEY_REUSED), so a retried POST never gives a checker two
 * requests to approve.
 */
export async function requestDeposit(ctx: PaymentsContext, op: Operator, cmd: RequestDepositCommand): Promise<DepositRequestView & { replayed: boolean }> {
  ensureEnabled(ctx);
  const description = cmd.description?.trim() ?? '';
  const reason = cmd.reason.trim();
  const hash = createHash('sha256').update(JSON.stringify([cmd.accountId, cmd.amount.toCentavos().toString(), description, reason])).digest('hex');
  return withTransaction(ctx.pool, async (client) => {
    const { rows } = await client.query<{ kind: string }>('SELECT kind FROM accounts WHERE id = $1', [cmd.accountId]);
    if (rows[0]?.kind !== 'CUSTOMER') throw PaymentsErrors.accountNotFound();
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO deposit_requests (id, account_id, amount, description, reason, requested_by, requested_by_name, expires_at, correlation_id, idempotency_key, request_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8), $9, $10, $11)
       ON CONFLICT (requested_by, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING id`,
      [randomUUID(), cmd.accountId, cmd.amount.toCentavos().toString(), description, reason, op.id, op.name ?? null, ctx.sandboxDeposits.requestTtlSeconds, op.correlationId, cmd.idempotencyKey ?? null, hash],
    );
    if (inserted.rows[0]) {
      const r = (await loadRequest(client, inserted.rows[0].id, false))!;
      await audit(client, op, 'deposit.requested', r, r.reason, { description: r.description, expiresAt: r.expires_at.toISOString() });
      return { ...view(r), replayed: false };
    }
    const first = await client.query<{ id: string; request_hash: string }>('SELECT id, request_hash FROM deposit_requests WHERE requested_by = $1 AND idempotency_key = $2', [op.id, cmd.idempotencyKey]);
    if (first.rows[0]?.request_hash !== hash) throw PaymentsErrors.idempotencyKeyReused();
    return { ...view((await loadRequest(client, first.rows[0].id, false))!), replayed: true };
  });
}

/** The requests, newest first (at most 200), optionally of one status (EXPIRED includes PENDING ones past their expiry). */
export async function listDepositRequests(ctx: PaymentsContext, filter: { status?: DepositRequestStatus | undefined; accountId?: string | undefined } = {}) {
  ensureEnabled(ctx);
  const { rows } = await ctx.pool.query<RequestRow>(
    `SELECT * FROM (${SELECT}) x
      WHERE ($1::text IS NULL OR x.effective_status = $1) AND ($2::uuid IS NULL OR x.account_id = $2)
      ORDER BY x.requested_at DESC, x.id DESC LIMIT 200`,
    [filter.status ?? null, filter.accountId ?? null],
  );
  return { items: rows.map(view) };
}

/**
 * A decision's outcome: the refusals that must still leave a trace (an expired request marked EXPIRED, the
 * requester's own approval attempt) commit their audit row first and are thrown after the commit.
 */
type Decision<T> = { ok: T } | { refused: AppError };

async function decide<T>(ctx: PaymentsContext, fn: (client: PoolClient) => Promise<Decision<T>>): Promise<T> {
  const outcome = await withTransaction(ctx.pool, fn);
  if ('refused' in outcome) throw outcome.refused;
  return outcome.ok;
}

/** Locks the request; 404 / 409 DECIDED / 409 EXPIRED (marked EXPIRED and audited) before any decision. */
async function lockPending(client: PoolClient, op: Operator, id: string, attempted: string): Promise<Decision<RequestRow>> {
  const r = await loadRequest(client, id, true);
  if (!r) throw PaymentsErrors.depositRequestNotFound();
  if (r.status === 'EXPIRED') throw PaymentsErrors.depositRequestExpired();
  if (r.status !== 'PENDING') throw PaymentsErrors.depositRequestDecided(r.status);
  if (r.effective_status === 'EXPIRED') {
    await client.query("UPDATE deposit_requests SET status = 'EXPIRED', decided_at = now() WHERE id = $1", [r.id]);
    await audit(client, op, 'deposit.expired', r, null, { attempted, expiresAt: r.expires_at.toISOString() });
    return { refused: PaymentsErrors.depositRequestExpired() };
  }
  return { ok: r };
}

/**
 * The checker's step: a second operator approves and the deposit is posted, in one transaction. The requester's own
 * approval is refused (403 SAME_OPERATOR, audited, nothing posted).
 */
export async function approveDepositRequest(ctx: PaymentsContext, op: Operator, id: string): Promise<DepositRequestView & { posted: string; available: string }> {
  ensureEnabled(ctx);
  const result = await decide(ctx, async (client) => {
    const pending = await lockPending(client, op, id, 'approve');
    if ('refused' in pending) return pending;
    const r = pending.ok;
    if (r.requested_by === op.id) {
      await audit(client, op, 'deposit.approval_refused', r, null, { code: 'SAME_OPERATOR' });
      return { refused: PaymentsErrors.sameOperator() };
    }
    const posted = await postDeposit(client, { accountId: r.account_id, amount: Money.fromCentavos(r.amount), description: r.description || undefined }, new Date());
    await client.query(
      "UPDATE deposit_requests SET status = 'APPROVED', decided_by = $2, decided_by_name = $3, decided_at = now(), journal_id = $4 WHERE id = $1",
      [r.id, op.id, op.name ?? null, posted.journalId],
    );
    await audit(client, op, 'deposit.approved', r, null, { journalId: posted.journalId, requestedBy: r.requested_by });
    const done = (await loadRequest(client, id, false))!;
    return { ok: { done, posted } };
  });
  await afterLedgerCommit(ctx, result.posted.snapshots);
  return { ...view(result.done), posted: apiAmount(result.posted.posted), available: apiAmount(result.posted.posted - result.posted.reserved) };
}

/** Either operator (the requester too: a withdrawal) rejects a pending request, with a reason; nothing moves. */
export async function rejectDepositRequest(ctx: PaymentsContext, op: Operator, id: string, reason: string): Promise<DepositRequestView> {
  ensureEnabled(ctx);
  return decide(ctx, async (client) => {
    const pending = await lockPending(client, op, id, 'reject');
    if ('refused' in pending) return pending;
    const r = pending.ok;
    await client.query(
      "UPDATE deposit_requests SET status = 'REJECTED', decided_by = $2, decided_by_name = $3, decided_at = now(), decision_reason = $4 WHERE id = $1",
      [r.id, op.id, op.name ?? null, reason.trim()],
    );
    await audit(client, op, 'deposit.rejected', r, reason.trim(), { requestedBy: r.requested_by });
    return { ok: view((await loadRequest(client, id, false))!) };
  });
}
