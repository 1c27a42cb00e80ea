// The operators' side of onboarding (issue #19): look a customer up by CPF or name, read one KYC application, and
// write every such view to the audit log (@krt/platform/audit). Decisions are audited in review-application.ts.
import { Cpf, Email, Phone } from '@krt/domain';
import { appendAudit } from '@krt/platform/persistence';
import type { Queryable } from '@krt/platform/persistence';
import { Errors } from '@krt/platform/http';
import { customerRepository } from '../infra/customer.repository';
import type { ApplicationStatus } from '../domain/kyc-application';
import { OnboardingErrors } from './onboarding.errors';

/** Who is acting, from the operator's token, and the request's correlation id. */
export interface Operator {
  userId: string;
  username?: string | undefined;
  correlationId?: string | undefined;
}

/** Appends one row to onboarding's audit log for an operator's action. */
export function auditOperator(db: Queryable, op: Operator, entry: { action: string; subjectType: string; subjectId: string; reason?: string | null; details?: Record<string, unknown> }) {
  return appendAudit(db, { actor: op.userId, actorName: op.username ?? null, correlationId: op.correlationId ?? null, ...entry });
}

/** Lower case without accents, as the database's `full_name_search` column (see its migration). */
export function foldName(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

const likePrefix = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface CustomerSearchItem {
  /** The Keycloak user id (null until the account is provisioned). */
  customerId: string | null;
  /** The application id, also the KRT customer id (token claim `customer_id`, payments' accounts.customer_id). */
  applicationId: string;
  fullName: string;
  cpfMasked: string;
  email: string;
  status: ApplicationStatus;
  createdAt: string;
}

export interface CustomerQuery {
  cpf?: string | undefined;
  name?: string | undefined;
}

/**
 * By CPF (exact; digits or the dotted form 529.982.247-25) and/or by name (prefix of the full name or of any of its
 * words, ignoring case and accents); with both, both must match; with neither (or a name that folds to nothing), no
 * customer. At most `limit` (default 20) items, newest first. Audited (`customer.searched`).
 */
export async function searchCustomers(db: Queryable, op: Operator, q: CustomerQuery, limit = 20): Promise<{ items: CustomerSearchItem[] }> {
  const where: string[] = [];
  const params: unknown[] = [];
  let cpf: string | undefined;
  let name: string | undefined;
  if (q.cpf !== undefined) {
    cpf = q.cpf.replace(/\D/g, '');
    if (!/^\d{11}$/.test(cpf)) throw Errors.validation([{ field: 'cpf', code: 'CPF_INVALID', message: 'Informe os 11 dígitos do CPF.' }]);
    params.push(cpf);
    where.push(`cpf = $${params.length}`);
  }
  if (q.name !== undefined) {
    name = foldName(q.name);
    params.push(likePrefix(name));
    where.push(`(full_name_search LIKE $${params.length} || '%' OR full_name_search LIKE '% ' || $${params.length} || '%')`);
  }
  let items: CustomerSearchItem[] = [];
  if (where.length > 0 && name !== '') {
    params.push(limit);
    const { rows } = await db.query<{ id: string; keycloak_user_id: string | null; full_name: string; cpf: string; email: string; status: ApplicationStatus; created_at: Date }>(
      `SELECT id, keycloak_user_id, full_name, cpf, email, status, created_at FROM customers WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id LIMIT $${params.length}`,
      params,
    );
    items = rows.map((r) => ({
      customerId: r.keycloak_user_id,
      applicationId: r.id,
      fullName: r.full_name,
      cpfMasked: Cpf.of(r.cpf).mask(),
      email: Email.of(r.email).mask(),
      status: r.status,
      createdAt: r.created_at.toISOString(),
    }));
  }
  await auditOperator(db, op, {
    action: 'customer.searched',
    subjectType: 'customer_search',
    subjectId: cpf ?? name ?? '',
    details: { by: cpf !== undefined ? (name !== undefined ? 'cpf+name' : 'cpf') : name !== undefined ? 'name' : 'nothing', ...(cpf !== undefined && name !== undefined ? { name } : {}), results: items.length, applicationIds: items.map((i) => i.applicationId) },
  });
  return { items };
}

/**
 * One KYC application as a reviewer reads it: the applicant's data (CPF whole — the reviewer compares it with the
 * document image — e-mail and phone masked), the automatic checks and their reasons, every decision so far, and
 * which images exist. Audited (`kyc.application.viewed`).
 */
export async function getApplication(db: Queryable, op: Operator, id: string) {
  const row = await customerRepository.findById(db, id);
  if (!row) throw OnboardingErrors.applicationNotFound();
  const decisions = await customerRepository.decisions(db, id);
  const automatic = decisions.find((d) => d.decidedBy === 'system');
  const { rows: docs } = await db.query<{ kind: 'document' | 'selfie'; content_type: string; size_bytes: number }>(
    'SELECT kind, content_type, size_bytes FROM kyc_documents WHERE customer_id = $1 ORDER BY kind',
    [id],
  );
  await auditOperator(db, op, { action: 'kyc.application.viewed', subjectType: 'kyc_application', subjectId: id, details: { status: row.status } });
  return {
    applicationId: row.id,
    status: row.status,
    fullName: row.fullName,
    cpf: row.cpf,
    cpfMasked: Cpf.of(row.cpf).mask(),
    birthDate: row.birthDate,
    email: Email.of(row.email).mask(),
    phone: Phone.of(row.phone).mask(),
    address: { city: row.address.city, state: row.address.state },
    document: row.document,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    reviewReasons: row.reviewReasons,
    automaticChecks: automatic ? { outcome: automatic.decision, reason: automatic.reason, checks: automatic.checks, decidedAt: automatic.decidedAt } : null,
    decisions,
    decisionReason: row.decisionReason,
    documents: docs.map((d) => ({ kind: d.kind, contentType: d.content_type, sizeBytes: d.size_bytes })),
    keycloakUserId: row.keycloakUserId,
  };
}
