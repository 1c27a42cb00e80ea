// The rate-limiter factory every service uses (the BFF's sign-in, auth and registration limits; onboarding's
// registrations and CPF checks). Each limiter is a fixed window of `points` per `durationSeconds` for a key (a session,
// an IP, an IP + CPF), counted in Redis so every replica shares it: one round trip (INCR + PTTL + PEXPIRE in a script)
// per hit. Answers carry the IETF RateLimit-* headers; a refused call gets 429 with Retry-After (by default code
// MUITAS_TENTATIVAS; a service may keep its own refusal error). When Redis cannot count, the call is let through (fail
// open, logged) or, with `whenRedisFails: 'count-in-process'`, counted by this process alone until Redis answers again.
//
// The BFF's API hot path does not call `hit`: its gate script (libs/bff/src/gateway/redis-gate.ts) counts a request's
// limits and reads its session in one round trip, using `window` and `result` of these same limiters.
import type { Context, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import { AppError } from './errors';
import type { Logger } from '../telemetry/logger';
import { redisScript } from '../persistence/redis';

export interface LimitSpec {
  points: number;
  durationSeconds: number;
}

/** A fixed-window counter in Redis: its key and window (the BFF's gate script counts these too). */
export interface WindowCount {
  key: string;
  windowMs: number;
}

export interface Limiter {
  readonly name: string;
  readonly spec: LimitSpec;
  /** Counts one hit for `key`; the result says whether it is allowed. Fails open (or counts in-process) when Redis is unreachable. */
  hit(key: string): Promise<LimitResult>;
  /** The window counter of `key`, for a caller that counts several limits in one gate call. */
  window(key: string): WindowCount;
  /** The result of a count the gate returned. */
  result(count: number, ttlMs: number): LimitResult;
  /** The result when Redis could not count (logged): allowed, or the in-process count with `count-in-process`. */
  failOpen(err: unknown, key?: string): LimitResult;
}

export interface LimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetSeconds: number;
}

export interface LimiterOptions {
  /** Prepended to every counter key (`<keyPrefix>rl:<name>:<key>`). */
  keyPrefix: string;
  logger: Logger;
  /** 'allow' (default): a call Redis cannot count is let through. 'count-in-process': this process counts it alone. */
  whenRedisFails?: 'allow' | 'count-in-process';
}

/** Limiter checks: a limiter and the key to count under (undefined = the limiter does not apply). */
export type LimitChecks = Array<[Limiter, string | undefined]>;

/** The error a refused call gets (429; the Retry-After header comes from `retryAfterSeconds`). */
export type Refusal = (retryAfterSeconds: number) => AppError;

export const tooManyAttempts: Refusal = (retryAfterSeconds) =>
  new AppError(429, 'MUITAS_TENTATIVAS', 'Muitas tentativas em pouco tempo. Aguarde um instante e tente novamente.', { retryAfterSeconds });

const COUNT_LUA = `
local out = {}
for i = 1, #KEYS do
  local c = redis.call('INCR', KEYS[i])
  local t = redis.call('PTTL', KEYS[i])
  if t < 0 then
    t = tonumber(ARGV[i])
    redis.call('PEXPIRE', KEYS[i], t)
  end
  out[#out + 1] = c
  out[#out + 1] = t
end
return out
`;

const countScript = redisScript<number[]>(COUNT_LUA);

/** Counts one hit on each window in one round trip: [count, ttlMs] per window. */
export async function countWindows(redis: Redis, windows: WindowCount[]): Promise<Array<{ count: number; ttlMs: number }>> {
  const reply = await countScript(redis, windows.length, ...windows.map((w) => w.key), ...windows.map((w) => String(w.windowMs)));
  return windows.map((_, i) => ({ count: Number(reply[2 * i]), ttlMs: Number(reply[2 * i + 1]) }));
}

/** A per-process fixed window, used only while Redis cannot count (`count-in-process`). */
class InProcessWindows {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  constructor(private readonly windowMs: number) {}
  count(key: string, now = Date.now()): { count: number; ttlMs: number } {
    if (this.windows.size > 10_000) for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, w);
    }
    w.count += 1;
    return { count: w.count, ttlMs: w.resetAt - now };
  }
}

export function createLimiter(redis: Redis, name: string, spec: LimitSpec, opts: LimiterOptions): Limiter {
  const windowMs = spec.durationSeconds * 1000;
  const local = opts.whenRedisFails === 'count-in-process' ? new InProcessWindows(windowMs) : undefined;
  const limiter: Limiter = {
    name,
    spec,
    window: (key) => ({ key: `${opts.keyPrefix}rl:${name}:${key}`, windowMs }),
    result(count, ttlMs) {
      const resetSeconds = Math.max(1, Math.ceil(ttlMs / 1000));
      if (count > spec.points) return { allowed: false, limit: spec.points, remaining: 0, resetSeconds };
      return { allowed: true, limit: spec.points, remaining: spec.points - count, resetSeconds };
    },
    failOpen(err, key) {
      if (local && key !== undefined) {
        opts.logger.warn({ err, limiter: name }, 'rate limiter unavailable in Redis, counting in this process');
        const c = local.count(key);
        return limiter.result(c.count, c.ttlMs);
      }
      opts.logger.warn({ err, limiter: name }, 'rate limiter unavailable, letting the call through');
      return { allowed: true, limit: spec.points, remaining: spec.points, resetSeconds: spec.durationSeconds };
    },
    async hit(key) {
      try {
        const [c] = await countWindows(redis, [limiter.window(key)]);
        return limiter.result(c!.count, c!.ttlMs);
      } catch (err) {
        return limiter.failOpen(err, key);
      }
    },
  };
  return limiter;
}

/** The checks that apply (their key is defined). */
export const applicable = (checks: LimitChecks) => checks.filter((c): c is [Limiter, string] => c[1] !== undefined);

/** Sets RateLimit-* from the tightest result, and throws 429 (Retry-After) when any refuses. */
export function applyLimits(c: Context, results: LimitResult[], refuse: Refusal = tooManyAttempts): void {
  if (!results.length) return;
  const refused = results.filter((r) => !r.allowed);
  const tightest = (refused.length ? refused : results).reduce((a, b) => (b.remaining < a.remaining || (b.remaining === a.remaining && b.resetSeconds > a.resetSeconds) ? b : a));
  c.header('RateLimit-Limit', String(tightest.limit));
  c.header('RateLimit-Remaining', String(tightest.remaining));
  c.header('RateLimit-Reset', String(tightest.resetSeconds));
  if (refused.length) throw refuse(Math.max(...refused.map((r) => r.resetSeconds)));
}

/** Hits every applicable limiter (one round trip per limiter) and applies the results (`applyLimits`). */
export async function enforceLimits(c: Context, checks: LimitChecks, refuse?: Refusal): Promise<void> {
  applyLimits(c, await Promise.all(applicable(checks).map(([l, key]) => l.hit(key))), refuse);
}

/** Middleware form of `enforceLimits`, for limits keyed by something in the request. */
export function rateLimit(checks: (c: Context) => LimitChecks, refuse?: Refusal): MiddlewareHandler {
  return async (c, next) => {
    await enforceLimits(c, checks(c), refuse);
    await next();
  };
}
