// Sessions the customer controls (issue #23): GET /api/v1/sessions lists the signed-in customer's own sessions (device
// label from the User-Agent at sign-in, since, last use, this one marked); DELETE ends one (by its opaque handle), the
// others or all, each revoked at Keycloak like a logout. Against the real stack: in-process BFF, Redis, Keycloak.
import { createRedis } from '@krt/platform/persistence';
import { STACK_DEFAULTS } from '@krt/platform/config';
import { createHash, randomUUID } from 'node:crypto';
import { createSessionStore, sessionKeyHash } from '@krt/bff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BffClient, browserSignIn, closeTestKit, newRealmCustomer, PASSWORD, refreshAccepted, startBff, type TestBff } from './bff-test-kit';

const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

interface Listed {
  handle: string;
  device: string;
  createdAt: string;
  lastUsedAt: string;
  current: boolean;
}

const PREFIX = `bfftest:${randomUUID().slice(0, 8)}:`;
let bff: TestBff;
const redis = createRedis(STACK_DEFAULTS.redisUrl, 'bff-sessions-test');

beforeAll(async () => {
  bff = await startBff({ REDIS_KEY_PREFIX: PREFIX });
});
afterAll(async () => {
  await bff?.close();
  await closeTestKit();
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

/** A first-party sign-in from a browser with this User-Agent. */
async function signInAs(cpf: string, userAgent: string) {
  const client = new BffClient(bff);
  const res = await client.post('/auth/session', { cpf, password: PASSWORD }, { headers: { 'user-agent': userAgent } });
  expect(res.status).toBe(204);
  await client.rememberSessionTokens();
  return client;
}

const list = async (client: BffClient) => {
  const res = await client.get<{ items: Listed[] }>('/api/v1/sessions');
  expect(res.status, res.text).toBe(200);
  return res.body.items;
};
const refreshTokenOf = async (client: BffClient) => (await bff.rt.deps.sessions.peek(client.sessionId))!.record.refreshToken;

describe('sessions the customer controls', () => {
  it('when one customer signs in on two devices, then each lists both sessions with device labels and times, this one marked current, by handles that are not the cookie', async () => {
    const alice = await newRealmCustomer();
    const laptop = await signInAs(alice.cpf, CHROME_LINUX);
    const phone = await signInAs(alice.cpf, SAFARI_IPHONE);

    const fromLaptop = await list(laptop);
    expect(fromLaptop.map((s) => [s.device, s.current])).toEqual([
      ['Chrome no Linux', true],
      ['Safari no iPhone', false],
    ]);
    const fromPhone = await list(phone);
    expect(fromPhone.map((s) => [s.device, s.current])).toEqual([
      ['Safari no iPhone', true],
      ['Chrome no Linux', false],
    ]);
    for (const s of fromLaptop) {
      expect(Date.parse(s.createdAt)).toBeGreaterThan(Date.now() - 60_000);
      expect(Date.parse(s.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(s.createdAt));
    }
    // A handle is neither the cookie value nor the session's Redis key (the SHA-256 of the cookie value).
    const secrets = [laptop.sessionId!, phone.sessionId!];
    const redisKeys = secrets.map((id) => createHash('sha256').update(id).digest('base64url'));
    for (const s of fromLaptop) {
      expect(secrets).not.toContain(s.handle);
      expect(redisKeys).not.toContain(s.handle);
      for (const secret of secrets) expect(JSON.stringify(s)).not.toContain(secret);
    }
    // The cookie value as a handle is not a session of the caller's.
    const byCookie = await laptop.request('DELETE', `/api/v1/sessions/${phone.sessionId}`);
    expect(byCookie.status).toBe(404);
    expect(byCookie.headers.get('content-type')).toContain('application/problem+json');
    expect(byCookie.body.code).toBe('SESSION_NOT_FOUND');
    expect((await list(phone)).length).toBe(2);
  });

  it('when the customer ends the other session, then its next call is 401, its refresh token is refused by Keycloak, and this one goes on', async () => {
    const alice = await newRealmCustomer();
    const laptop = await signInAs(alice.cpf, CHROME_LINUX);
    const phone = await signInAs(alice.cpf, SAFARI_IPHONE);
    const phoneRefresh = await refreshTokenOf(phone);
    const other = (await list(laptop)).find((s) => !s.current)!;

    const res = await laptop.request('DELETE', `/api/v1/sessions/${other.handle}`);
    expect(res.status).toBe(204);
    expect(res.setCookies).toEqual([]); // this device's cookie stays

    expect((await phone.get('/api/v1/sessions')).status).toBe(401);
    expect((await phone.get('/auth/me')).body.authenticated).toBe(false);
    expect(await refreshAccepted(phoneRefresh)).toBe(false);
    expect((await list(laptop)).map((s) => s.device)).toEqual(['Chrome no Linux']);
    // Only that session ended at Keycloak: this one's refresh token is still good.
    expect(await refreshAccepted(await refreshTokenOf(laptop))).toBe(true);
    // Ending it again: it is no longer one of the customer's sessions.
    expect((await laptop.request('DELETE', `/api/v1/sessions/${other.handle}`)).status).toBe(404);
  });

  it('when the customer ends all other sessions, then only this one is left, and every other one is 401 and revoked at Keycloak', async () => {
    const alice = await newRealmCustomer();
    const here = await signInAs(alice.cpf, CHROME_LINUX);
    const others = [await signInAs(alice.cpf, SAFARI_IPHONE), await signInAs(alice.cpf, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0')];
    const tokens = await Promise.all(others.map(refreshTokenOf));
    expect((await list(here)).length).toBe(3);

    expect((await here.request('DELETE', '/api/v1/sessions?scope=others')).status).toBe(204);
    const left = await list(here);
    expect(left.map((s) => [s.device, s.current])).toEqual([['Chrome no Linux', true]]);
    for (const o of others) expect((await o.get('/api/v1/sessions')).status).toBe(401);
    for (const t of tokens) expect(await refreshAccepted(t)).toBe(false);
    expect(await refreshAccepted(await refreshTokenOf(here))).toBe(true);
  });

  it('when the customer ends all sessions, then this one ends too (cookie cleared, 401) and so do the others', async () => {
    const alice = await newRealmCustomer();
    const here = await signInAs(alice.cpf, CHROME_LINUX);
    const there = await signInAs(alice.cpf, SAFARI_IPHONE);
    const hereRefresh = await refreshTokenOf(here);
    const sessionCookie = here.sessionId;
    const res = await here.request('DELETE', '/api/v1/sessions?scope=all');
    expect(res.status).toBe(204);
    expect(res.setCookies.some((c) => /^krt-session=;/.test(c) && /max-age=0/i.test(c))).toBe(true);
    expect(here.sessionId).toBeUndefined();
    here.jar.set('krt-session', sessionCookie!); // a copy of the old cookie is no good either
    expect((await here.get('/api/v1/sessions')).status).toBe(401);
    expect((await there.get('/api/v1/sessions')).status).toBe(401);
    expect(await refreshAccepted(hereRefresh)).toBe(false);
  });

  it('when another customer lists or ends sessions, then they see only their own and cannot end the first customer\'s (404)', async () => {
    const [alice, mallory] = await Promise.all([newRealmCustomer(), newRealmCustomer()]);
    const aliceClient = await signInAs(alice.cpf, CHROME_LINUX);
    const malloryClient = await signInAs(mallory.cpf, SAFARI_IPHONE);
    const aliceHandle = (await list(aliceClient))[0]!.handle;

    const seen = await list(malloryClient);
    expect(seen.map((s) => s.device)).toEqual(['Safari no iPhone']);
    expect(seen.map((s) => s.handle)).not.toContain(aliceHandle);

    const res = await malloryClient.request('DELETE', `/api/v1/sessions/${aliceHandle}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('SESSION_NOT_FOUND');
    expect(res.body.message).toMatch(/Sessão não encontrada/);
    expect((await malloryClient.request('DELETE', '/api/v1/sessions?scope=others')).status).toBe(204);
    expect((await list(aliceClient)).length).toBe(1);
    expect((await aliceClient.get('/api/v1/sessions')).status).toBe(200);
  });

  it('when a session is signed in through Keycloak (authorization code), then it is listed too; logout and back-channel logout take sessions off the list', async () => {
    const alice = await newRealmCustomer();
    const browser = new BffClient(bff);
    const { done } = await browserSignIn(browser, alice.cpf, PASSWORD);
    expect(done.status).toBe(303);
    const phone = await signInAs(alice.cpf, SAFARI_IPHONE);
    const tablet = await signInAs(alice.cpf, 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1');
    expect((await list(phone)).map((s) => s.device).sort()).toEqual(['Cliente Node.js', 'Safari no iPad', 'Safari no iPhone']);

    expect((await tablet.post('/auth/logout')).status).toBe(204);
    const sid = (await bff.rt.deps.sessions.peek(browser.sessionId))!.record.keycloakSid!;
    expect(await bff.rt.deps.sessions.endKeycloakSession(sid)).toBe(1);
    // The index itself no longer names them (before any listing could prune it).
    const userId = (await bff.rt.deps.sessions.peek(phone.sessionId))!.record.userId;
    expect(await redis.hlen(`${PREFIX}user-sessions:${sessionKeyHash(userId)}`)).toBe(1);
    expect((await list(phone)).map((s) => s.device)).toEqual(['Safari no iPhone']);
  });

  it('when the customer logs out on one device, then only that session ends: the other is still listed and its refresh token is still good at Keycloak', async () => {
    const alice = await newRealmCustomer();
    const laptop = await signInAs(alice.cpf, CHROME_LINUX);
    const phone = await signInAs(alice.cpf, SAFARI_IPHONE);
    const laptopRefresh = await refreshTokenOf(laptop);
    expect((await laptop.post('/auth/logout')).status).toBe(204);
    expect(await refreshAccepted(laptopRefresh)).toBe(false);
    expect(await refreshAccepted(await refreshTokenOf(phone))).toBe(true);
    expect((await list(phone)).map((s) => [s.device, s.current])).toEqual([['Safari no iPhone', true]]);
  });

  it('when a session is used, then the gate writes its last use in the same round trip, at most once a minute per BFF process', async () => {
    const space = `${PREFIX}lastuse:`;
    const store = createSessionStore({ redis, secret: 'last-use-test-session-key-0123', idleSeconds: 1800, absoluteSeconds: 36_000, keyPrefix: space });
    const { id } = await store.create(
      { userId: randomUUID(), roles: ['customer'], accessToken: 'a', refreshToken: 'r', accessExpiresAt: Date.now() + 300_000, refreshExpiresAt: Date.now() + 1_800_000 },
      { device: 'Chrome no Linux' },
    );
    const seenKey = `${space}session:${sessionKeyHash(id)}:seen`;
    expect(await redis.get(seenKey)).toBeNull();
    const before = Date.now();
    await store.probe(id, []);
    const first = Number(await redis.get(seenKey));
    expect(first).toBeGreaterThanOrEqual(before);
    expect(await redis.pttl(seenKey)).toBeGreaterThan(1800_000);
    await new Promise((r) => setTimeout(r, 20));
    await store.probe(id, []);
    expect(Number(await redis.get(seenKey))).toBe(first); // not again within the minute
    const other = createSessionStore({ redis, secret: 'last-use-test-session-key-0123', idleSeconds: 1800, absoluteSeconds: 36_000, keyPrefix: space });
    await other.probe(id, []); // another BFF process writes its own first use
    expect(Number(await redis.get(seenKey))).toBeGreaterThan(first);
    await store.delete(id);
    expect(await redis.exists(seenKey)).toBe(0);
  });

  it('when the scope is missing or unknown, or the method is not allowed, then problem+json with a code and nothing ends', async () => {
    const alice = await newRealmCustomer();
    const client = await signInAs(alice.cpf, CHROME_LINUX);
    const bad = await client.request('DELETE', '/api/v1/sessions?scope=everything');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('SESSION_SCOPE_INVALID');
    expect((await client.request('DELETE', '/api/v1/sessions')).status).toBe(400);
    const post = await client.post('/api/v1/sessions', {});
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toContain('DELETE');
    expect((await client.get('/api/v1/sessions', { csrf: false })).status).toBe(403);
    expect((await client.request('DELETE', '/api/v1/sessions?scope=all', { csrf: false })).status).toBe(403);
    expect((await new BffClient(bff).get('/api/v1/sessions')).status).toBe(401);
    expect((await list(client)).length).toBe(1);
  });
});
