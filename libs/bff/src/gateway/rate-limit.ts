// Rate limits kept in Redis (rate-limiter-flexible), shared by every BFF process. Each limiter is a fixed window of
// `points` per `durationSeconds` for a key (a session, an IP, an IP + CPF). Answers carry the IETF RateLimit-* headers;
// a refused call gets 429 with Retry-After.
import type { Context, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import { AppError } from '@krt/platform/errors';
import type { Logger } from '@krt/platform/logger';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface LimitSpec {
  points: number;
  durationSeconds: number;
}

export interface Limiter {
  readonly name: string;
  readonly spec: LimitSpec;
  /** Counts one hit for `key`; the result says whether it is allowed. Fails open (allowed) when Redis is unreachable. */
  hit(key: string): Promise<LimitResult>;
}

export interface LimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetSeconds: number;
}

export function createLimiter(redis: Redis, name: string, spec: LimitSpec, opts: { keyPrefix: string; logger: Logger }): Limiter {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${opts.keyPrefix}rl:${name}`,
    points: spec.points,
    duration: spec.durationSeconds,
  });
  return {
    name,
    spec,
    async hit(key) {
      try {
        const res = await limiter.consume(key, 1);
        return { allowed: true, limit: spec.points, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000) };
      } catch (err) {
        if (err instanceof RateLimiterRes) {
          return { allowed: false, limit: spec.points, remaining: 0, resetSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
        }
        opts.logger.warn({ err, limiter: name }, 'rate limiter unavailable, letting the call through');
        return { allowed: true, limit: spec.points, remaining: spec.points, resetSeconds: spec.durationSeconds };
      }
    },
  };
}

/**
 * Hits every applicable limiter; sets RateLimit-* from the tightest one, and throws 429 (Retry-After) when any refuses.
 * `checks` pairs a limiter with the key to count under (undefined = the limiter does not apply).
 */
export async function enforceLimits(c: Context, checks: Array<[Limiter, string | undefined]>): Promise<void> {
  const results = await Promise.all(checks.filter(([, key]) => key !== undefined).map(([l, key]) => l.hit(key!)));
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

/** Middleware form of `enforceLimits`, for limits keyed by something in the request. */
export function rateLimit(checks: (c: Context) => Array<[Limiter, string | undefined]>): MiddlewareHandler {
  return async (c, next) => {
    await enforceLimits(c, checks(c));
    await next();
  };
}
