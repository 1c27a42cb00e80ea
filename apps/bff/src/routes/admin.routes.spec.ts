// GET /api/v1/admin/audit refuses a bad limit, service or cursor itself (422, before any service is asked), one field
// error at a time in that order; the filters (actor, action, subjectId, from, to) go to every service as given.
import type { ActiveSession } from '@krt/bff';
import { AppError, type AppEnv } from '@krt/platform/http';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { ResolvedBffDeps } from '../app';
import { auditRoute } from './admin.routes';

const session = async () => ({ record: { roles: ['admin'] } }) as unknown as ActiveSession;

/** The audit route over upstreams that record what they are asked and answer an empty page. */
function auditApp() {
  const asked: string[] = [];
  const upstream = (name: string) => ({
    request: async (req: { path: string }) => {
      asked.push(`${name} ${req.path}`);
      return { status: 200, headers: new Headers(), body: new TextEncoder().encode(JSON.stringify({ items: [], nextBefore: null })).buffer };
    },
  });
  const deps = { upstreams: { payments: upstream('payments'), onboarding: upstream('onboarding'), notifications: upstream('notifications') } } as unknown as ResolvedBffDeps;
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('log', { warn: () => undefined, error: () => undefined, info: () => undefined } as never);
    await next();
  });
  app.onError((err, c) => (err instanceof AppError ? c.json({ status: err.status, code: err.code, errors: err.details.errors }, err.status) : c.text(String(err), 500)));
  app.get('/audit', auditRoute(deps, () => new Headers(), session));
  return { app, asked };
}

describe('BFF audit query', () => {
  it('when limit, service or cursor is invalid, then 422 with one INVALID field error (limit, then service, then cursor) and no service is asked', async () => {
    const { app, asked } = auditApp();
    const limit = { field: 'limit', code: 'INVALID', message: 'Informe um limite de 1 a 200.' };
    const service = { field: 'service', code: 'INVALID', message: 'Serviço desconhecido: payments, onboarding ou notifications.' };
    const cursor = { field: 'cursor', code: 'INVALID', message: 'Cursor de paginação inválido.' };
    const cases: Array<[string, object]> = [
      ['limit=0', limit],
      ['limit=201', limit],
      ['limit=abc', limit],
      ['limit=', limit],
      ['limit=1.5', limit],
      ['limit=-1.5', limit],
      ['service=ledger', service],
      ['service=', service],
      ['cursor=', cursor],
      ['cursor=nao-e-cursor', cursor],
      [`cursor=${'a'.repeat(2001)}`, cursor],
      [`cursor=${Buffer.from('{"ledger":"1"}').toString('base64url')}`, cursor],
      ['limit=0&service=ledger&cursor=x', limit],
      ['service=ledger&cursor=x', service],
    ];
    for (const [query, error] of cases) {
      const res = await app.request(`/audit?${query}`);
      expect(res.status, query).toBe(422);
      expect(await res.json(), query).toEqual({ status: 422, code: 'VALIDATION_FAILED', errors: [error] });
    }
    expect(asked).toEqual([]);
  });

  it('when the query is valid, then each service asked gets the limit (default 50), its cursor and the filters as given, empty ones included', async () => {
    const { app, asked } = auditApp();
    expect((await app.request('/audit')).status).toBe(200);
    expect(asked.sort()).toEqual(['notifications /v1/admin/audit?limit=50', 'onboarding /v1/admin/audit?limit=50', 'payments /v1/admin/audit?limit=50']);
    asked.length = 0;
    const cursor = Buffer.from(JSON.stringify({ payments: '9', notifications: null })).toString('base64url');
    const res = await app.request(`/audit?limit=1e1&actor=&action=pix.sent&from=ontem&to=2026-12-07T10:00:00Z&subjectId=a%20b&x=1&cursor=${cursor}`);
    expect(res.status).toBe(200);
    expect(asked.sort()).toEqual([
      'onboarding /v1/admin/audit?limit=10&actor=&action=pix.sent&subjectId=a+b&from=ontem&to=2026-12-07T10%3A00%3A00Z',
      'payments /v1/admin/audit?limit=10&actor=&action=pix.sent&subjectId=a+b&from=ontem&to=2026-12-07T10%3A00%3A00Z&before=9',
    ]);
    asked.length = 0;
    expect((await app.request('/audit?service=onboarding&limit=200')).status).toBe(200);
    expect(asked).toEqual(['onboarding /v1/admin/audit?limit=200']);
  });
});
