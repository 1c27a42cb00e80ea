// The shared error handler of every service app (in-memory Hono requests, no network).
import { createServiceApp } from '@krt/platform/http';
import { createLogger } from '@krt/platform/telemetry';
import { describe, expect, it } from 'vitest';

const logger = createLogger('errors-unit', { level: 'silent' });

describe('errors every service answers the same way', () => {
  const app = createServiceApp({ service: 'errors-unit', logger, readiness: [] });
  app.get('/v1/pool', () => {
    // What node-postgres's pool rejects with when every connection stays busy for its whole wait.
    throw new Error('timeout exceeded when trying to connect');
  });
  app.get('/v1/bug', () => {
    throw new TypeError("Cannot read properties of undefined (reading 'id')");
  });

  it('when the database pool has no connection to give in time, then 503 SERVICE_UNAVAILABLE with Retry-After, not a 500', async () => {
    const res = await app.request('/v1/pool');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', dependency: 'postgres' });
  });

  it('when a handler fails unexpectedly, then 500 INTERNAL_ERROR in Portuguese, with no stack trace or internal message', async () => {
    const res = await app.request('/v1/bug');
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', message: 'Ocorreu um erro inesperado. Tente novamente.' });
    expect(body).not.toContain('Cannot read properties');
    expect(body).not.toContain('at ');
  });
});
