import { Hono } from 'hono';
import type { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { AppError } from './errors';
import type { Logger } from '../telemetry/logger';
import { createLimiter, rateLimit } from './rate-limit';

// Redis is out of reach here (unit): these cover what does not need it. The counting itself runs against the real
// Redis in tests/integration (bff/redis-gate, security/brute-force, onboarding/validation and cpf-check).
const logger = { warn: vi.fn(), info: vi.fn(), error: vi.fn(), debug: vi.fn() } as unknown as Logger;
const downRedis = {
  defineCommand: vi.fn(),
  krtRateCount: () => Promise.reject(new Error('ECONNREFUSED')),
} as unknown as Redis;

function appWith(refuse?: (s: number) => AppError, whenRedisFails?: 'allow' | 'count-in-process') {
  const limiter = createLimiter(downRedis, 'test', { points: 2, durationSeconds: 60 }, { keyPrefix: 'x:', logger, whenRedisFails });
  const app = new Hono();
  app.onError((err, c) => (err instanceof AppError ? c.json({ code: err.code, retry: err.details.retryAfterSeconds }, err.status as 429) : c.text('boom', 500)));
  app.use('*', rateLimit((c) => [[limiter, c.req.header('x-ip')]], refuse));
  app.get('/', (c) => c.text('ok'));
  return app;
}

describe('rate-limit factory', () => {
  it('keys a counter by prefix, name and key, with its window', () => {
    const l = createLimiter(downRedis, 'signin-ip', { points: 5, durationSeconds: 60 }, { keyPrefix: 'bff:', logger });
    expect(l.window('1.2.3.4')).toEqual({ key: 'bff:rl:signin-ip:1.2.3.4', windowMs: 60_000 });
    expect(l.result(5, 1500)).toEqual({ allowed: true, limit: 5, remaining: 0, resetSeconds: 2 });
    expect(l.result(6, 1500)).toEqual({ allowed: false, limit: 5, remaining: 0, resetSeconds: 2 });
  });

  it('when Redis cannot count, then by default the call goes through (fail open)', async () => {
    const app = appWith();
    for (let i = 0; i < 4; i++) expect((await app.request('/', { headers: { 'x-ip': 'a' } })).status).toBe(200);
  });

  it('when Redis cannot count and the limiter counts in-process, then the limit still holds: 429 MUITAS_TENTATIVAS with RateLimit-*', async () => {
    const app = appWith(undefined, 'count-in-process');
    const first = await app.request('/', { headers: { 'x-ip': 'a' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    await app.request('/', { headers: { 'x-ip': 'a' } });
    const third = await app.request('/', { headers: { 'x-ip': 'a' } });
    expect(third.status).toBe(429);
    expect(await third.json()).toEqual({ code: 'MUITAS_TENTATIVAS', retry: 60 });
    expect((await app.request('/', { headers: { 'x-ip': 'b' } })).status).toBe(200);
  });

  it('when a service names its own refusal, then a refused call gets that error', async () => {
    const app = appWith((s) => new AppError(429, 'RATE_LIMITED', `Tente novamente em ${s} segundos.`, { retryAfterSeconds: s }), 'count-in-process');
    for (let i = 0; i < 2; i++) await app.request('/', { headers: { 'x-ip': 'a' } });
    expect(await (await app.request('/', { headers: { 'x-ip': 'a' } })).json()).toEqual({ code: 'RATE_LIMITED', retry: 60 });
  });

  it('when the key is undefined, then the limiter does not apply (no headers)', async () => {
    const res = await appWith(undefined, 'count-in-process').request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-limit')).toBeNull();
  });
});
