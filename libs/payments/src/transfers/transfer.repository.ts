// SQL rows of PIX transfers.
import type { Queryable } from '@krt/platform/persistence';

export interface TransferRow {
  id: string;
  end_to_end_id: string;
  payer_account_id: string;
  payer_customer_id: string;
  receiver_account_id: string;
  receiver_customer_id: string;
  receiver_key_type: string;
  receiver_key: string;
  amount: bigint;
  description: string;
  status: 'PENDING' | 'COMPLETED' | 'FAILED';
  failure_code: string | null;
  failure_reason: string | null;
  created_at: Date;
  deadline_at: Date;
  completed_at: Date | null;
  failed_at: Date | null;
  /** On a PIX devolução: the PIX it returns. */
  refund_of: string | null;
}

export async function lockTransfer(db: Queryable, id: string): Promise<TransferRow | null> {
  const { rows } = await db.query<TransferRow>('SELECT * FROM pix_transfers WHERE id = $1 FOR UPDATE', [id]);
  return rows[0] ?? null;
}

/** Sum sent by the payer since `since` (pending and completed: what counts against the limits; a devolução does not). */
export async function sentSince(db: Queryable, payerAccountId: string, since: Date): Promise<bigint> {
  const { rows } = await db.query<{ total: bigint }>(
    "SELECT COALESCE(sum(amount), 0)::bigint AS total FROM pix_transfers WHERE payer_account_id = $1 AND created_at >= $2 AND status <> 'FAILED' AND refund_of IS NULL",
    [payerAccountId, since],
  );
  return rows[0]!.total;
}

/** One round trip for the limit checks: sent since the day started and since the night window started (pending + completed; devoluções do not count). */
export async function sentTodayAndTonight(db: Queryable, payerAccountId: string, dayStart: Date, nightStart: Date | null): Promise<{ today: bigint; tonight: bigint }> {
  const { rows } = await db.query<{ today: bigint; tonight: bigint }>(
    `SELECT COALESCE(sum(amount) FILTER (WHERE created_at >= $2), 0)::bigint AS today,
            COALESCE(sum(amount) FILTER (WHERE $3::timestamptz IS NOT NULL AND created_at >= $3), 0)::bigint AS tonight
       FROM pix_transfers
      WHERE payer_account_id = $1 AND status <> 'FAILED' AND refund_of IS NULL AND created_at >= LEAST($2::timestamptz, COALESCE($3::timestamptz, $2::timestamptz))`,
    [payerAccountId, dayStart, nightStart],
  );
  return rows[0]!;
}

export async function hasCompletedTransferTo(db: Queryable, payerAccountId: string, receiverAccountId: string): Promise<boolean> {
  const { rows } = await db.query(
    "SELECT 1 FROM pix_transfers WHERE payer_account_id = $1 AND receiver_account_id = $2 AND status = 'COMPLETED' LIMIT 1",
    [payerAccountId, receiverAccountId],
  );
  return rows.length > 0;
}
