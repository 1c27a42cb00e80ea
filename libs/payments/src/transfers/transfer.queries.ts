// Transfer reads: one transfer's detail / receipt (payer or receiver only) and the caller's list.
import { Cpf, KRT_BANK_NAME, KRT_ISPB, maskPersonName, PixKey, refundDeadline, type PixKeyType } from '@krt/domain';
import type { Queryable } from '@krt/platform/persistence';
import { accountIdOf } from '../accounts/account.queries';
import { apiAmount } from '../shared/money-format';
import { PaymentsErrors } from '../shared/payments.errors';
import type { PaymentsContext } from '../shared/payments.context';
import { readPoolFor } from '../shared/read-routing';
import { decodeCursor, encodeCursor } from '../statement/statement.queries';

interface DetailRow {
  id: string;
  end_to_end_id: string;
  status: 'PENDING' | 'COMPLETED' | 'FAILED';
  amount: bigint;
  description: string;
  failure_code: string | null;
  failure_reason: string | null;
  receiver_key_type: PixKeyType;
  receiver_key: string;
  created_at: Date;
  completed_at: Date | null;
  failed_at: Date | null;
  refund_of: string | null;
  payer_account_id: string;
  payer_customer_id: string;
  payer_name: string;
  payer_cpf: string;
  payer_agency: string;
  payer_number: string;
  receiver_account_id: string;
  receiver_customer_id: string;
  receiver_name: string;
  receiver_cpf: string;
  receiver_agency: string;
  receiver_number: string;
}

const SELECT = `SELECT t.*, p.holder_name AS payer_name, p.holder_cpf AS payer_cpf, p.agency AS payer_agency, p.number AS payer_number,
  r.holder_name AS receiver_name, r.holder_cpf AS receiver_cpf, r.agency AS receiver_agency, r.number AS receiver_number
  FROM pix_transfers t JOIN accounts p ON p.id = t.payer_account_id JOIN accounts r ON r.id = t.receiver_account_id`;

/** A party as a BACEN receipt shows it: the reader's own name in full, the other party's masked; a CPF always masked. */
const party = (name: string, cpf: string, agency: string, number: string, own: boolean) => ({
  name: own ? name : maskPersonName(name),
  cpf: Cpf.of(cpf).mask(),
  bank: KRT_BANK_NAME,
  ispb: KRT_ISPB,
  agency,
  account: number,
});

interface RefundRow {
  id: string;
  refund_of: string;
  amount: bigint;
  status: 'PENDING' | 'COMPLETED' | 'FAILED';
  created_at: Date;
  end_to_end_id: string;
}

/** The devoluções of these PIX (oldest first), by original. */
async function refundsOf(db: Queryable, ids: string[]): Promise<Map<string, RefundRow[]>> {
  const byOriginal = new Map<string, RefundRow[]>();
  if (ids.length === 0) return byOriginal;
  const { rows } = await db.query<RefundRow>(
    'SELECT id, refund_of, amount, status, created_at, end_to_end_id FROM pix_transfers WHERE refund_of = ANY($1::uuid[]) ORDER BY created_at, id',
    [ids],
  );
  for (const r of rows) byOriginal.set(r.refund_of, [...(byOriginal.get(r.refund_of) ?? []), r]);
  return byOriginal;
}

/**
 * What the detail says about devoluções. A return names its original (refundOf). An original lists its returns and
 * the sum of those not failed; to its receiver, while it can still be returned, also how much and until when.
 */
