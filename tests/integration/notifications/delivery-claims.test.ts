// The delivery records on the real notifications database: the one-statement claim (row created or locked, contact
// read with it) and the one-statement in-app delivery keep every notification exactly once under concurrent duplicates.
import { claimDelivery, markDelivered, recordFailure, storeInAppOnce, upsertCustomer, type NotificationMessage } from '@krt/notifications';
import { databaseUrl } from '@krt/platform/config';
import { createPool, type Pool } from '@krt/platform/persistence';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCustomer } from './notifications-test-kit';

let pool: Pool;

beforeAll(() => {
  pool = createPool(databaseUrl('notifications'), { applicationName: 'delivery-claims-test', max: 8 });
});
afterAll(async () => {
  await pool?.end();
});

function message(customerId: string, channel: NotificationMessage['channel']): NotificationMessage {
  const eventId = randomUUID();
  return {
    v: 1,
    id: `${eventId}:${channel}:${customerId}`,
    notificationId: randomUUID(),
    eventId,
    eventType: 'pix.completed',
    channel,
    customerId,
    kind: 'PIX_RECEIVED',
    title: 'Você recebeu um Pix',
    body: 'Você recebeu R$ 1,00 de Teste.',
    createdAt: new Date().toISOString(),
    correlationId: `claims-${eventId}`,
  };
}

const settledWithin = async (p: Promise<unknown>, ms: number) => Promise.race([p.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);

describe('delivery claims (real PostgreSQL)', () => {
  it('when the same in-app notification is delivered five times at once, then exactly one attempt stores it and the other four are duplicates', async () => {
    const m = message(randomUUID(), 'push');
    const results = await Promise.all(Array.from({ length: 5 }, () => storeInAppOnce(pool, m)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const stored = await pool.query('SELECT count(*)::int AS n FROM notifications WHERE id = $1', [m.notificationId]);
    expect(stored.rows[0].n).toBe(1);
    const delivery = await pool.query('SELECT status, attempts, provider_message_id FROM deliveries WHERE event_id = $1 AND channel = $2', [m.eventId, 'push']);
    expect(delivery.rows).toEqual([{ status: 'delivered', attempts: 1, provider_message_id: m.notificationId }]);
    // A redelivery later is a duplicate too, and changes nothing.
    expect(await storeInAppOnce(pool, m)).toBe(false);
    expect((await pool.query('SELECT attempts FROM deliveries WHERE event_id = $1', [m.eventId])).rows[0].attempts).toBe(1);
  });

  it('when an in-app delivery failed before, then the next attempt stores it and counts the attempt', async () => {
    const m = message(randomUUID(), 'push');
    await recordFailure(pool, m, 'banco indisponível');
    expect(await storeInAppOnce(pool, m)).toBe(true);
    const delivery = await pool.query('SELECT status, attempts, last_error FROM deliveries WHERE event_id = $1', [m.eventId]);
    expect(delivery.rows).toEqual([{ status: 'delivered', attempts: 2, last_error: null }]);
  });

  it('when two workers claim the same e-mail, then the second waits for the first to commit and sees it delivered; the claim carries the contact', async () => {
    const customer = testCustomer();
    await upsertCustomer(pool, customer);
    const m = message(customer.customerId, 'email');
    const first = await pool.connect();
    const second = await pool.connect();
    try {
      await first.query('BEGIN');
      const claim = await claimDelivery(first, m);
      expect(claim).toEqual({ status: 'sending', contact: { fullName: customer.fullName, email: customer.email, phone: customer.phone } });

      await second.query('BEGIN');
      const waiting = claimDelivery(second, m);
      // The row is locked by the first claim: the second cannot go on while the first is "sending".
      expect(await settledWithin(waiting, 500)).toBe(false);
      await markDelivered(first, m, '<id@smtp>');
      await first.query('COMMIT');
      expect((await waiting).status).toBe('delivered');
      await second.query('COMMIT');
    } finally {
      first.release();
      second.release();
    }
  });

  it('when the recipient is not known yet (account.created not seen), then the claim has no contact and rolls back cleanly', async () => {
    const m = message(randomUUID(), 'sms');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      expect(await claimDelivery(client, m)).toEqual({ status: 'sending', contact: undefined });
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect((await pool.query('SELECT count(*)::int AS n FROM deliveries WHERE event_id = $1', [m.eventId])).rows[0].n).toBe(0);
  });
});
