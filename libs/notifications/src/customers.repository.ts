// Customers' contact data and channel preferences, as this service knows them (from `account.created` and
// `customer.contact-changed`, the newest version wins).
import type { Queryable } from '@krt/platform/persistence';

export interface CustomerContact {
  customerId: string;
  fullName: string;
  email: string;
  phone: string;
  notifyEmail: boolean;
  notifySms: boolean;
}

interface Row {
  customer_id: string;
  full_name: string;
  email: string;
  phone: string;
  notify_email: boolean;
  notify_sms: boolean;
}

const toContact = (r: Row): CustomerContact => ({
  customerId: r.customer_id,
  fullName: r.full_name,
  email: r.email,
  phone: r.phone,
  notifyEmail: r.notify_email,
  notifySms: r.notify_sms,
});

/**
 * SQL: whether a contact of version `incoming` replaces the stored one of version `stored` (newer wins; no version on
 * either side replaces). The one rule of upsertCustomer and of the conflict check, so the two never disagree.
 */
const replaces = (stored: string, incoming: string) => `(${incoming} IS NULL OR ${stored} IS NULL OR ${stored} < ${incoming})`;

/**
 * Inserts or refreshes the contact data; preferences the customer chose are kept. With a `version` (see
 * contact-update.ts) a known customer's data is replaced only when it is newer than the one stored (or none is), so an
 * older event arriving late or replayed changes nothing; without one (test seeding) it is always replaced.
 * Returns whether the row was written.
 */
export async function upsertCustomer(db: Queryable, c: { customerId: string; fullName: string; email: string; phone: string; version?: string }): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO customers (customer_id, full_name, email, phone, contact_version) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (customer_id) DO UPDATE SET full_name = EXCLUDED.full_name, email = EXCLUDED.email, phone = EXCLUDED.phone,
       contact_version = COALESCE(EXCLUDED.contact_version, customers.contact_version), updated_at = now()
     WHERE ${replaces('customers.contact_version', 'EXCLUDED.contact_version')}`,
    [c.customerId, c.fullName, c.email, c.phone, c.version ?? null],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function findCustomers(db: Queryable, ids: string[]): Promise<Map<string, CustomerContact>> {
  if (!ids.length) return new Map();
  const { rows } = await db.query<Row>('SELECT * FROM customers WHERE customer_id = ANY($1::uuid[])', [ids]);
  return new Map(rows.map((r) => [r.customer_id, toContact(r)]));
}

export async function findCustomer(db: Queryable, id: string): Promise<CustomerContact | undefined> {
  return (await findCustomers(db, [id])).get(id);
}

export interface Preferences {
  email: boolean;
  sms: boolean;
}

export const DEFAULT_PREFERENCES: Preferences = { email: true, sms: true };

export async function getPreferences(db: Queryable, customerId: string): Promise<Preferences | undefined> {
  const c = await findCustomer(db, customerId);
  return c ? { email: c.notifyEmail, sms: c.notifySms } : undefined;
}

/** Returns false when the customer is not known here (yet). */
export async function setPreferences(db: Queryable, customerId: string, prefs: Preferences): Promise<boolean> {
  const r = await db.query('UPDATE customers SET notify_email = $2, notify_sms = $3, updated_at = now() WHERE customer_id = $1', [customerId, prefs.email, prefs.sms]);
  return (r.rowCount ?? 0) > 0;
}

/**
 * The customers known here, other than `customerId`, whose e-mail is `email` (case-insensitive). The Notification
 * consumer refuses such an `account.created` or `customer.contact-changed`: two customers sharing an address would
 * read each other's notifications. A contact older than the copy held here (`version`, as upsertCustomer decides) is
 * never stored, so it conflicts with no one: a late or replayed old event whose address has since gone to another
 * customer is applied as the no-op it is, not dead-lettered.
 */
export async function emailHolders(db: Queryable, contacts: { customerId: string; email: string; version?: string }[]): Promise<Map<string, string>> {
  if (!contacts.length) return new Map();
  const { rows } = await db.query<{ customer_id: string; other: string }>(
    `SELECT c.customer_id, k.customer_id AS other
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS c(customer_id, email, version)
       JOIN customers k ON lower(k.email) = lower(c.email) AND k.customer_id <> c.customer_id
      WHERE NOT EXISTS (SELECT 1 FROM customers s WHERE s.customer_id = c.customer_id AND NOT ${replaces('s.contact_version', 'c.version')})`,
    [contacts.map((c) => c.customerId), contacts.map((c) => c.email), contacts.map((c) => c.version ?? null)],
  );
  return new Map(rows.map((r) => [r.customer_id, r.other]));
}
