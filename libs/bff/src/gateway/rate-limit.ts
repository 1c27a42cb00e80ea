// Rate limits kept in Redis, shared by every BFF process. Each limiter is a fixed window of `points` per
// `durationSeconds` for a key (a session, an IP, an IP + CPF), counted by the gate script (redis-gate.ts), which an
// API request runs once for all its limits and its session. Answers carry the IETF RateLimit-* headers; a refused
// call gets 429 with Retry-After. When Redis cannot count, the call is let through (fail open).
import type { Context, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import { AppError } from '@krt/platform/errors';
import type { Logger } from '@krt/platform/logger';
import { runGate, type WindowCount } from './redis-gate';

export interface LimitSpec {
  points: number;
  durationSeconds: number;
}

export interface Limiter {
  readonly name: string;
  readonly spec: LimitSpec;
  /** Counts one hit for `key`; the result says whether it is allowed. Fails open (allowed) when Redis is unreachable. */
  hit(key: string): Promise<LimitResult>;
  /** The window counter of `key`, for a caller that counts several limits in one gate call. */
  window(key: string): WindowCount;
  /** The result of a count the gate returned. */
  result(count: number, ttlMs: number): LimitResult;
  /** The result when Redis could not count (logged): allowed. */
  failOpen(err: unknown): LimitResult;
}

export interface LimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/** Limiter checks: a limiter and the key to count under (undefined = the limiter does not apply). */
export type LimitChecks = Array<[Limiter, string | undefined]>;

export function createLimiter(redis: Redis, name: string, spec: LimitSpec, opts: { keyPrefix: string; logger: Logger }): Limiter {
  const windowMs = spec.durationSeconds * 1000;
  const limiter: Limiter = {
    name,
    spec,
    window: (key) => ({ key: `${opts.keyPrefix}rl:${name}:${key}`, windowMs }),
    result(count, ttlMs) {
      const resetSeconds = Math.max(1, Math.ceil(ttlMs / 1000));
      if (count > spec.points) return { allowed: false, limit: spec.points, remaining: 0, resetSeconds };
      return { allowed: true, limit: spec.points, remaining: spec.points - count, resetSeconds };
    },
    failOpen(err) {
      opts.logger.warn({ err, limiter: name }, 'rate limiter unavailable, letting the call through');
      return { allowed: true, limit: spec.points, remaining: spec.points, resetSeconds: spec.durationSeconds };
    },
    async hit(key) {
      try {
        const [c] = (await runGate(redis, [limiter.window(key)])).counts;
        return limiter.result(c!.count, c!.ttlMs);
      } catch (err) {
        return limiter.failOpen(err);
      }
    },
  };
  return limiter;
}

/** The checks that apply (their key is defined). */
export const applicable = (checks: LimitChecks) => checks.filter((c): c is [Limiter, string] => c[1] !== undefined);

/** Sets RateLimit-* from the tightest result, and throws 429 (Retry-After) when any refuses. */
export function applyLimits(c: Context, results: LimitResult[]): void {
  if (!results.length) return;
  const refused = results.filter((r) => !r.allowed);
  const tightest = (refused.length ? refused : results).reduce((a, b) => (b.remaining < a.remaining || (b.remaining === a.remaining && b.resetSeconds > a.resetSeconds) ? b : a));
  c.header('RateLimit-Limit', String(tightest.limit));
  c.header('RateLimit-Remaining', String(tightest.remaining));
  c.header('RateLimit-Reset', String(tightest.resetSeconds));
  if (refused.length) {
    const wait = Math.max(...refused.map((r) => r.resetSeconds));
    throw new AppError(429, 'MUITAS_TENTATIVAS', 'Muitas tentativas em pouco tempo. Aguarde um instante e tente novamente.', { retryAfterSeconds: wait });
  }
}

/** Hits every applicable limiter (one round trip per limiter's Redis) and applies the results (`applyLimits`). */
export async function enforceLimits(c: Context, checks: LimitChecks): Promise<void> {
  applyLimits(c, await Promise.all(applicable(checks).map(([l, key]) => l.hit(key))));
}

/** Middleware form of `enforceLimits`, for limits keyed by something in the request. */
export function rateLimit(checks: (c: Context) => LimitChecks): MiddlewareHandler {
  return async (c, next) => {
    await enforceLimits(c, checks(c));
    await next();
  };
}
