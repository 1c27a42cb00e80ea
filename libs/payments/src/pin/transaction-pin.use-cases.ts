// The transaction PIN (issue #23): 4 digits that confirm a PIX, a devolução and a limit change. Stored as a keyed
// hash (@krt/platform/transaction-pin) with the wrong attempts in a row; the third wrong one locks the customer's PIX
// for PIX_PIN_LOCK_SECONDS and announces `pix.pin-locked` (the e-mail). The PIN itself is never stored, logged,
// traced, answered or put in an idempotency fingerprint.
import { TOPICS } from '@krt/contracts';
import { checkTransactionPin } from '@krt/domain';
import { withTransaction } from '@krt/platform/persistence';
import { enqueue } from '@krt/platform/messaging';
import { authenticatedWithin, hashTransactionPin, transactionPinMatches } from '@krt/platform/auth';
import { findAccountByCustomer } from '../accounts/account.repository';
import { PaymentsErrors } from '../shared/payments.errors';
import type { PaymentsContext, TransactionPinSettings } from '../shared/payments.context';

/** Wrong PINs in a row that lock the customer's PIX. */
export const PIN_MAX_ATTEMPTS = 3;

export interface PinStatus {
  status: 'NOT_SET' | 'ACTIVE' | 'LOCKED';
  attemptsLeft: number;
  lockedUntil: string | null;
}

interface PinRow {
  pin_hash: string;
  failed_attempts: number;
  locked_until: Date | null;
}

/** What a money-moving request brings to have its PIN checked (the event of a lock continues its trace). */
export interface PinCheck {
  customerId: string;
  pin: string;
  correlationId: string;
  traceparent?: string | undefined;
}

function settingsOf(ctx: PaymentsContext): TransactionPinSettings {
  if (!ctx.transactionPin) throw new Error('this process has no TRANSACTION_PIN_KEY (transactionPin missing from the payments context)');
  return ctx.transactionPin;
}

const findPin = async (ctx: PaymentsContext, customerId: string) =>
  (await ctx.pool.query<PinRow>('SELECT pin_hash, failed_attempts, locked_until FROM transaction_pins WHERE customer_id = $1', [customerId])).rows[0];

/** A lock still running at `now`; an expired one counts as no lock and no wrong attempts. */
const lockedAt = (row: Pick<PinRow, 'locked_until'>, now: Date) => row.locked_until !== null && row.locked_until > now;

export async function getPinStatus(ctx: PaymentsContext, customerId: string): Promise<PinStatus> {
  const row = await findPin(ctx, customerId);
  if (!row) return { status: 'NOT_SET', attemptsLeft: PIN_MAX_ATTEMPTS, lockedUntil: null };
  if (lockedAt(row, ctx.clock())) return { status: 'LOCKED', attemptsLeft: 0, lockedUntil: row.locked_until!.toISOString() };
  const failed = row.locked_until ? 0 : row.failed_attempts;
  return { status: 'ACTIVE', attemptsLeft: PIN_MAX_ATTEMPTS - failed, lockedUntil: null };
}

function refuseWeak(pin: string): void {
  const checked = checkTransactionPin(pin);
  if (!checked.ok) throw PaymentsErrors.pinWeak(checked.code === 'PIN_FORMAT' ? 'PIN_FORMAT' : 'PIN_WEAK', checked.message);
}

/** The customer's first PIN (customers from before the PIN). 409 PIN_ALREADY_SET when there is one. */
export async function setFirstPin(ctx: PaymentsContext, customerId: string, pin: string): Promise<void> {
  const { key } = settingsOf(ctx);
  refuseWeak(pin);
  const { rowCount } = await ctx.pool.query('INSERT INTO transaction_pins (customer_id, pin_hash) VALUES ($1, $2) ON CONFLICT (customer_id) DO NOTHING', [
    customerId,
    hashTransactionPin(key, customerId, pin),
  ]);
  if (rowCount === 0) throw PaymentsErrors.pinAlreadySet();
}

/**
 * A new PIN, which also clears the wrong attempts and any lock. Only right after the customer typed the password on
 * Keycloak's page: the token's `auth_time` (seconds) at most `changeMaxAuthAgeSeconds` old, else 403
 * REAUTHENTICATION_REQUIRED (the BFF's /auth/reauthenticate gets a fresh one). A token without auth_time is not fresh.
 */
