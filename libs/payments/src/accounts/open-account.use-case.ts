// Opens the customer's ledger account when onboarding announces `account.created` (Account consumer).
import { accountCreatedPayload, type Envelope } from '@krt/contracts';
import { accountNumberWithCheckDigit, KRT_AGENCY } from '@krt/domain';
import { applyOnce } from '@krt/platform/messaging';
import type { Pool, Queryable } from '@krt/platform/persistence';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { findAccountByCustomer, type AccountRow } from './account.repository';

export type AccountCreated = z.infer<typeof accountCreatedPayload>;

/**
 * Idempotent: a second event for the same customer returns the existing account. The transaction PIN chosen at
 * registration comes as its keyed hash and is kept with the account (never replacing one the customer already has).
 */
export async function openAccount(db: Queryable, event: AccountCreated, at: Date): Promise<{ account: AccountRow; created: boolean }> {
  const existing = await findAccountByCustomer(db, event.customerId);
  if (existing) return { account: existing, created: false };
  const { rows: seq } = await db.query<{ n: bigint }>("SELECT nextval('account_number_seq') AS n");
  const number = accountNumberWithCheckDigit(seq[0]!.n);
  const { rowCount } = await db.query(
    `INSERT INTO accounts (id, kind, customer_id, keycloak_user_id, holder_name, holder_cpf, agency, number, created_at)
     VALUES ($1, 'CUSTOMER', $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (customer_id) DO NOTHING`,
    [randomUUID(), event.customerId, event.keycloakUserId, event.fullName, event.cpf, KRT_AGENCY, number, at],
  );
  if (event.transactionPinHash) {
    await db.query('INSERT INTO transaction_pins (customer_id, pin_hash) VALUES ($1, $2) ON CONFLICT (customer_id) DO NOTHING', [event.customerId, event.transactionPinHash]);
  }
  const account = (await findAccountByCustomer(db, event.customerId))!;
  return { account, created: rowCount === 1 };
}

export const ACCOUNT_CONSUMER = 'payments.account-consumer';

/** Account consumer: opens the account exactly once per `account.created` event (inbox in the same transaction). */
export async function applyAccountCreated(pool: Pool, envelope: Envelope, at: Date): Promise<AccountRow | null> {
  const payload = accountCreatedPayload.parse(envelope.payload);
  let opened: AccountRow | null = null;
  await applyOnce(pool, ACCOUNT_CONSUMER, envelope, async (client) => {
    opened = (await openAccount(client, payload, at)).account;
  });
  return opened;
}
