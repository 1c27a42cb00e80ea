// Read-your-writes notes in the stack's Redis: one pipeline of EVALSHA per commit notes every key at the primary's
// WAL position and settles its pending mark.
import { databaseUrl, STACK_DEFAULTS } from '@krt/platform/config';
import { createPool, parseLsn, ReadYourWrites, createRedis } from '@krt/platform/persistence';
import { createLogger } from '@krt/platform/telemetry';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';

describe('ReadYourWrites notes', () => {
  const redis = createRedis(STACK_DEFAULTS.redisUrl, 'ryw-notes-test');
  const pool = createPool(databaseUrl('payments'), { max: 2 });
  const warnings: string[] = [];
  const logger = createLogger('ryw-notes-test', { level: 'warn', destination: { write: (l: string) => void warnings.push(l) } });
  const scope = `ryw-test-${randomUUID().slice(0, 8)}`;
  const ryw = new ReadYourWrites({ primary: pool, replica: pool, redis, logger, scope });
  afterAll(async () => {
    await redis.quit();
    await pool.end();
  });

  it('when a commit notes several keys that were marked pending, then each key holds a WAL position at least the commit’s and no pending mark is left', async () => {
    const keys = [`account:${randomUUID()}`, `account:${randomUUID()}`, `account:${randomUUID()}`];
    await ryw.markPending(keys);
    expect(await redis.get(`ryw:${scope}:${keys[0]}:pending`)).toBe('1');
    const { rows } = await pool.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
    const before = parseLsn(rows[0]!.lsn);

    // The script is called by its SHA; after SCRIPT FLUSH the client loads it again.
    await redis.script('FLUSH');
    await ryw.recordCommitted(keys, { settlesPending: true });

    const notes = await redis.mget(...keys.map((k) => `ryw:${scope}:${k}`));
    for (const note of notes) {
      expect(note).toMatch(/^[0-9a-f]{16}$/);
      expect(BigInt(`0x${note}`)).toBeGreaterThanOrEqual(before);
    }
    expect(await redis.exists(...keys.map((k) => `ryw:${scope}:${k}:pending`))).toBe(0);
    expect(await redis.ttl(`ryw:${scope}:${keys[0]}`)).toBeGreaterThan(0);
    expect(warnings).toEqual([]);
    await redis.del(...keys.map((k) => `ryw:${scope}:${k}`));
  });
});
