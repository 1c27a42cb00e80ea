import { STACK_DEFAULTS } from '@krt/platform/config';
import { createRedis } from '@krt/platform/redis';
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
});
