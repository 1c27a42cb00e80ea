// The customer's reads from the BFF's in-process cache (libs/bff/src/gateway/read-cache.ts), against the real stack:
// two BFF processes sharing Redis (as replicas do), a cache lifetime of a minute so that every change seen below is
// the work of the versions and not of expiry; a customer's own write, a PIX received through the saga, and a deposit
// made outside the BFF each show at once; and a customer never gets another customer's cached answer.
import { eventually } from '@krt/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BffClient, closeTestKit, depositTo, newBankCustomer, startBff, TEST_PIN, type TestBff, type TestCustomer } from './bff-test-kit';

type BankCustomer = TestCustomer & { accountId: string };

let a: TestBff;
let b: TestBff;
let payer: BankCustomer;
let receiver: BankCustomer;

beforeAll(async () => {
  const shared = { REDIS_KEY_PREFIX: `bfftest:reads:${randomUUID().slice(0, 8)}:`, READ_CACHE_TTL_MS: '60000' };
  [a, b] = await Promise.all([startBff(shared), startBff(shared)]);
  [payer, receiver] = await Promise.all([newBankCustomer(), newBankCustomer()]);
  await depositTo(payer.accountId, '100.00');
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await closeTestKit();
});

/** Reads `path` until the BFF serves it from its cache (its first reads open the session and learn the account). */
async function warm(client: BffClient, bff: TestBff, path: string) {
  await eventually(
    async () => {
      const before = bff.rt.deps.reads.hits;
      const res = await client.get(path);
      expect(res.status).toBe(200);
      return bff.rt.deps.reads.hits > before ? res : undefined;
    },
    { timeoutMs: 10_000, what: `${path} served from the cache` },
  );
}

describe('read cache (balance, statement, dashboard)', () => {
  it("when the customer sends a PIX through one BFF, then the balance, statement and dashboard read through another BFF show it at once", async () => {
    const onA = new BffClient(a);
    const onB = new BffClient(b);
    await onA.signIn(payer.cpf);
    // The same customer, signed in on B with a session of their own.
    await onB.signIn(payer.cpf);
    for (const path of ['/api/v1/accounts/me/balance', '/api/v1/accounts/me/statement?limit=20', '/api/v1/dashboard']) await warm(onB, b, path);
    const before = (await onB.get('/api/v1/accounts/me/balance')).body;

    const receiverOnA = new BffClient(a);
    await receiverOnA.signIn(receiver.cpf);
    const key = await receiverOnA.post('/api/v1/pix/keys', { type: 'EVP' });
    expect(key.status).toBe(201);
    const sent = await onA.post('/api/v1/pix/transfers', { key: key.body.value, amount: '7.00', description: 'cache', pin: TEST_PIN }, { headers: { 'idempotency-key': randomUUID() } });
    expect(sent.status).toBe(202);

    // The reserve, at once, through the other BFF (its entries were warm).
    const after = await onB.get('/api/v1/accounts/me/balance');
    expect(Number(after.body.available)).toBeCloseTo(Number(before.available) - 7, 2);
    const dashboard = await onB.get('/api/v1/dashboard');
    expect(dashboard.body.balance.available).toBe(after.body.available);
    // The statement lists ledger entries: the PIX is there once the saga settles it (well within the cache lifetime).
    const transferId = sent.body.id as string;
    await eventually(
      async () => {
        const s = await onB.get('/api/v1/accounts/me/statement?limit=20');
        return (s.body.items as Array<{ transferId?: string }>).some((i) => i.transferId === transferId) ? s : undefined;
      },
      { timeoutMs: 45_000, what: 'the PIX in the statement through B' },
    );
  });

  it('when a PIX arrives (saga) or a deposit is made outside the BFF, then the receiver reads it at once through a warm BFF', async () => {
    const rOnB = new BffClient(b);
    await rOnB.signIn(receiver.cpf);
    await warm(rOnB, b, '/api/v1/accounts/me/balance');
    const start = Number((await rOnB.get('/api/v1/accounts/me/balance')).body.posted);

    await depositTo(receiver.accountId, '3.00');
    expect(Number((await rOnB.get('/api/v1/accounts/me/balance')).body.posted)).toBeCloseTo(start + 3, 2);

    await warm(rOnB, b, '/api/v1/accounts/me/balance');
    const pOnA = new BffClient(a);
    await pOnA.signIn(payer.cpf);
    const key = await rOnB.post('/api/v1/pix/keys', { type: 'EVP' });
    const sent = await pOnA.post('/api/v1/pix/transfers', { key: key.body.value, amount: '2.00', description: 'chega', pin: TEST_PIN }, { headers: { 'idempotency-key': randomUUID() } });
    expect(sent.status).toBe(202);
    await eventually(async () => (await pOnA.get(`/api/v1/pix/transfers/${sent.body.id}`)).body.status === 'COMPLETED', { timeoutMs: 45_000, what: 'PIX completed' });
    // Completed: the credit is in payments' balance model, so the next read through the warm BFF shows it.
    expect(Number((await rOnB.get('/api/v1/accounts/me/balance')).body.posted)).toBeCloseTo(start + 5, 2);
  });

  it("when two customers read the same paths through the same BFF, then each gets their own answer, never the other's", async () => {
    const p = new BffClient(b);
    const r = new BffClient(b);
    await p.signIn(payer.cpf);
    await r.signIn(receiver.cpf);
    await warm(p, b, '/api/v1/accounts/me/balance');
    await warm(r, b, '/api/v1/accounts/me/balance');
    for (let i = 0; i < 3; i++) {
      expect((await p.get('/api/v1/accounts/me/balance')).body.accountId).toBe(payer.accountId);
      expect((await r.get('/api/v1/accounts/me/balance')).body.accountId).toBe(receiver.accountId);
    }
    // A session that ended gets 401, not the cached answer of the customer it belonged to.
    expect((await p.post('/auth/logout')).status).toBeLessThan(400);
    const ended = await p.request('GET', '/api/v1/accounts/me/balance');
    expect(ended.status).toBe(401);
  });

  it('when a read is answered from the upstream and then from the cache, then both carry the same bytes with their Content-Length, and only a body past the compression threshold is compressed', async () => {
    const p = new BffClient(a);
    await p.signIn(payer.cpf);
    const encoding = { 'accept-encoding': 'br, gzip' };
    const path = '/api/v1/accounts/me/balance';
    const hitsBefore = a.rt.deps.reads.hits;
    const first = await p.get(path, { headers: encoding });
    await warm(p, a, path);
    const cached = await p.get(path, { headers: encoding });
    expect(a.rt.deps.reads.hits).toBeGreaterThan(hitsBefore);
    for (const res of [first, cached]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBeNull(); // a balance is far below 1 KiB
      expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(res.text)));
    }
    expect(cached.text).toBe((await p.get(path)).text);
    // The OpenAPI description is large: still compressed, with the length of what was sent.
    const docs = await fetch(`${a.url}/api/docs`, { headers: encoding });
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-encoding')).toBe('br');
  });
});
