// The API gate's single Redis round trip (rate limits + session read + idle slide), against the stack's real Redis:
// fixed-window counting with 429 semantics, the session bound that caps the slide, records changed by another BFF
// process, values written by an older BFF (no bound), and fail-open limits when Redis is unreachable.
import { createSessionService, createSessionStore, createLimiter, type SessionRecord } from '@krt/bff';
import { STACK_DEFAULTS } from '@krt/platform/config';
import { createLogger } from '@krt/platform/telemetry';
import { createRedis } from '@krt/platform/persistence';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';

const redis = createRedis(STACK_DEFAULTS.redisUrl, 'bff-gate-test');
const logger = createLogger('bff-gate-test', { level: 'silent' });
const prefix = `bfftest:gate:${randomUUID().slice(0, 8)}:`;
const SECRET = 'gate-test-session-key-0123456789';

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

/** A session store; each test passes its own `space`, so the session keys it lists are its own. */
const store = (space: string, opts: { idleSeconds?: number } = {}) =>
  createSessionStore({ redis, secret: SECRET, idleSeconds: opts.idleSeconds ?? 1800, absoluteSeconds: 36_000, keyPrefix: `${prefix}${space}:` });
const sessionKeys = (space: string) => redis.keys(`${prefix}${space}:session:*`);

const service = (s: ReturnType<typeof store>) =>
  createSessionService({
    store: s,
    oidc: {} as never, // no refresh in these tests: access tokens are far from expiry
    verify: async () => {
      throw new Error('not used');
    },
    logger,
  });

const record = (over: Partial<SessionRecord> = {}): Omit<SessionRecord, 'createdAt' | 'absoluteExpiresAt'> => ({
  userId: randomUUID(),
  customerId: randomUUID(),
  roles: ['customer'],
  accessToken: `access-${randomUUID()}`,
  refreshToken: `refresh-${randomUUID()}`,
  accessExpiresAt: Date.now() + 300_000,
  refreshExpiresAt: Date.now() + 1_800_000,
  ...over,
});

describe('API gate: rate limits and the session in one Redis round trip', () => {
  it('when a key passes its points in the window, then the next hit is refused with the time left, and other keys are unaffected', async () => {
    const limiter = createLimiter(redis, 'gate-window', { points: 3, durationSeconds: 30 }, { keyPrefix: prefix, logger });
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push(await limiter.hit('ip-a'));
    expect(hits.map((h) => h.allowed)).toEqual([true, true, true, false]);
    expect(hits.map((h) => h.remaining)).toEqual([2, 1, 0, 0]);
    expect(hits[3]!.resetSeconds).toBeGreaterThan(0);
    expect(hits[3]!.resetSeconds).toBeLessThanOrEqual(30);
    expect(await redis.pttl(`${prefix}rl:gate-window:ip-a`)).toBeGreaterThan(25_000);
    expect((await limiter.hit('ip-b')).remaining).toBe(2);
  });

  it('when a request carries a session, then one probe counts its limits, returns the record and slides the idle timeout', async () => {
    const s = store('slide', { idleSeconds: 60 });
    const sessions = service(s);
    const { id, record: created } = await s.create(record());
    const perSession = createLimiter(redis, 'gate-session', { points: 10, durationSeconds: 60 }, { keyPrefix: prefix, logger });

    // Shorten the TTL as if the session had idled; the probe slides it back to the idle timeout.
    const keys = await sessionKeys('slide');
    expect(keys).toHaveLength(1);
    await redis.pexpire(keys[0]!, 5_000);
    const first = await sessions.probe(id, [[perSession, 'k1']]);
    expect(first.limits).toEqual([expect.objectContaining({ allowed: true, limit: 10, remaining: 9 })]);
    expect(first.session?.record?.userId).toBe(created.userId);
    expect(first.session?.touchedUntil).toBeGreaterThan(Date.now() + 55_000);
    expect(await redis.pttl(keys[0]!)).toBeGreaterThan(55_000);

    // The same record again (served from the opened copy, the value is not sent back), still the right one.
    const second = await sessions.probe(id, [[perSession, 'k1']]);
    expect(second.limits[0]!.remaining).toBe(8);
    expect(second.session?.record).toEqual(first.session?.record);
    const active = await sessions.active(id, second.session);
    expect(active.record.userId).toBe(created.userId);
  });

  it('when the refresh token expires before the idle timeout, then the slide never goes past it, and past it the session is gone', async () => {
    const s = store('bound', { idleSeconds: 600 });
    const sessions = service(s);
    const { id } = await s.create(record({ refreshExpiresAt: Date.now() + 1500 }));
    const probed = await sessions.probe(id, []);
    expect(probed.session?.record).toBeDefined();
    expect(probed.session!.touchedUntil!).toBeLessThanOrEqual(Date.now() + 1500);
    await new Promise((r) => setTimeout(r, 1700));
    const later = await sessions.probe(id, []);
    expect(later.session).toEqual({ record: undefined, touchedUntil: undefined });
    await expect(sessions.active(id, later.session)).rejects.toMatchObject({ status: 401 });
  });

  it('when another BFF process replaces or deletes the record, then the next probe here sees the new record, or none', async () => {
    const here = store('elsewhere');
    const there = store('elsewhere');
    const sessions = service(here);
    const { id, record: created } = await here.create(record());
    expect((await sessions.probe(id, [])).session?.record?.accessToken).toBe(created.accessToken);
    await there.save(id, { ...created, accessToken: 'access-after-refresh-elsewhere' });
    expect((await sessions.probe(id, [])).session?.record?.accessToken).toBe('access-after-refresh-elsewhere');
    await there.delete(id);
    expect((await sessions.probe(id, [])).session?.record).toBeUndefined();
  });

  it('when the record was written by an older BFF (no bound in the value), then it is still read, and touched by the service', async () => {
    const s = store('legacy', { idleSeconds: 120 });
    const sessions = service(s);
    const { id, record: created } = await s.create(record());
    // Rewrite it in the old format: the sealed record alone.
    const [key] = await sessionKeys('legacy');
    const v = (await redis.get(key!))!;
    expect(v).toMatch(/^\d+\./);
    await redis.set(key!, v.slice(v.indexOf('.') + 1), 'PX', 3000);
    const probed = await sessions.probe(id, []);
    expect(probed.session?.record?.userId).toBe(created.userId);
    expect(probed.session?.touchedUntil).toBeUndefined();
    const active = await sessions.active(id, probed.session);
    expect(active.expiresAt).toBeGreaterThan(Date.now() + 100_000);
    expect(await redis.pttl(key!)).toBeGreaterThan(100_000);
  });

  it('when Redis is unreachable, then the limits let the call through and the session is left for the usual read', async () => {
    const down = createRedis('redis://127.0.0.1:5639', 'bff-gate-test-down');
    try {
      const s = createSessionStore({ redis: down, secret: SECRET, idleSeconds: 60, absoluteSeconds: 600, keyPrefix: prefix });
      const limiter = createLimiter(down, 'gate-down', { points: 1, durationSeconds: 60 }, { keyPrefix: prefix, logger });
      const sessions = service(s);
      const probed = await sessions.probe('A'.repeat(43), [
        [limiter, 'x'],
        [limiter, 'y'],
      ]);
      expect(probed.limits).toEqual([
        { allowed: true, limit: 1, remaining: 1, resetSeconds: 60 },
        { allowed: true, limit: 1, remaining: 1, resetSeconds: 60 },
      ]);
      expect(probed.session).toBeUndefined();
      expect((await limiter.hit('z')).allowed).toBe(true);
    } finally {
      down.disconnect();
    }
  });
});
