// Registration use case: automatic KYC decision at once, then (when approved) provisioning.
import { Cpf, DOMAIN_ERROR_MESSAGES } from '@krt/domain';
import { withTransaction, type Pool, type Queryable } from '@krt/platform/persistence';
import { Errors } from '@krt/platform/http';
import { hashTransactionPin } from '@krt/platform/auth';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { APPLICANT_MESSAGES, canTransition, decideKyc, type ApplicationStatus, type Watchlist } from '../domain/kyc-application';
import type { RegistrationCommand } from '../domain/registration.validation';
import { customerRepository, duplicateField } from '../infra/customer.repository';
import type { PasswordVault } from '../infra/password-vault';
import { OnboardingErrors } from './onboarding.errors';
import type { Provisioner } from './provision-customer';

export interface ApplicationView {
  applicationId: string;
  status: ApplicationStatus;
  reason?: string;
}

export interface RegisterDeps {
  pool: Pool;
  vault: PasswordVault;
  watchlist: Watchlist;
  provisioner: Provisioner;
  /** TRANSACTION_PIN_KEY: the PIN is kept only as its keyed hash (see @krt/platform/transaction-pin). */
  pinKey: Buffer;
  now?: () => Date;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest();

export function applicationView(id: string, status: ApplicationStatus): ApplicationView {
  const reason = status === 'REJECTED' ? 'Não foi possível aprovar seu cadastro.' : APPLICANT_MESSAGES[status];
  return { applicationId: id, status, ...(reason ? { reason } : {}) };
}

export async function registerCustomer(deps: RegisterDeps, cmd: RegistrationCommand, ctx: { correlationId: string }): Promise<ApplicationView & { statusToken: string }> {
  const now = deps.now?.() ?? new Date();
  const id = randomUUID();
  const statusToken = randomBytes(32).toString('base64url');
  const identity = { cpf: cmd.cpf.value, email: cmd.email.value, phone: cmd.phone.toE164() };

  const previouslyRejected = await customerRepository.previouslyRejected(deps.pool, identity);
  const watch = deps.watchlist.match(cmd.fullName) ?? null;
  const checks = { cpfValid: true, adult: cmd.birthDate.isAdultOn(now), watchlist: watch, previouslyRejected };
  const decision = decideKyc(checks);
  if (!canTransition('PENDING_KYC', decision.status)) throw new Error(`illegal KYC transition to ${decision.status}`);

  try {
    await withTransaction(deps.pool, async (tx) => {
      await customerRepository.insert(tx, {
        id,
        status: decision.status,
        fullName: cmd.fullName,
        ...identity,
        birthDate: cmd.birthDate.toIsoString(),
        address: cmd.address,
        document: cmd.document,
        statusTokenHash: sha256(statusToken),
        reviewReasons: decision.reasons,
        acceptedAt: now,
      });
      await customerRepository.insertDocument(tx, id, 'document', cmd.documentImage, sha256(cmd.documentImage.bytes));
      await customerRepository.insertDocument(tx, id, 'selfie', cmd.selfieImage, sha256(cmd.selfieImage.bytes));
      await customerRepository.insertDecision(tx, {
        customerId: id,
        decision: decision.status,
        decidedBy: 'system',
        reason: decision.reasons.length ? decision.reasons.join(',') : 'all automatic checks passed',
        checks: { ...checks, watchlist: watch ? { list: watch.list } : null },
      });
      // Held encrypted until the Keycloak user exists (see PasswordVault); also while a review is pending.
      await tx.query('INSERT INTO provisioning (customer_id, password_ciphertext, transaction_pin_hash, correlation_id) VALUES ($1, $2, $3, $4)', [
        id,
        deps.vault.seal(cmd.password, id),
        hashTransactionPin(deps.pinKey, id, cmd.transactionPin),
        ctx.correlationId,
      ]);
    });
  } catch (err) {
    const field = duplicateField(err);
    if (field) throw OnboardingErrors.duplicate(field);
    throw err;
  }

  let status: ApplicationStatus = decision.status;
  if (decision.status === 'APPROVED' && (await deps.provisioner.provision(id)) === 'ACTIVE') status = 'ACTIVE';
  return { ...applicationView(id, status), statusToken };
}

/** Public status check: the id and the token handed out at registration. Unknown id and wrong token look the same. */
export async function applicationStatus(pool: Pool, id: string, token: string): Promise<ApplicationView> {
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await customerRepository.findById(pool, id) : undefined;
  const given = sha256(token);
  if (!row || row.statusTokenHash.length !== given.length || !timingSafeEqual(row.statusTokenHash, given)) throw OnboardingErrors.applicationNotFound();
  return applicationView(row.id, row.status);
}

/**
 * The account-opening form's first step asks whether a CPF can still open an account, so a customer who already has one
 * hears it before typing everything else. The answer says only "taken or not" — never whose, nor in what state.
 */
export async function checkCpfAvailable(db: Queryable, rawCpf: string): Promise<{ available: boolean }> {
  const cpf = Cpf.parse(rawCpf, 'cpf');
  if (!cpf.ok) throw Errors.validation([{ field: 'cpf', code: 'CPF_INVALID', message: DOMAIN_ERROR_MESSAGES.CPF_INVALID }]);
  return { available: !(await customerRepository.cpfTaken(db, cpf.value.value)) };
}