function refundView(t: DetailRow, refunds: RefundRow[], received: boolean, now: Date) {
  if (t.refund_of) return { kind: 'REFUND' as const, refundOf: t.refund_of };
  const refunded = refunds.filter((r) => r.status !== 'FAILED').reduce((sum, r) => sum + r.amount, 0n);
  const deadline = t.status === 'COMPLETED' && t.completed_at ? refundDeadline(t.completed_at) : null;
  const open = received && deadline !== null && now < deadline;
  return {
    kind: 'PIX' as const,
    refundedAmount: apiAmount(refunded),
    refunds: refunds.map((r) => ({ id: r.id, amount: apiAmount(r.amount), status: r.status, createdAt: r.created_at.toISOString(), endToEndId: r.end_to_end_id })),
    ...(open ? { refundableAmount: apiAmount(t.amount > refunded ? t.amount - refunded : 0n), refundDeadline: deadline.toISOString() } : {}),
  };
}

function detailView(t: DetailRow, myAccountId: string, refunds: RefundRow[], now: Date) {
  const sent = t.payer_account_id === myAccountId;
  const refund = Boolean(t.refund_of);
  return {
    id: t.id,
    ...refundView(t, refunds, !sent, now),
    direction: sent ? ('SENT' as const) : ('RECEIVED' as const),
    status: t.status,
    ...(t.failure_code ? { failureCode: t.failure_code, failureReason: t.failure_reason ?? '' } : {}),
    amount: apiAmount(t.amount),
    description: t.description,
    endToEndId: t.end_to_end_id,
    payer: party(t.payer_name, t.payer_cpf, t.payer_agency, t.payer_number, sent),
    receiver: {
      ...party(t.receiver_name, t.receiver_cpf, t.receiver_agency, t.receiver_number, !sent),
      // A devolução goes back to the original's payer, not to a key.
      ...(refund ? {} : { key: PixKey.of(t.receiver_key_type, t.receiver_key).mask(), keyType: t.receiver_key_type }),
    },
    createdAt: t.created_at.toISOString(),
    ...(t.completed_at ? { completedAt: t.completed_at.toISOString() } : {}),
    ...(t.failed_at ? { failedAt: t.failed_at.toISOString() } : {}),
  };
}

/** 404 for a transfer that does not exist AND for one the caller is not a party to: never reveal it. */
export async function getTransfer(ctx: PaymentsContext, customerId: string, transferId: string) {
  const accountId = await accountIdOf(ctx, customerId);
  // The primary: the payer polls this right after POST and must see its own transfer.
  const { rows } = await ctx.pool.query<DetailRow>(`${SELECT} WHERE t.id = $1 AND (t.payer_account_id = $2 OR t.receiver_account_id = $2)`, [transferId, accountId]);
  if (!rows[0]) throw PaymentsErrors.transferNotFound();
  const refunds = await refundsOf(ctx.pool, [rows[0].id]);
  return detailView(rows[0], accountId, refunds.get(rows[0].id) ?? [], ctx.clock());
}

export async function listTransfers(ctx: PaymentsContext, customerId: string, limit: number, cursor?: string) {
  const accountId = await accountIdOf(ctx, customerId);
  const params: unknown[] = [accountId];
  let keyset = '';
  if (cursor) {
    const c = decodeCursor(cursor);
    params.push(c.at, c.id);
    keyset = 'AND (t.created_at, t.id) < ($2, $3::uuid)';
  }
  params.push(limit + 1);
  const { rows } = await (await readPoolFor(ctx, accountId)).query<DetailRow>(
    `${SELECT} WHERE t.id IN (
       (SELECT id FROM pix_transfers t WHERE payer_account_id = $1 ${keyset} ORDER BY created_at DESC, id DESC LIMIT $${params.length})
       UNION ALL
       (SELECT id FROM pix_transfers t WHERE receiver_account_id = $1 ${keyset} ORDER BY created_at DESC, id DESC LIMIT $${params.length}))
     ORDER BY t.created_at DESC, t.id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const refunds = await refundsOf(await readPoolFor(ctx, accountId), page.map((t) => t.id));
  const now = ctx.clock();
  return {
    items: page.map((t) => detailView(t, accountId, refunds.get(t.id) ?? [], now)),
    nextCursor: rows.length > limit && last ? encodeCursor({ occurred_at: last.created_at, id: last.id }) : null,
  };
}