export async function changePin(ctx: PaymentsContext, customerId: string, pin: string, authTime: number | undefined): Promise<void> {
  const { key, changeMaxAuthAgeSeconds } = settingsOf(ctx);
  if (!authenticatedWithin(authTime, changeMaxAuthAgeSeconds)) throw PaymentsErrors.reauthenticationRequired();
  refuseWeak(pin);
  const { rowCount } = await ctx.pool.query(
    'UPDATE transaction_pins SET pin_hash = $2, failed_attempts = 0, locked_until = NULL, updated_at = now() WHERE customer_id = $1',
    [customerId, hashTransactionPin(key, customerId, pin)],
  );
  if (rowCount === 0) throw PaymentsErrors.pinNotSet(409);
}

/**
 * Passes when `pin` is the customer's PIN; otherwise throws 403 PIN_NOT_SET, 403 PIN_INVALID (attemptsLeft) or 423
 * PIN_LOCKED. The hot path is one primary-key read and an HMAC; a write only when the count changes. The count moves
 * in one atomic UPDATE guarded by "not locked now", so concurrent wrong PINs never pass 3 unnoticed and exactly one of
 * them locks — in the same transaction as its `pix.pin-locked` event.
 */
export async function verifyTransactionPin(ctx: PaymentsContext, check: PinCheck): Promise<void> {
  const { key, lockSeconds } = settingsOf(ctx);
  const now = ctx.clock();
  const row = await findPin(ctx, check.customerId);
  if (!row) throw PaymentsErrors.pinNotSet(403);
  if (lockedAt(row, now)) throw PaymentsErrors.pinLocked(row.locked_until!, now);

  if (transactionPinMatches(key, check.customerId, check.pin, row.pin_hash)) {
    if (row.failed_attempts === 0 && row.locked_until === null) return;
    const { rowCount } = await ctx.pool.query(
      'UPDATE transaction_pins SET failed_attempts = 0, locked_until = NULL, updated_at = now() WHERE customer_id = $1 AND (locked_until IS NULL OR locked_until <= $2)',
      [check.customerId, now],
    );
    if (rowCount === 1) return;
    return refuseLocked(ctx, check.customerId, now); // a concurrent wrong PIN locked it meanwhile
  }

  const counted = await withTransaction(ctx.pool, async (client) => {
    // All SET expressions read the row as it was; an expired lock starts the count again from this attempt.
    const { rows } = await client.query<{ failed_attempts: number; locked_until: Date | null }>(
      `UPDATE transaction_pins
          SET failed_attempts = CASE WHEN locked_until IS NULL THEN failed_attempts + 1 ELSE 1 END,
              locked_until = CASE WHEN locked_until IS NULL AND failed_attempts + 1 >= $3 THEN $2::timestamptz + make_interval(secs => $4) END,
              updated_at = now()
        WHERE customer_id = $1 AND (locked_until IS NULL OR locked_until <= $2)
       RETURNING failed_attempts, locked_until`,
      [check.customerId, now, PIN_MAX_ATTEMPTS, lockSeconds],
    );
    const row = rows[0];
    if (row?.locked_until) {
      const account = await findAccountByCustomer(client, check.customerId);
      if (account) {
        await enqueue(
          client,
          {
            topic: TOPICS.pixPinLocked,
            key: account.id,
            aggregateId: account.id,
            correlationId: check.correlationId,
            traceparent: check.traceparent,
            payload: { customerId: check.customerId, accountId: account.id, lockedUntil: row.locked_until.toISOString() },
          },
          now,
        );
      }
    }
    return row;
  });
  if (!counted) return refuseLocked(ctx, check.customerId, now); // locked by a concurrent attempt
  if (counted.locked_until) throw PaymentsErrors.pinLocked(counted.locked_until, now);
  throw PaymentsErrors.pinInvalid(PIN_MAX_ATTEMPTS - counted.failed_attempts);
}

async function refuseLocked(ctx: PaymentsContext, customerId: string, now: Date): Promise<never> {
  const row = await findPin(ctx, customerId);
  throw PaymentsErrors.pinLocked(row?.locked_until ?? now, now);
}
