import { STACK_DEFAULTS } from '@krt/platform/config';
import { createRedis, tryAcquireLock } from '@krt/platform/persistence';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';

describe('Redis (real server on 6380)', () => {
  const redis = createRedis(STACK_DEFAULTS.redisUrl, 'infra-test');
  afterAll(() => redis.quit());

  it('when a value is set with a TTL, then it is read back and expires', async () => {
    const key = `test:${randomUUID()}`;
    await redis.set(key, 'krt', 'PX', 300);
    expect(await redis.get(key)).toBe('krt');
    expect(await redis.pttl(key)).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 400));
    expect(await redis.get(key)).toBeNull();
  });

  it('answers INFO as a real Redis server does', async () => {
    const info = await redis.info('server');
    expect(info).toMatch(/redis_version:\d+\.\d+/);
    expect(info).toContain('tcp_port:6380');
  });

  it('when a fenced lock is taken, then a second taker gets nothing until it is released, and the next holder has a larger token', async () => {
    const key = `test:lock:${randomUUID()}`;
    const first = await tryAcquireLock(redis, key, 5000);
    expect(first).not.toBeNull();
    expect(await tryAcquireLock(redis, key, 5000)).toBeNull();
    await first!.release();
    const second = await tryAcquireLock(redis, key, 5000);
    expect(second!.token).toBeGreaterThan(first!.token);
    // A stale holder's release does not free the newer holder's lock.
    await first!.release();
    expect(await tryAcquireLock(redis, key, 5000)).toBeNull();
    await second!.release();
    await redis.del(`${key}:fence`);
  });

  it('when an unfenced lock expires, then another taker gets it, and no fencing counter is left behind', async () => {
    const key = `test:lock:${randomUUID()}`;
    const lease = await tryAcquireLock(redis, key, 200, { fenced: false });
    expect(lease).not.toBeNull();
    expect(await tryAcquireLock(redis, key, 200, { fenced: false })).toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    const next = await tryAcquireLock(redis, key, 200, { fenced: false });
    expect(next).not.toBeNull();
    expect(next!.token).not.toBe(lease!.token);
    expect(await redis.exists(`${key}:fence`)).toBe(0);
    await next!.release();
    expect(await redis.exists(key)).toBe(0);
  });
});
