// The notification center's reads and writes; every query is scoped to one customer.
import type { Queryable } from '@krt/platform/persistence';

export interface CenterItem {
  id: string;
  title: string;
  body: string;
  kind: string;
  createdAt: string;
  readAt?: string;
  /** The PIX it is about (the center links to the transfer's page). */
  transferId?: string;
}

interface Row {
  id: string;
  title: string;
  body: string;
  kind: string;
  created_at: Date;
  read_at: Date | null;
  transfer_id: string | null;
  unread: boolean;
  created_key: string;
}

/** Keyset position in the order (unread first, newest first, id): opaque to clients. */
interface Cursor {
  u: boolean;
  c: string;
  i: string;
}

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeCursor(raw: string): Cursor | undefined {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    const uuid = /^[0-9a-f-]{36}$/i;
    if (typeof c.u !== 'boolean' || typeof c.c !== 'string' || Number.isNaN(Date.parse(c.c)) || typeof c.i !== 'string' || !uuid.test(c.i)) return undefined;
    return c;
  } catch {
    return undefined;
  }
}

export async function listNotifications(db: Queryable, customerId: string, limit: number, cursor?: Cursor): Promise<{ items: CenterItem[]; nextCursor: string | null }> {
  const { rows } = await db.query<Row>(
    `SELECT id, title, body, kind, created_at, read_at, transfer_id, (read_at IS NULL) AS unread,
            to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key
       FROM notifications
      WHERE customer_id = $1
        AND ($2::boolean IS NULL
             OR (read_at IS NULL) < $2::boolean
             OR ((read_at IS NULL) = $2::boolean AND (created_at, id) < ($3::timestamptz, $4::uuid)))
      ORDER BY (read_at IS NULL) DESC, created_at DESC, id DESC
      LIMIT $5`,
    [customerId, cursor?.u ?? null, cursor?.c ?? null, cursor?.i ?? null, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      title: r.title,
      body: r.body,
      kind: r.kind,
      createdAt: r.created_at.toISOString(),
      ...(r.read_at ? { readAt: r.read_at.toISOString() } : {}),
      ...(r.transfer_id ? { transferId: r.transfer_id } : {}),
    })),
    nextCursor: rows.length > limit && last ? encodeCursor({ u: last.unread, c: last.created_key, i: last.id }) : null,
  };
}

export async function unreadCount(db: Queryable, customerId: string): Promise<number> {
  const { rows } = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM notifications WHERE customer_id = $1 AND read_at IS NULL', [customerId]);
  return rows[0]?.count ?? 0;
}

/** Marks one notification as read; false when the customer has no notification with that id. Idempotent. */
export async function markRead(db: Queryable, customerId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `WITH mine AS (SELECT id FROM notifications WHERE id = $1 AND customer_id = $2),
          upd AS (UPDATE notifications SET read_at = now() WHERE id IN (SELECT id FROM mine) AND read_at IS NULL)
     SELECT 1 FROM mine`,
    [id, customerId],
  );
  return (rowCount ?? 0) > 0;
}

export async function markAllRead(db: Queryable, customerId: string): Promise<number> {
  const { rowCount } = await db.query('UPDATE notifications SET read_at = now() WHERE customer_id = $1 AND read_at IS NULL', [customerId]);
  return rowCount ?? 0;
}
