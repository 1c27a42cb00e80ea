// Read-your-writes over a streaming read replica (see docs/read-your-writes.md).
//
// Writers, right after COMMIT, note the primary's WAL insert position under `ryw:<scope>:<key>` in Redis (kept as the
// highest value, TTL 60 s). Readers use the replica for that key only when the replica has replayed at least that far
// (`pg_last_wal_replay_lsn()`), otherwise the primary — no waiting. A writer whose commit a reader could learn about
// before the note lands (a consumer settling a PIX the customer polls on the primary) marks the key pending inside its
// transaction; pending means primary until the note replaces it (or the mark expires, if the writer died).
// Any doubt — Redis or the replica unreachable, slow or not a standby — means the primary.
import type { Pool, Queryable } from './db';
import { withDeadline } from '../resilience/deadline';
import type { Logger } from '../telemetry/logger';
import type { Redis } from './redis';

export interface ReadYourWritesOptions {
  primary: Pool;
  replica: Pool;
  redis: Redis;
  logger: Logger;
  /** Separates services sharing one Redis, e.g. `payments`. */
  scope: string;
  /** How long a write keeps steering its key's reads (s). Longer than any lag you accept to serve. */
  ttlSeconds?: number;
  /** How long a pending mark lives if its writer never confirms (s). */
  pendingTtlSeconds?: number;
  /** How long the replica's replay position is reused (ms). A stale value only sends more reads to the primary. */
  replayCacheMs?: number;
  /** Bound on the Redis and replica look-ups before falling back to the primary (ms). */
  lookupTimeoutMs?: number;
}

/** `16/B374D848` → 0x16B374D848 (a WAL position as a number that compares correctly). */
export function parseLsn(lsn: string): bigint {
  const m = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(lsn.trim());
  if (!m) throw new Error(`not an LSN: ${lsn}`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

/** Fixed-width hex, so Redis (Lua) can keep the highest one with a string comparison. */
const lsnHex = (lsn: bigint) => lsn.toString(16).padStart(16, '0');

// KEYS[1] = note, KEYS[2] = pending counter; ARGV = lsn hex, ttl s, '1' to settle one pending mark. Keeps the highest LSN.
const RECORD = `
local cur = redis.call('GET', KEYS[1])
if (not cur) or cur < ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) else redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if ARGV[3] == '1' then
  local p = tonumber(redis.call('GET', KEYS[2]) or '0')
  if p > 1 then redis.call('DECR', KEYS[2]) elseif p == 1 then redis.call('DEL', KEYS[2]) end
end
return 1`;


/** The RECORD script as a command of the client: EVALSHA, loaded once (ioredis defineCommand). */
type RecordPipeline = { krtRywRecord(note: string, pending: string, lsnHex: string, ttlSeconds: string, settle: '0' | '1'): unknown; exec(): Promise<[Error | null, unknown][] | null> };

export type ReadTarget = 'primary' | 'replica';

export class ReadYourWrites {
  /** Reads can go to a replica. Writers note their writes either way: another process may read through one. */
  readonly enabled: boolean;
  private readonly ttl: number;
  private readonly pendingTtl: number;
  private readonly replayCacheMs: number;
  private readonly timeoutMs: number;
  private replay: { at: number; lsn: Promise<bigint | null> } | undefined;

  constructor(private readonly opts: ReadYourWritesOptions) {
    this.enabled = opts.replica !== opts.primary;
    this.ttl = opts.ttlSeconds ?? 60;
    this.pendingTtl = opts.pendingTtlSeconds ?? 10;
    this.replayCacheMs = opts.replayCacheMs ?? 5;
    this.timeoutMs = opts.lookupTimeoutMs ?? 250;
    if (!('krtRywRecord' in opts.redis)) opts.redis.defineCommand('krtRywRecord', { numberOfKeys: 2, lua: RECORD });
  }

  private note = (key: string) => `ryw:${this.opts.scope}:${key}`;
  private pending = (key: string) => `ryw:${this.opts.scope}:${key}:pending`;

  /**
   * Inside the writer's transaction (before COMMIT): reads of `keys` go to the primary until
   * `recordCommitted(keys, { settlesPending: true })` (or `pendingTtlSeconds`, if the writer dies or rolls back).
   * Best effort like the note: with Redis down, readers read the primary anyway.
   */
  async markPending(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    try {
      const multi = this.opts.redis.multi();
      for (const k of new Set(keys)) multi.incr(this.pending(k)).expire(this.pending(k), this.pendingTtl);
      const results = await withDeadline(multi.exec(), this.timeoutMs * 4, 'read-your-writes pending mark');
      const failed = results?.find(([err]) => err);
      if (failed) throw failed[0];
    } catch (err) {
      this.opts.logger.warn({ err }, 'read-your-writes pending mark failed');
    }
  }

  /**
   * After COMMIT: notes the primary's WAL insert position (≥ the end of the commit record just written) for `keys`.
   * Best effort: a failure is logged, and a missing note only matters while the replica lags.
   */
  async recordCommitted(keys: string[], opts: { settlesPending?: boolean; primary?: Queryable } = {}): Promise<void> {
    if (keys.length === 0) return;
    try {
      const { rows } = await (opts.primary ?? this.opts.primary).query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
      const hex = lsnHex(parseLsn(rows[0]!.lsn));
      // One pipeline for every key of the commit.
      const pipeline = this.opts.redis.pipeline() as unknown as RecordPipeline;
      for (const k of new Set(keys)) pipeline.krtRywRecord(this.note(k), this.pending(k), hex, String(this.ttl), opts.settlesPending ? '1' : '0');
      const results = await withDeadline(pipeline.exec(), this.timeoutMs * 4, 'read-your-writes note');
      const failed = results?.find(([err]) => err);
      if (failed) throw failed[0];
    } catch (err) {
      this.opts.logger.warn({ err }, 'read-your-writes note failed; reads of these keys may be stale while the replica lags');
    }
  }

  /** Where reads of `key` go now: the replica if it has replayed the key's last write, else the primary. */
  async targetFor(key: string): Promise<ReadTarget> {
    if (!this.enabled) return 'primary';
    try {
      const [note, pending] = await withDeadline(this.opts.redis.mget(this.note(key), this.pending(key)), this.timeoutMs, 'read-your-writes look-up');
      if (pending && Number(pending) > 0) return 'primary';
      if (!note) return 'replica';
      const replayed = await this.replayLsn();
      return replayed !== null && replayed >= BigInt(`0x${note}`) ? 'replica' : 'primary';
    } catch (err) {
      this.opts.logger.debug({ err }, 'read-your-writes look-up failed; reading the primary');
      return 'primary';
    }
  }

  /** The pool for reads of `key` (see targetFor). */
  async poolFor(key: string): Promise<Pool> {
    return (await this.targetFor(key)) === 'replica' ? this.opts.replica : this.opts.primary;
  }

  /** The replica's replay position, shared by concurrent readers for `replayCacheMs`; null when it is not a standby. */
  private replayLsn(): Promise<bigint | null> {
    const now = Date.now();
    if (this.replay && now - this.replay.at <= this.replayCacheMs) return this.replay.lsn;
    const lsn = withDeadline(
      this.opts.replica.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn'),
      this.timeoutMs,
      'replica replay position',
    ).then((r) => (r.rows[0]?.lsn ? parseLsn(r.rows[0].lsn) : null));
    this.replay = { at: now, lsn };
    lsn.catch(() => {
      if (this.replay?.lsn === lsn) this.replay = undefined;
    });
    return lsn;
  }
}
