// The balance read model in the stack's Redis: many snapshots stored in one pipeline (EVALSHA), the newest version wins.
import { BalanceCache } from '@krt/payments';
import { STACK_DEFAULTS } from '@krt/platform/config';
import { createLogger } from '@krt/platform/telemetry';
import { createRedis } from '@krt/platform/persistence';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';

describe('BalanceCache', () => {
  const redis = createRedis(STACK_DEFAULTS.redisUrl, 'balance-cache-test');
  const cache = new BalanceCache(redis, createLogger('balance-cache-test', { level: 'silent' }));
  afterAll(() => redis.quit());

  const snap = (accountId: string, version: bigint, posted: bigint) => ({ accountId, posted, reserved: 0n, version, asOf: new Date(1_700_000_000_000) });

  it('when several snapshots are stored at once, then each account keeps its newest version, whatever the order they came in', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await cache.store([snap(a, 5n, 500n), snap(b, 2n, 200n), snap(a, 3n, 300n)]);
    expect(await cache.get(a)).toMatchObject({ version: 5n, posted: 500n });
    expect(await cache.get(b)).toMatchObject({ version: 2n, posted: 200n });
    await cache.store(snap(b, 1n, 100n));
    expect(await cache.get(b)).toMatchObject({ version: 2n, posted: 200n });
    await cache.store([snap(b, 7n, 700n)]);
    expect(await cache.get(b)).toMatchObject({ version: 7n, posted: 700n });
    // The script is loaded once and called by its SHA (ioredis defineCommand), even after SCRIPT FLUSH.
    await redis.script('FLUSH');
    await cache.store([snap(a, 6n, 600n), snap(b, 8n, 800n)]);
    expect(await cache.get(a)).toMatchObject({ version: 6n, posted: 600n });
    expect(await cache.get(b)).toMatchObject({ version: 8n, posted: 800n });
    await redis.del(`payments:balance:${a}`, `payments:balance:${b}`);
  });
});
