// Operators' audit trail (issue #19): every back-office action appends one row to the service's own `audit_log`
// table, in the same transaction as the action. The table is append-only (each service's migration: a trigger refuses
// UPDATE, DELETE and TRUNCATE, and the application's role has no such privilege).
import type { Queryable } from './db';
import { AppError } from '../http/errors';

export interface AuditEntry {
  /** The operator's Keycloak user id (the token's `sub`). */
  actor: string;
  /** The operator's username (`preferred_username`), for people reading the log. */
  actorName?: string | null | undefined;
  /** What was done, `<subject>.<verb>` in the past tense, e.g. `deposit.requested`, `account.blocked`. */
  action: string;
  /** What it was done to, e.g. `deposit_request`, `account`. */
  subjectType: string;
  subjectId: string;
  /** The reason the operator gave (required by the actions that change something). */
  reason?: string | null | undefined;
  correlationId?: string | null | undefined;
  /** Anything else worth keeping (amounts as strings, outcomes). Never secrets nor whole documents. */
  details?: Record<string, unknown> | undefined;
}

export interface AuditItem {
  /** The row's id (a decimal string); also the `before` cursor of the next page. */
  id: string;
  service: string;
  occurredAt: string;
  actorId: string;
  actorName: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  reason: string | null;
  correlationId: string | null;
  details: Record<string, unknown>;
}

export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  subjectId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** 1–200, default 50. */
  limit?: number | undefined;
  /** An item's id: the rows older than it (the previous page's `nextBefore`). */
  before?: string | undefined;
}

export interface AuditPage {
  items: AuditItem[];
  /** The `before` of the next (older) page; null on the last page. */
  nextBefore: string | null;
}

export const AUDIT_DEFAULT_LIMIT = 50;
export const AUDIT_MAX_LIMIT = 200;

/** Appends one audit row. Pass the open transaction's client so the row commits (or rolls back) with the action. */
export async function appendAudit(sql: Queryable, entry: AuditEntry): Promise<void> {
  await sql.query(
    `INSERT INTO audit_log (actor_id, actor_name, action, subject_type, subject_id, reason, correlation_id, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
    [entry.actor, entry.actorName ?? null, entry.action, entry.subjectType, entry.subjectId, entry.reason ?? null, entry.correlationId ?? null, JSON.stringify(entry.details ?? {})],
  );
}

interface AuditRow {
  id: bigint | string;
  service: string;
  occurred_at: Date;
  actor_id: string;
  actor_name: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  reason: string | null;
  correlation_id: string | null;
  details: Record<string, unknown> | null;
}

const invalidCursor = () =>
  new AppError(422, 'VALIDATION_FAILED', 'Alguns dados estão inválidos. Verifique os campos.', {
    errors: [{ field: 'before', code: 'INVALID_CURSOR', message: 'Cursor inválido.' }],
  });

/** The audit rows matching the filter, newest first, keyset-paginated on the id. */
export async function listAudit(sql: Queryable, filter: AuditFilter = {}): Promise<AuditPage> {
  const limit = Math.min(AUDIT_MAX_LIMIT, Math.max(1, Math.trunc(filter.limit ?? AUDIT_DEFAULT_LIMIT)));
  if (filter.before !== undefined && !/^[1-9][0-9]{0,17}$/.test(filter.before)) throw invalidCursor();
  const { rows } = await sql.query<AuditRow>(
    `SELECT id, service, occurred_at, actor_id, actor_name, action, subject_type, subject_id, reason, correlation_id, details
       FROM audit_log
      WHERE ($1::text IS NULL OR actor_id = $1 OR actor_name = $1)
        AND ($2::text IS NULL OR action = $2)
        AND ($3::text IS NULL OR subject_id = $3)
        AND ($4::timestamptz IS NULL OR occurred_at >= $4)
        AND ($5::timestamptz IS NULL OR occurred_at < $5)
        AND ($6::bigint IS NULL OR id < $6)
      ORDER BY id DESC
      LIMIT $7`,
    [filter.actor ?? null, filter.action ?? null, filter.subjectId ?? null, filter.from ?? null, filter.to ?? null, filter.before ?? null, limit + 1],
  );
  const page = rows.slice(0, limit).map(toItem);
  return { items: page, nextBefore: rows.length > limit ? page[page.length - 1]!.id : null };
}

function toItem(r: AuditRow): AuditItem {
  return {
    id: String(r.id),
    service: r.service,
    occurredAt: r.occurred_at.toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    reason: r.reason,
    correlationId: r.correlation_id,
    details: r.details ?? {},
  };
}
