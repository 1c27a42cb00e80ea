// The notification center API in this process (random port) against the real database and Keycloak.
import { createRealmUser, passwordGrant } from '@krt/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNotificationsApi } from '../../../apps/notifications/src/api.main';
import { closeDb, notificationsDb, testCustomer, type TestCustomer } from './notifications-test-kit';

const PASSWORD = 'Krt#Teste2026';

async function signedIn(c: TestCustomer) {
  await createRealmUser({ username: c.cpf, password: PASSWORD, email: c.email, customerId: c.customerId });
  return (await passwordGrant(c.cpf, PASSWORD)).access_token;
}

/** Inserts `n` notifications one minute apart (the newest last); returns their ids oldest first. */
async function seed(customerId: string, n: number, opts: { readIdx?: number[] } = {}) {
  const ids: string[] = [];
  const base = Date.now() - n * 60_000;
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    ids.push(id);
    await notificationsDb().query(
      `INSERT INTO notifications (id, customer_id, event_id, kind, title, body, created_at, read_at) VALUES ($1, $2, $3, 'PIX_RECEIVED', $4, $5, $6, $7)`,
      [id, customerId, randomUUID(), `Pix recebido ${i}`, `Você recebeu um Pix de R$ ${i},00.`, new Date(base + i * 60_000), opts.readIdx?.includes(i) ? new Date() : null],
    );
  }
  return ids;
}

