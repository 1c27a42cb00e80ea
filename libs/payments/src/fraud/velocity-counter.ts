// Fraud velocity counters in Redis: one sorted set per payer account, scored by the transfer's initiation time.
// Members are transfer ids, so a redelivered event is counted once.
import { FRAUD_THRESHOLDS } from '@krt/domain';
import type { Redis } from '@krt/platform/persistence';

const key = (accountId: string) => `payments:fraud:velocity:${accountId}`;
const RETAIN_MS = 60 * 60_000;

/** Records the transfer and returns how many OTHER transfers the payer initiated in the window before it. */
export async function recordAndCountRecent(redis: Redis, accountId: string, transferId: string, at: Date): Promise<number> {
  const windowMs = FRAUD_THRESHOLDS.abnormalFrequency.windowMinutes * 60_000;
  const t = at.getTime();
  const results = await redis
    .multi()
    .zadd(key(accountId), 'NX', t, transferId)
    .zremrangebyscore(key(accountId), '-inf', t - RETAIN_MS)
    .zcount(key(accountId), t - windowMs, t)
    .pexpire(key(accountId), RETAIN_MS)
    .exec();
  if (!results) throw new Error('velocity counter transaction aborted');
  const [, , count] = results;
  if (count?.[0]) throw count[0];
  return Math.max(0, Number(count?.[1] ?? 1) - 1);
}

/**
 * `recordAndCountRecent` for several transfers in one MULTI (one round trip), applied in the given order: each
 * count is what the one-at-a-time calls in that order would have returned.
 */
export async function recordAndCountRecentMany(redis: Redis, transfers: { accountId: string; transferId: string; at: Date }[]): Promise<number[]> {
  if (transfers.length === 0) return [];
  const windowMs = FRAUD_THRESHOLDS.abnormalFrequency.windowMinutes * 60_000;
  const multi = redis.multi();
  for (const { accountId, transferId, at } of transfers) {
    const t = at.getTime();
    multi.zadd(key(accountId), 'NX', t, transferId).zremrangebyscore(key(accountId), '-inf', t - RETAIN_MS).zcount(key(accountId), t - windowMs, t).pexpire(key(accountId), RETAIN_MS);
  }
  const results = await multi.exec();
  if (!results) throw new Error('velocity counter transaction aborted');
  return transfers.map((_, i) => {
    const count = results[i * 4 + 2];
    if (count?.[0]) throw count[0];
    return Math.max(0, Number(count?.[1] ?? 1) - 1);
  });
}
