// The delivery records: one row per (event, channel, recipient), the key that makes delivery exactly-once to the customer.
import type { PoolClient, Queryable } from '@krt/platform/persistence';
import type { NotificationMessage } from './notification.model';

export type DeliveryStatus = 'sending' | 'failed' | 'delivered';

const KEY = 'event_id = $1 AND channel = $2 AND customer_id = $3';
const keyOf = (m: NotificationMessage) => [m.eventId, m.channel, m.customerId];

/** The claim of a delivery, with the recipient's contact data as this service knows them (none before `account.created`). */
export interface Claim {
  status: DeliveryStatus;
  contact?: { fullName: string; email: string; phone: string };
}

/**
 * Claims the delivery inside the caller's transaction, in one round trip: creates the row if needed or locks the
 * existing one (the no-op `DO UPDATE` takes the row lock until the transaction ends), and reads the recipient's contact.
 * A second worker holding a duplicate of the message waits here, then sees 'delivered'.
 * If this process dies, PostgreSQL rolls the transaction back and releases the lock: the claim disappears with it.
 */
export async function claimDelivery(client: PoolClient, m: NotificationMessage): Promise<Claim> {
  const { rows } = await client.query<{ status: DeliveryStatus; full_name: string | null; email: string | null; phone: string | null }>(
    `WITH claim AS (
       INSERT INTO deliveries (event_id, channel, customer_id, notification_id, kind, status) VALUES ($1, $2, $3, $4, $5, 'sending')
       ON CONFLICT (event_id, channel, customer_id) DO UPDATE SET status = deliveries.status
       RETURNING status
     )
     SELECT claim.status, c.full_name, c.email, c.phone FROM claim LEFT JOIN customers c ON c.customer_id = $3`,
    [...keyOf(m), m.notificationId, m.kind],
  );
  const row = rows[0]!;
  return { status: row.status, contact: row.full_name === null ? undefined : { fullName: row.full_name, email: row.email!, phone: row.phone! } };
}

export async function markDelivered(client: PoolClient, m: NotificationMessage, providerMessageId: string | null): Promise<void> {
  await client.query(
    `UPDATE deliveries SET status = 'delivered', attempts = attempts + 1, provider_message_id = $4, last_error = NULL, delivered_at = now(), updated_at = now() WHERE ${KEY}`,
    [...keyOf(m), providerMessageId],
  );
}

/**
 * In-app, in one statement (its own transaction): stores the notification in the customer's center and records the
 * delivery as delivered, unless it already was. Returns false for a duplicate. Two duplicates at once serialise on the
 * delivery row (the second waits for the first to commit, then finds it delivered); the notification's id is stable, so
 * its insert can never add a second copy either.
 */
export async function storeInAppOnce(db: Queryable, m: NotificationMessage): Promise<boolean> {
  const { rowCount } = await db.query(
    `WITH stored AS (
       INSERT INTO notifications (id, customer_id, event_id, kind, title, body, created_at, transfer_id)
       SELECT $4::uuid, $3::uuid, $1::uuid, $5::text, $6::text, $7::text, $8::timestamptz, $9::uuid
       WHERE NOT EXISTS (SELECT 1 FROM deliveries WHERE ${KEY} AND status = 'delivered')
       ON CONFLICT (id) DO NOTHING
     )
     INSERT INTO deliveries (event_id, channel, customer_id, notification_id, kind, status, attempts, provider_message_id, delivered_at)
     VALUES ($1, $2, $3, $4, $5, 'delivered', 1, $4::text, now())
     ON CONFLICT (event_id, channel, customer_id) DO UPDATE
       SET status = 'delivered', attempts = deliveries.attempts + 1, provider_message_id = EXCLUDED.provider_message_id, last_error = NULL,
           delivered_at = now(), updated_at = now()
       WHERE deliveries.status <> 'delivered'`,
    [...keyOf(m), m.notificationId, m.kind, m.title, m.body, m.createdAt, m.transferId ?? null],
  );
  return (rowCount ?? 0) > 0;
}

/** Records a failed attempt (outside the rolled-back claim); never downgrades a delivered row. */
export async function recordFailure(db: Queryable, m: NotificationMessage, error: string): Promise<void> {
  await db.query(
    `INSERT INTO deliveries (event_id, channel, customer_id, notification_id, kind, status, attempts, last_error) VALUES ($1, $2, $3, $4, $5, 'failed', 1, $6)
     ON CONFLICT (event_id, channel, customer_id) DO UPDATE
       SET status = 'failed', attempts = deliveries.attempts + 1, last_error = EXCLUDED.last_error, updated_at = now()
       WHERE deliveries.status <> 'delivered'`,
    [...keyOf(m), m.notificationId, m.kind, error.slice(0, 1000)],
  );
}

export interface DeliveryRow {
  event_id: string;
  channel: string;
  customer_id: string;
  notification_id: string;
  kind: string;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  delivered_at: Date | null;
}

export async function findDeliveries(db: Queryable, eventId: string): Promise<DeliveryRow[]> {
  const { rows } = await db.query<DeliveryRow>('SELECT * FROM deliveries WHERE event_id = $1 ORDER BY customer_id, channel', [eventId]);
  return rows;
}
