// The delivery records: one row per (event, channel, recipient), the key that makes delivery exactly-once to the customer.
import type { PoolClient, Queryable } from '@krt/platform/db';
import type { NotificationMessage } from './notification.model';

export type DeliveryStatus = 'sending' | 'failed' | 'delivered';

const KEY = 'event_id = $1 AND channel = $2 AND customer_id = $3';
const keyOf = (m: NotificationMessage) => [m.eventId, m.channel, m.customerId];

/**
 * Claims the delivery inside the caller's transaction: creates the row if needed and locks it (`FOR UPDATE`) until
 * the transaction ends. A second worker holding a duplicate of the message waits here, then sees 'delivered'.
 * If this process dies, PostgreSQL rolls the transaction back and releases the lock: the claim disappears with it.
 */
export async function claimDelivery(client: PoolClient, m: NotificationMessage): Promise<DeliveryStatus> {
  await client.query(
    `INSERT INTO deliveries (event_id, channel, customer_id, notification_id, kind, status) VALUES ($1, $2, $3, $4, $5, 'sending')
     ON CONFLICT (event_id, channel, customer_id) DO NOTHING`,
    [...keyOf(m), m.notificationId, m.kind],
  );
  const { rows } = await client.query<{ status: DeliveryStatus }>(`SELECT status FROM deliveries WHERE ${KEY} FOR UPDATE`, keyOf(m));
  return rows[0]!.status;
}

export async function markDelivered(client: PoolClient, m: NotificationMessage, providerMessageId: string | null): Promise<void> {
  await client.query(
    `UPDATE deliveries SET status = 'delivered', attempts = attempts + 1, provider_message_id = $4, last_error = NULL, delivered_at = now(), updated_at = now() WHERE ${KEY}`,
    [...keyOf(m), providerMessageId],
  );
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
