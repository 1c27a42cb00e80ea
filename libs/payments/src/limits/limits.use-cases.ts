// PIX limits per customer: bank defaults (also the maxima) that the customer may lower.
import { DEFAULT_PIX_LIMITS, Money, NIGHT_WINDOW, validateCustomerLimits, type PixLimits } from '@krt/domain';
import type { Queryable } from '@krt/platform/persistence';
import { findAccountByCustomer } from '../accounts/account.repository';
import { fromDomainError, PaymentsErrors } from '../shared/payments.errors';
import type { PaymentsContext } from '../shared/payments.context';
import { verifyTransactionPin, type PinCheck } from '../pin/transaction-pin.use-cases';

export async function loadLimits(db: Queryable, accountId: string): Promise<PixLimits> {
  const { rows } = await db.query<{ per_transaction: bigint; daily: bigint; nightly: bigint }>(
    'SELECT per_transaction, daily, nightly FROM pix_limits WHERE account_id = $1',
    [accountId],
  );
  return limitsOf(rows[0]);
}

/** A `pix_limits` row as limits; no row (or NULL columns of an outer join) means the bank's defaults. */
export function limitsOf(r: { per_transaction: bigint | null; daily: bigint | null; nightly: bigint | null } | undefined): PixLimits {
  if (!r || r.per_transaction === null || r.daily === null || r.nightly === null) return DEFAULT_PIX_LIMITS;
  return { perTransaction: Money.fromCentavos(r.per_transaction), daily: Money.fromCentavos(r.daily), nightly: Money.fromCentavos(r.nightly) };
}

const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

export function limitsView(limits: PixLimits) {
  return {
    perTransaction: limits.perTransaction.toApiString(),
    daily: limits.daily.toApiString(),
    night: limits.nightly.toApiString(),
    nightWindow: { start: hh(NIGHT_WINDOW.startHour), end: hh(NIGHT_WINDOW.endHour), timeZone: 'America/Sao_Paulo' },
    maxima: {
      perTransaction: DEFAULT_PIX_LIMITS.perTransaction.toApiString(),
      daily: DEFAULT_PIX_LIMITS.daily.toApiString(),
      night: DEFAULT_PIX_LIMITS.nightly.toApiString(),
    },
  };
}

export async function getLimits(ctx: PaymentsContext, customerId: string) {
  const account = await findAccountByCustomer(ctx.pool, customerId);
  if (!account) throw PaymentsErrors.accountNotFound();
  return limitsView(await loadLimits(ctx.pool, account.id));
}

/** The customer's new limits, confirmed by the transaction PIN (a refused PIN changes nothing but its count). */
export async function updateLimits(
  ctx: PaymentsContext,
  customerId: string,
  input: { perTransaction?: Money; daily?: Money; night?: Money },
  confirm: Omit<PinCheck, 'customerId'>,
) {
  const account = await findAccountByCustomer(ctx.pool, customerId);
  if (!account) throw PaymentsErrors.accountNotFound();
  // A blocked account sends no PIX (issue #19): its limits stay as the block found them (checked before the PIN, so a
  // blocked customer's attempts do not count against it).
  if (account.status === 'BLOCKED') throw PaymentsErrors.accountBlocked();
  await verifyTransactionPin(ctx, { ...confirm, customerId });
  const current = await loadLimits(ctx.pool, account.id);
  const requested: PixLimits = {
    perTransaction: input.perTransaction ?? current.perTransaction,
    daily: input.daily ?? current.daily,
    nightly: input.night ?? current.nightly,
  };
  const checked = validateCustomerLimits(requested);
  if (!checked.ok) {
    const e = fromDomainError(checked.error);
    if (checked.error.field === 'nightly') e.details.errors = e.details.errors?.map((f) => ({ ...f, field: 'night' }));
    throw e;
  }
  await ctx.pool.query(
    `INSERT INTO pix_limits (account_id, per_transaction, daily, nightly, updated_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (account_id) DO UPDATE SET per_transaction = EXCLUDED.per_transaction, daily = EXCLUDED.daily, nightly = EXCLUDED.nightly, updated_at = now()`,
    [account.id, requested.perTransaction.toCentavos().toString(), requested.daily.toCentavos().toString(), requested.nightly.toCentavos().toString()],
  );
  return limitsView(requested);
}
