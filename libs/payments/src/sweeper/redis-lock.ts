// A Redis lock with expiry (SET NX PX) and a fencing token (INCR): the protected write checks the token in the
// database, so a holder whose lock expired while it was paused cannot act after a newer holder did.
import type { Redis } from '@krt/platform/redis';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface LockLease {
  token: bigint;
  release(): Promise<void>;
}

export async function tryAcquireLock(redis: Redis, name: string, ttlMs: number): Promise<LockLease | null> {
  const lockKey = `payments:lock:${name}`;
  if (await redis.exists(lockKey)) return null;
  const token = BigInt(await redis.incr(`${lockKey}:fence`));
  const ok = await redis.set(lockKey, token.toString(), 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return null;
  return {
    token,
    release: async () => {
      await redis.eval(RELEASE, 1, lockKey, token.toString()).catch(() => undefined);
    },
  };
}
