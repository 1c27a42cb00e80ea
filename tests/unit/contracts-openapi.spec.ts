// The BFF's OpenAPI document is generated from the contract (@krt/contracts), and it covers every /api call the web
// app makes. Live answers are compared with the document in tests/integration/bff/openapi-contract.test.ts.
import { dashboardSchema, problemSchema } from '@krt/contracts';
import { routeFor } from '@krt/bff';
import { problem } from '@krt/platform/http';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OWN_DOC } from '../../apps/bff/src/openapi';
import { buildDashboard } from '../../libs/bff/src/dashboard/dashboard';
import { responseSchema, validate } from '../contracts/json-schema';
import { webApiPaths } from '../contracts/web-api-paths';

const doc = OWN_DOC as unknown as Record<string, unknown>;
const schemas = OWN_DOC.components.schemas;

const templateOf = (concrete: string) =>
  Object.keys(OWN_DOC.paths).find((p) => new RegExp(`^${p.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(concrete));

describe('the OpenAPI document of the BFF', () => {
  it("its components are the contract's zod schemas as JSON Schema (generated, not written by hand)", () => {
    const generated = z.toJSONSchema(dashboardSchema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
    expect(Object.keys(schemas.Dashboard!.properties as object)).toEqual(Object.keys(generated.properties as object));
    expect(schemas.Dashboard!.required).toEqual(generated.required);
    expect(Object.keys(schemas.Problem!.properties as object)).toEqual(Object.keys(problemSchema.shape));
    expect(schemas.Problem!.properties).toMatchObject({ errors: { type: 'array', items: { $ref: '#/components/schemas/FieldError' } } });
  });

  it('when the dashboard is built from answering upstreams, then it validates against the document; a drifted one (monthIn/monthOut) does not', async () => {
    const balance = { accountId: 'a1', available: '10.00', posted: '10.00', reserved: '0.00', currency: 'BRL', asOf: '2026-12-07T05:00:00.000Z' };
    const line = { id: '1', occurredAt: '2026-12-07T05:00:00.000Z', type: 'CREDIT', kind: 'DEPOSIT', amount: '10.00', description: 'Depósito', counterpartyName: null };
    const answers: Record<string, unknown> = {
      '/v1/accounts/me/balance': balance,
      '/v1/accounts/me/summary': { monthIn: '10.00', monthOut: '0.00', spendingByCategory: [{ category: 'Pix', amount: '1.00' }], balanceSeries: [{ date: '2026-12-07', balance: '10.00' }], recent: [line] },
      '/v1/customers/me': { fullName: 'Maria da Silva' },
      '/v1/notifications/unread-count': { count: 2 },
    };
    const built = await buildDashboard(
      async (_u, p) => ({ status: 200, headers: new Headers(), body: new TextEncoder().encode(JSON.stringify(answers[p])), replica: 'x' }),
      { partDeadlineMs: 200 },
    );
    const schema = responseSchema(doc, '/api/v1/dashboard', 'get', 200)!;
    expect(validate(doc, schema, built)).toEqual([]);
    expect(dashboardSchema.parse(built)).toEqual(built);
    const drifted = { ...built, monthInOut: { monthIn: '10.00', monthOut: '0.00' } };
    expect(validate(doc, schema, drifted).join('\n')).toMatch(/monthInOut/);
    expect(validate(doc, schema, { ...built, unreadNotifications: { count: 2 } }).length).toBeGreaterThan(0);
  });

  it('a problem the services build (with field errors) validates against the Problem component; one without its code does not', () => {
    const p = problem(422, 'VALIDATION_FAILED', 'Alguns dados estão inválidos.', { errors: [{ field: 'amount', code: 'AMOUNT_INVALID', message: 'Valor inválido.' }] });
    const ref = { $ref: '#/components/schemas/Problem' };
    expect(validate(doc, ref, p)).toEqual([]);
    expect(validate(doc, ref, { ...p, errors: [{ field: 'amount', message: 'sem código' }] }).join()).toMatch(/code: required/);
    const { code: _c, ...noCode } = p;
    expect(validate(doc, ref, noCode).join()).toMatch(/code: required/);
  });

  it('every /api path the web app calls is one of the BFF\'s own documented routes or an allow-listed upstream route', () => {
    const paths = webApiPaths();
    expect(paths.length).toBeGreaterThan(25);
    const missing = paths.filter((p) => !templateOf(p) && !routeFor(p));
    expect(missing).toEqual([]);
    // and the BFF's own ones (dashboard, sessions, audit, events) are described with their answer
    for (const own of ['/api/v1/dashboard', '/api/v1/sessions', '/api/v1/admin/audit', '/auth/me']) expect(responseSchema(doc, own, 'get', 200), own).toBeDefined();
  });
});
