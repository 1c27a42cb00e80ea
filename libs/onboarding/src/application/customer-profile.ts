// The signed-in customer's own profile: read (CPF masked) and change e-mail / phone / address.
import { TOPICS } from '@krt/contracts';
import { Cpf, Email, Phone } from '@krt/domain';
import { authenticatedWithin } from '@krt/platform/auth';
import { enqueue } from '@krt/platform/messaging';
import { withTransaction, type Pool } from '@krt/platform/persistence';
import { Errors } from '@krt/platform/http';
import { isUnavailableError } from '@krt/platform/resilience';
import { nextContactVersion } from '../domain/contact-version';
import type { ProfileChanges } from '../domain/registration.validation';
import { customerRepository, duplicateField, type CustomerRow } from '../infra/customer.repository';
import { KeycloakClientError, type KeycloakAdminClient } from '../infra/keycloak-admin.client';
import { OnboardingErrors } from './onboarding.errors';

/**
 * The profile as the API answers it: CPF always masked; e-mail and phone masked too unless the caller asks for the
 * contact details (the profile's edit form does, `reveal: 'contact'`), so a screen that only shows the profile never
 * receives them whole.
 */
export function profileView(r: CustomerRow, opts: { revealContact?: boolean } = {}) {
  return {
    customerId: r.id,
    fullName: r.fullName,
    cpf: Cpf.of(r.cpf).mask(),
    birthDate: r.birthDate,
    email: opts.revealContact ? r.email : Email.of(r.email).mask(),
    phone: opts.revealContact ? r.phone : Phone.of(r.phone).mask(),
    address: r.address,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function getProfile(pool: Pool, customerId: string | undefined, opts: { revealContact?: boolean } = {}) {
  const row = customerId ? await customerRepository.findById(pool, customerId) : undefined;
  if (!row || row.status !== 'ACTIVE') throw OnboardingErrors.customerNotFound();
  return profileView(row, opts);
}

/**
 * Applies the changes; a new e-mail is also written to the Keycloak user before the database commits, so the
 * two never disagree (Keycloak refusing or being down rolls the change back). A new e-mail or phone is announced as
 * `customer.contact-changed` through the outbox, in the same transaction (the notifications service keeps a copy of the
 * contact data); its version (`changedAt`) is also the row's `updated_at`, so one customer's versions only grow.
 *
 * The e-mail signs the customer back in (Keycloak's password reset) and both receive the bank's alerts: a change of
 * either needs the password typed at most `contactChangeMaxAuthAgeSeconds` ago (`authTime`, the token's auth_time),
 * else 403 REAUTHENTICATION_REQUIRED, so a stolen session alone cannot take the account over. An address does not.
 */
export async function updateProfile(
  pool: Pool,
  keycloak: KeycloakAdminClient,
  customerId: string | undefined,
  changes: ProfileChanges,
  ctx: { correlationId: string; authTime: number | undefined; contactChangeMaxAuthAgeSeconds: number },
) {
  if (!customerId) throw OnboardingErrors.customerNotFound();
  if ((changes.email || changes.phone) && !authenticatedWithin(ctx.authTime, ctx.contactChangeMaxAuthAgeSeconds)) throw OnboardingErrors.reauthenticationRequired();
  try {
    const row = await withTransaction(pool, async (tx) => {
      const current = await customerRepository.findById(tx, customerId, { forUpdate: true });
      if (!current || current.status !== 'ACTIVE') throw OnboardingErrors.customerNotFound();
      const changedAt = nextContactVersion(new Date(), current.updatedAt);
      const a = changes.address;
      await tx.query(
        `UPDATE customers SET email = COALESCE($2, email), phone = COALESCE($3, phone),
           cep = COALESCE($4, cep), street = COALESCE($5, street), address_number = COALESCE($6, address_number),
           complement = CASE WHEN $11 THEN $7 ELSE complement END, neighborhood = COALESCE($8, neighborhood), city = COALESCE($9, city), state = COALESCE($10, state),
           updated_at = $12
         WHERE id = $1`,
        [customerId, changes.email?.value ?? null, changes.phone?.toE164() ?? null, a?.cep ?? null, a?.street ?? null, a?.number ?? null, a?.complement ?? null,
          a?.neighborhood ?? null, a?.city ?? null, a?.state ?? null, a !== undefined, changedAt],
      );
      const newEmail = changes.email?.value;
      if (newEmail && newEmail !== current.email && current.keycloakUserId) {
        await keycloak.updateUser(current.keycloakUserId, (u) => ({ ...u, email: newEmail, emailVerified: true }));
      }
      const updated = (await customerRepository.findById(tx, customerId))!;
      if (updated.email !== current.email || updated.phone !== current.phone) {
        await enqueue(
          tx,
          {
            topic: TOPICS.customerContactChanged,
            key: customerId,
            aggregateId: customerId,
            correlationId: ctx.correlationId,
            payload: { customerId, fullName: updated.fullName, email: updated.email, phone: updated.phone, changedAt: changedAt.toISOString() },
          },
          changedAt,
        );
      }
      return updated;
    });
    return profileView(row, { revealContact: true }); // the edit form sent them: it gets them back whole
  } catch (err) {
    const field = duplicateField(err);
    if (field) throw OnboardingErrors.duplicate(field);
    if (err instanceof KeycloakClientError && err.status === 409) throw OnboardingErrors.duplicate('email');
    if (isUnavailableError(err)) throw Errors.unavailable('keycloak');
    throw err;
  }
}

export async function customerDocument(pool: Pool, customerId: string | undefined, kind: 'document' | 'selfie') {
  const doc = customerId ? await customerRepository.document(pool, customerId, kind) : undefined;
  if (!doc) throw OnboardingErrors.documentNotFound();
  return doc;
}