describe('notification center API (/v1/notifications)', () => {
  let api: Awaited<ReturnType<typeof startNotificationsApi>>;
  let url: string;
  let alice: TestCustomer;
  let bob: TestCustomer;
  let aliceToken: string;
  let bobToken: string;

  const call = async (token: string | undefined, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, type: res.headers.get('content-type') };
  };

  beforeAll(async () => {
    api = await startNotificationsApi({}, { port: 0 });
    url = `http://127.0.0.1:${api.port}`;
    alice = testCustomer('Alice Martins Rocha');
    bob = testCustomer('Bruno Alves Costa');
    [aliceToken, bobToken] = await Promise.all([signedIn(alice), signedIn(bob)]);
  });
  afterAll(async () => {
    await api?.close();
    await closeDb();
  });

  it('when listing, then unread notifications come first (newest first), then read ones, paged with a cursor', async () => {
    // 0..4 oldest → newest; 1 and 3 already read.
    const ids = await seed(alice.customerId, 5, { readIdx: [1, 3] });
    const first = await call(aliceToken, 'GET', '/v1/notifications?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual([ids[4], ids[2]]);
    expect(first.body.items[0]).toMatchObject({ title: 'Pix recebido 4', kind: 'PIX_RECEIVED' });
    expect(first.body.items[0].readAt).toBeUndefined();
    expect(first.body.nextCursor).toEqual(expect.any(String));

    const second = await call(aliceToken, 'GET', `/v1/notifications?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((i: { id: string }) => i.id)).toEqual([ids[0], ids[3]]);
    expect(second.body.items[1].readAt).toEqual(expect.any(String));
    const third = await call(aliceToken, 'GET', `/v1/notifications?limit=2&cursor=${second.body.nextCursor}`);
    expect(third.body.items.map((i: { id: string }) => i.id)).toEqual([ids[1]]);
    expect(third.body.nextCursor).toBeNull();

    expect((await call(aliceToken, 'GET', '/v1/notifications/unread-count')).body).toEqual({ count: 3 });
  });

  it('when one is marked as read, then the unread count drops and it moves behind the unread ones; marking again is harmless', async () => {
    const before = (await call(aliceToken, 'GET', '/v1/notifications/unread-count')).body.count as number;
    const { items } = (await call(aliceToken, 'GET', '/v1/notifications?limit=1')).body;
    const target = items[0].id as string;
    expect((await call(aliceToken, 'POST', `/v1/notifications/${target}/read`)).status).toBe(204);
    expect((await call(aliceToken, 'POST', `/v1/notifications/${target}/read`)).status).toBe(204);
    expect((await call(aliceToken, 'GET', '/v1/notifications/unread-count')).body).toEqual({ count: before - 1 });
    const list = (await call(aliceToken, 'GET', '/v1/notifications?limit=100')).body.items as Array<{ id: string; readAt?: string }>;
    const firstRead = list.findIndex((i) => i.readAt);
    expect(list.findIndex((i) => i.id === target)).toBeGreaterThanOrEqual(firstRead);
  });

  it('when a notification is about a Pix, then the list gives its transferId (the page it opens); others have none', async () => {
    const transferId = randomUUID();
    const [withLink] = await seed(bob.customerId, 1);
    await notificationsDb().query('UPDATE notifications SET transfer_id = $2 WHERE id = $1', [withLink, transferId]);
    const [withoutLink] = await seed(bob.customerId, 1);
    const items = (await call(bobToken, 'GET', '/v1/notifications?limit=100')).body.items as Array<{ id: string; transferId?: string }>;
    expect(items.find((i) => i.id === withLink)?.transferId).toBe(transferId);
    expect(items.find((i) => i.id === withoutLink)).not.toHaveProperty('transferId');
    await notificationsDb().query('DELETE FROM notifications WHERE id = ANY($1::uuid[])', [[withLink, withoutLink]]);
  });

  it('when another customer tries to read or mark my notification, then it is not found and stays unread', async () => {
    const [mine] = await seed(alice.customerId, 1);
    const bobs = await call(bobToken, 'GET', '/v1/notifications?limit=100');
    expect(bobs.body.items.some((i: { id: string }) => i.id === mine)).toBe(false);
    const r = await call(bobToken, 'POST', `/v1/notifications/${mine}/read`);
    expect(r.status).toBe(404);
    expect(r.type).toContain('application/problem+json');
    expect(r.body).toMatchObject({ code: 'NOTIFICATION_NOT_FOUND', message: 'Notificação não encontrada.' });
    const { rows } = await notificationsDb().query('SELECT read_at FROM notifications WHERE id = $1', [mine]);
    expect(rows[0].read_at).toBeNull();
  });

  it('when all are marked as read, then the unread count is zero and only my notifications changed', async () => {
    await seed(bob.customerId, 2);
    expect((await call(aliceToken, 'POST', '/v1/notifications/read-all')).status).toBe(204);
    expect((await call(aliceToken, 'GET', '/v1/notifications/unread-count')).body).toEqual({ count: 0 });
    expect((await call(bobToken, 'GET', '/v1/notifications/unread-count')).body).toEqual({ count: 2 });
  });

  it('when the request has no valid token, then 401; when the input is invalid, then 422 with field errors, never 500', async () => {
    const anon = await call(undefined, 'GET', '/v1/notifications');
    expect(anon.status).toBe(401);
    expect(anon.body.code).toBe('UNAUTHENTICATED');
    expect((await call('not-a-token', 'GET', '/v1/notifications/unread-count')).status).toBe(401);

    const badLimit = await call(aliceToken, 'GET', '/v1/notifications?limit=1000');
    expect(badLimit.status).toBe(422);
    expect(badLimit.body.errors[0].field).toBe('limit');
    const badCursor = await call(aliceToken, 'GET', '/v1/notifications?cursor=bm9wZQ');
    expect(badCursor.status).toBe(422);
    expect(badCursor.body.errors[0]).toMatchObject({ field: 'cursor', code: 'INVALID_CURSOR' });
    const badId = await call(aliceToken, 'POST', '/v1/notifications/123/read');
    expect(badId.status).toBe(422);
  });

  it('when the customer changes channel preferences, then they are stored; unknown fields are refused', async () => {
    await notificationsDb().query('INSERT INTO customers (customer_id, full_name, email, phone) VALUES ($1, $2, $3, $4)', [bob.customerId, bob.fullName, bob.email, bob.phone]);
    expect((await call(bobToken, 'GET', '/v1/notifications/preferences')).body).toEqual({ email: true, sms: true, inApp: true });
    const put = await call(bobToken, 'PUT', '/v1/notifications/preferences', { email: false, sms: true });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ email: false, sms: true, inApp: true });
    expect((await call(bobToken, 'GET', '/v1/notifications/preferences')).body).toEqual({ email: false, sms: true, inApp: true });
    expect((await call(bobToken, 'PUT', '/v1/notifications/preferences', { email: false, sms: true, push: false })).status).toBe(422);
    expect((await call(aliceToken, 'GET', '/v1/notifications/preferences')).status).toBe(404);
  });

  it('when the OpenAPI document is requested, then it describes the notification center', async () => {
    const doc = await call(undefined, 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/notifications', '/v1/notifications/unread-count', '/v1/notifications/{id}/read', '/v1/notifications/read-all', '/v1/notifications/preferences']),
    );
  });
});
