// One Redis round trip per API request: a Lua script that counts every applicable rate limit (fixed windows) and, when
// the request carries a session, reads the session record and slides its idle timeout, all at once.
//
// Session values are stored as `<bound>.<sealed record>`, where <bound> is the epoch ms the session can never outlive
// (the sooner of the refresh token's expiry and the absolute lifetime), so the script can slide the idle timeout without
// opening the record. A caller that already holds the opened record names its first bytes (`known`: the bound and the
// random IV of that write); when they still match, the script answers "unchanged" instead of sending the record back.
// That caller also knows the customer, and may ask for the customer's read versions (read-cache.ts) in the same call.
// With `seenKey`, the script also writes the time of this use there (the "last use" the customer's session list shows;
// the caller asks for it at most once a minute per session, so it costs no extra round trip and few writes).
import { redisScript } from '@krt/platform/persistence';
import type { Redis } from 'ioredis';

const GATE_LUA = `
local n = tonumber(ARGV[1])
local out = {0, '', '', ''}
local seen = #KEYS > n and ARGV[n + 5] == '1'
local vk = n + 2
if seen then vk = n + 3 end
if #KEYS == vk + 1 then
  out[3] = redis.call('GET', KEYS[vk]) or ''
  out[4] = redis.call('HGET', KEYS[vk + 1], 'v') or ''
end
for i = 1, n do
  local c = redis.call('INCR', KEYS[i])
  local t = redis.call('PTTL', KEYS[i])
  if t < 0 then
    t = tonumber(ARGV[1 + i])
    redis.call('PEXPIRE', KEYS[i], t)
  end
  out[#out + 1] = c
  out[#out + 1] = t
end
if #KEYS > n then
  local k = KEYS[n + 1]
  local v = redis.call('GET', k)
  if v then
    local dot = string.find(v, '.', 1, true)
    if not dot then
      out[1] = 3
      out[2] = v
    else
      local ttl = math.min(tonumber(ARGV[n + 2]), tonumber(string.sub(v, 1, dot - 1)) - tonumber(ARGV[n + 3]))
      if ttl <= 0 then
        redis.call('DEL', k)
      else
        redis.call('PEXPIRE', k, ttl)
        if seen then
          redis.call('SET', KEYS[n + 2], ARGV[n + 3], 'PX', ttl + 60000)
        end
        local known = ARGV[n + 4]
        if known ~= '' and string.sub(v, 1, #known) == known then
          out[1] = 1
        else
          out[1] = 2
          out[2] = v
        end
      end
    end
  end
end
return out`;

export interface WindowCount {
  /** The counter's Redis key. */
  key: string;
  windowMs: number;
}

export interface SessionProbe {
  key: string;
  idleMs: number;
  now: number;
  /** The first bytes of the value the caller already opened ('' when none). */
  known: string;
  /** The customer's read versions to return: a counter (GET) and a hash's `v` field (HGET). */
  versionKeys?: [string, string];
  /** Where to write `now` as the session's last use (expiring a minute after the session would). */
  seenKey?: string;
}

export type SessionReply =
  | { status: 'missing' }
  /** Touched, and still the value whose first bytes the caller named. */
  | { status: 'unchanged' }
  /** Touched: here is the current value. */
  | { status: 'value'; value: string }
  /** A value without a bound (written by an older BFF): read but not touched. */
  | { status: 'untouched'; value: string };

export interface GateReply {
  counts: Array<{ count: number; ttlMs: number }>;
  session?: SessionReply;
  /** The values under `versionKeys` ('' when absent). */
  versions?: [string, string];
}

const gate = redisScript<[number, string, string, string, ...number[]]>(GATE_LUA);

/** Counts one hit on every window and, with `session`, reads and touches the session record: one EVALSHA. */
export async function runGate(redis: Redis, counts: WindowCount[], session?: SessionProbe): Promise<GateReply> {
  const keys = counts.map((c) => c.key);
  const args: Array<string | number> = [counts.length, ...counts.map((c) => c.windowMs)];
  if (session) {
    keys.push(session.key, ...(session.seenKey ? [session.seenKey] : []), ...(session.versionKeys ?? []));
    args.push(session.idleMs, session.now, session.known, session.seenKey ? '1' : '');
  }
  const [status, value, v1, v2, ...flat] = await gate(redis, keys.length, ...keys, ...args);
  const reply: GateReply = { counts: counts.map((_, i) => ({ count: Number(flat[2 * i]), ttlMs: Number(flat[2 * i + 1]) })) };
  if (session) {
    reply.session =
      status === 1 ? { status: 'unchanged' } : status === 2 ? { status: 'value', value } : status === 3 ? { status: 'untouched', value } : { status: 'missing' };
    if (session.versionKeys) reply.versions = [v1, v2];
  }
  return reply;
}
