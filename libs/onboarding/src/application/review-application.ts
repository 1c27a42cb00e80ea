// Manual KYC review by an admin: list, approve (then provision), reject with a reason. Every decision is audited
// twice: the KYC decision trail (kyc_decisions) and the operators' audit log (audit_log), in the decision's transaction.
import { Errors } from '@krt/platform/http';
import { withTransaction, type Pool } from '@krt/platform/persistence';
import { canTransition, type ApplicationStatus } from '../domain/kyc-application';
import { customerRepository } from '../infra/customer.repository';
import { OnboardingErrors } from './onboarding.errors';
import type { Provisioner } from './provision-customer';
import { auditOperator } from './back-office';
import { applicationView, type ApplicationView } from './register-customer';

export interface Reviewer {
  userId: string;
  username?: string;
  correlationId?: string;
}

export async function listApplications(pool: Pool, q: { status: ApplicationStatus; limit: number; cursor?: string }) {
  let after: { createdAt: string; id: string } | undefined;
  if (q.cursor) {
    const [createdAt, id] = Buffer.from(q.cursor, 'base64url').toString('utf8').split('|');
    if (!createdAt || !id || Number.isNaN(Date.parse(createdAt)) || !/^[0-9a-f-]{36}$/i.test(id)) throw Errors.validation([{ field: 'cursor', code: 'INVALID_CURSOR', message: 'Cursor de paginação inválido.' }]);
    after = { createdAt, id };
  }
  const rows = await customerRepository.list(pool, { status: q.status, limit: q.limit + 1, after });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const items = await Promise.all(
    page.map(async (r) => ({
      applicationId: r.id,
      status: r.status,
      fullName: r.fullName,
      // Reviewers compare the CPF with the document image, so they see it in full (admins only).
      cpf: r.cpf,
      birthDate: r.birthDate,
      document: r.document,
      reviewReasons: r.reviewReasons,
      createdAt: r.createdAt.toISOString(),
      decisions: await customerRepository.decisions(pool, r.id),
    })),
  );
  return { items, nextCursor: rows.length > q.limit && last ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url') : null };
}

/** The queue as an operator saw it, written to the audit log (`kyc.queue.listed`) after the page was read. */
export async function auditQueueListed(pool: Pool, reviewer: Reviewer, q: { status: ApplicationStatus; cursor?: string }, applicationIds: string[]): Promise<void> {
  await auditOperator(pool, reviewer, {
    action: 'kyc.queue.listed',
    subjectType: 'kyc_queue',
    subjectId: q.status,
    details: { cursor: q.cursor ?? null, applicationIds },
  });
}

async function decide(pool: Pool, id: string, to: 'APPROVED' | 'REJECTED', reviewer: Reviewer, reason: string | null): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const row = await customerRepository.findById(tx, id, { forUpdate: true });
    if (!row) throw OnboardingErrors.applicationNotFound();
    if (row.status !== 'PENDING_REVIEW' || !canTransition(row.status, to)) throw OnboardingErrors.notPendingReview(row.status);
    await tx.query(
      `UPDATE customers SET status = $2, decision_reason = $3, updated_at = now(), approved_at = CASE WHEN $2 = 'APPROVED' THEN now() END WHERE id = $1`,
      [id, to, reason],
    );
    await customerRepository.insertDecision(tx, { customerId: id, decision: to, decidedBy: reviewer.userId, decidedByName: reviewer.username ?? null, reason });
    await auditOperator(tx, reviewer, { action: to === 'APPROVED' ? 'kyc.application.approved' : 'kyc.application.rejected', subjectType: 'kyc_application', subjectId: id, reason });
    // A rejected application never gets a Keycloak user: its sealed password is wiped now.
    if (to === 'REJECTED') await tx.query('DELETE FROM provisioning WHERE customer_id = $1', [id]);
  });
}

export async function approveApplication(pool: Pool, provisioner: Provisioner, id: string, reviewer: Reviewer, reason: string | null): Promise<ApplicationView> {
  await decide(pool, id, 'APPROVED', reviewer, reason);
  const outcome = await provisioner.provision(id);
  return applicationView(id, outcome === 'ACTIVE' ? 'ACTIVE' : 'APPROVED');
}

export async function rejectApplication(pool: Pool, id: string, reviewer: Reviewer, reason: string): Promise<ApplicationView> {
  await decide(pool, id, 'REJECTED', reviewer, reason);
  return applicationView(id, 'REJECTED');
}

