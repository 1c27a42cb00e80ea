// Balance read model in Redis. Every code path that changes an account stores the new snapshot after its commit;
// a Lua compare-and-set keeps only the highest account version, so a slow writer or reader never overwrites a
// newer balance with an older one. Reads fall back to the primary database on a miss or a Redis failure.
import type { Logger } from '@krt/platform/telemetry';
import type { Redis } from '@krt/platform/persistence';

export interface BalanceSnapshot {
  accountId: string;
  posted: bigint;
  reserved: bigint;
  version: bigint;
  asOf: Date;
}

const TTL_MS = 10 * 60_000;
const key = (accountId: string) => `payments:balance:${accountId}`;

const STORE_IF_NEWER = `
local cur = redis.call('HGET', KEYS[1], 'v')
if cur and tonumber(cur) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'posted', ARGV[2], 'reserved', ARGV[3], 'at', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

type BalanceRedis = Redis & {
  krtBalanceStore(key: string, version: string, posted: string, reserved: string, atMs: string, ttlMs: string): Promise<number>;
};

export class BalanceCache {
  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {
    // EVALSHA (loaded once, on the first NOSCRIPT) instead of sending the script with every store.
    if (!('krtBalanceStore' in redis)) redis.defineCommand('krtBalanceStore', { numberOfKeys: 1, lua: STORE_IF_NEWER });
  }

  async get(accountId: string): Promise<BalanceSnapshot | null> {
    try {
      const h = await this.redis.hgetall(key(accountId));
      if (!h.v || h.posted === undefined || h.reserved === undefined || !h.at) return null;
      return { accountId, posted: BigInt(h.posted), reserved: BigInt(h.reserved), version: BigInt(h.v), asOf: new Date(Number(h.at)) };
    } catch (err) {
      this.logger.warn({ err }, 'balance cache read failed; using the database');
      return null;
    }
  }

  /**
   * Stores each snapshot unless a newer version is already cached: one pipeline for all of them. A snapshot whose
   * store failed has its key dropped, so readers go to the database.
   */
  async store(snapshots: BalanceSnapshot | BalanceSnapshot[]): Promise<void> {
    const list = Array.isArray(snapshots) ? snapshots : [snapshots];
    if (list.length === 0) return;
    const pipeline = this.redis.pipeline() as unknown as { exec(): Promise<[Error | null, unknown][] | null> } & Pick<BalanceRedis, 'krtBalanceStore'>;
    for (const s of list) pipeline.krtBalanceStore(key(s.accountId), s.version.toString(), s.posted.toString(), s.reserved.toString(), String(s.asOf.getTime()), String(TTL_MS));
    let failed: BalanceSnapshot[];
    let err: unknown;
    try {
      const results = await pipeline.exec();
      failed = list.filter((_, i) => !results || results[i]?.[0]);
      err = results?.find(([e]) => e)?.[0];
    } catch (e) {
      failed = list;
      err = e;
    }
    if (failed.length === 0) return;
    this.logger.warn({ err, accountIds: failed.map((s) => s.accountId) }, 'balance cache write failed; invalidating');
    await this.redis.del(...failed.map((s) => key(s.accountId))).catch(() => undefined);
  }

  async invalidate(accountId: string): Promise<void> {
    await this.redis.del(key(accountId)).catch(() => undefined);
  }
}
