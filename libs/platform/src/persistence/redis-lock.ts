// The one Redis lock of the bank: SET NX PX (expires on its own if the holder dies). Release deletes the key only while
// it still holds our token. A fenced lock's token comes from INCR on a permanent companion key (`<key>:fence`), so it
// grows with every holder: protected writes that must survive a paused holder check it where they write (the payments
// deadline sweeper checks it in the database). Short-lived keys (one per session) use an unfenced random token, so
// they leave no counter behind.
import { randomBytes } from 'node:crypto';
import type { Redis } from './redis';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface LockLease {
  /** Fenced: grows with every acquisition of this key (a newer holder has a larger token). Unfenced: random. */
  token: bigint;
  release(): Promise<void>;
}

/** Takes the lock at `key` for `ttlMs`, or answers null when someone holds it. */
export async function tryAcquireLock(redis: Redis, key: string, ttlMs: number, opts: { fenced?: boolean } = {}): Promise<LockLease | null> {
  if (await redis.exists(key)) return null;
  const token = opts.fenced === false ? randomBytes(8).readBigUInt64BE() : BigInt(await redis.incr(`${key}:fence`));
  const ok = await redis.set(key, token.toString(), 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return null;
  return {
    token,
    release: async () => {
      await redis.eval(RELEASE, 1, key, token.toString()).catch(() => undefined);
    },
  };
}
