// The BFF's OpenAPI document (GET /api/docs, generated from @krt/contracts for the BFF's own routes and merged with the
// services' documents) against what the routes really answer, on the real stack: for each GET the web app makes, a
// signed-in customer's (and an operator's) live answer validates against the document's schema for that status and
// against the contract's zod schema the web reads it with; a 4xx answers the Problem schema.
import {
  accountSchema,
  accountViewSchema,
  auditListSchema,
  balanceSchema,
  customerSchema,
  dashboardSchema,
  deadLetterSchema,
  depositRequestSchema,
  kycPageSchema,
  limitsSchema,
  meSchema,
  notificationPageSchema,
  pixKeyListSchema,
  problemSchema,
  receiptVerificationSchema,
  resolvedKeySchema,
  sessionListSchema,
  statementPageSchema,
  transactionPinStatusSchema,
  transferPageSchema,
  transferSchema,
  unreadCountSchema,
} from '@krt/contracts';
import { eventually } from '@krt/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { documentedPath, responseSchema, validate } from '../../contracts/json-schema';
import { webApiPaths } from '../../contracts/web-api-paths';
import { BffClient, browserSignIn, closeTestKit, depositTo, newBankCustomer, startBff, TEST_PIN, type TestBff, type TestCustomer } from './bff-test-kit';

type BankCustomer = TestCustomer & { accountId: string };
/** The demo customer `npm start` seeds (README). */
const DEMO_CPF = '52998224725';
const DEMO_PASSWORD = 'Demo@2026';

let bff: TestBff;
let payer: BankCustomer;
let receiver: BankCustomer;
let customer: BffClient;
let operator: BffClient;
let doc: Record<string, unknown>;
let transferId: string;
let evpKey: string;

beforeAll(async () => {
  bff = await startBff();
  [payer, receiver] = await Promise.all([newBankCustomer(), newBankCustomer()]);
  await depositTo(payer.accountId, '50.00');
  customer = new BffClient(bff);
  expect((await customer.signIn(payer.cpf)).status).toBe(204);
  const onReceiver = new BffClient(bff);
  expect((await onReceiver.signIn(receiver.cpf)).status).toBe(204);
  const key = await onReceiver.post('/api/v1/pix/keys', { type: 'EVP' });
  expect(key.status).toBe(201);
  evpKey = key.body.value;
  const sent = await customer.post('/api/v1/pix/transfers', { key: evpKey, amount: '3.00', description: 'contrato', pin: TEST_PIN }, { headers: { 'idempotency-key': randomUUID() } });
  expect(sent.status).toBe(202);
  transferId = sent.body.id;
  await eventually(async () => ((await customer.get(`/api/v1/pix/transfers/${transferId}`)).body.status === 'COMPLETED' ? true : undefined), {
    timeoutMs: 30_000,
    what: 'the PIX completed',
  });
  operator = new BffClient(bff);
  await browserSignIn(operator, 'operador', 'Operador@2026', '/operacao');
  const docs = await customer.get('/api/docs');
  expect(docs.status).toBe(200);
  doc = docs.body;
  expect(doc['x-missing-upstreams'], 'every service answered its /openapi.json').toBeUndefined();
});
afterAll(async () => {
  await bff?.close();
  await closeTestKit();
});

/** The live answer validates against the document's schema for its path, method and status; returns the body. */
function conforms(label: string, res: { status: number; body: unknown; headers: Headers }, method = 'get') {
  const concrete = label.split('?')[0]!;
  const template = documentedPath(doc, concrete);
  expect(template, `${label} is in the document`).toBeDefined();
  const problemJson = res.headers.get('content-type')?.includes('application/problem+json');
  const schema = responseSchema(doc, template!, method, res.status, problemJson ? 'application/problem+json' : 'application/json');
  expect(schema, `${method.toUpperCase()} ${template} documents its ${res.status} answer`).toBeDefined();
  expect(validate(doc, schema!, res.body), `${method.toUpperCase()} ${label} (${res.status}) against the document`).toEqual([]);
  return res.body;
}

/** And the contract's own schema (the one the web's types come from) reads it. */
function readsAs(schema: z.ZodType, label: string, body: unknown) {
  const parsed = schema.safeParse(body);
  expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`), `${label} as the contract says`).toEqual([]);
}

describe('the OpenAPI document against the live routes', () => {
  it('every /api path the web app calls is in the document the BFF serves (its own routes and the services\' under /api)', () => {
    const paths = webApiPaths();
    expect(paths.length).toBeGreaterThan(25);
    expect(paths.filter((p) => !documentedPath(doc, p))).toEqual([]);
  });

  it("when a customer opens the web app's pages, then every GET it makes answers what the document and the contract say", async () => {
    const statement = await customer.get('/api/v1/accounts/me/statement?limit=20');
    const firstLine = statement.body.items[0];
    const cases: Array<[string, z.ZodType]> = [
      ['/api/v1/dashboard', dashboardSchema],
      ['/api/v1/accounts/me', accountSchema],
      ['/api/v1/accounts/me/balance', balanceSchema],
      ['/api/v1/accounts/me/statement?limit=20', statementPageSchema],
      ['/api/v1/accounts/me/limits', limitsSchema],
      ['/api/v1/pix/keys', pixKeyListSchema],
      [`/api/v1/pix/keys/resolve?key=${encodeURIComponent(evpKey)}`, resolvedKeySchema],
      ['/api/v1/pix/pin', transactionPinStatusSchema],
      ['/api/v1/pix/transfers?limit=10', transferPageSchema],
      [`/api/v1/pix/transfers/${transferId}`, transferSchema],
      ['/api/v1/notifications?limit=20', notificationPageSchema],
      ['/api/v1/notifications/unread-count', unreadCountSchema],
      ['/api/v1/sessions', sessionListSchema],
      [`/api/v1/receipts/verify?e2e=${firstLine?.endToEndId ?? 'E00000000202612070000abcdefghijk'}&code=AAAABBBBCCCCDDDDEEEEFFFFGGGGHHHH`, receiptVerificationSchema],
      ['/auth/me', meSchema],
    ];
    for (const [path, schema] of cases) {
      const res = await customer.get(path);
      expect(res.status, `GET ${path}: ${res.text.slice(0, 300)}`).toBe(200);
      readsAs(schema, path, conforms(path, res));
    }
    // This customer was opened straight on payments (no onboarding profile): the dashboard names that part missing.
    const dashboard = dashboardSchema.parse((await customer.get('/api/v1/dashboard')).body);
    expect(dashboard.partial).toEqual(['customer']);
    expect(dashboard.monthInOut).toEqual({ in: '50.00', out: '3.00' });
    expect(dashboard.recent?.map((l) => l.amount)).toEqual(['3.00', '50.00']);
  });

  it('when the demo customer (registered through onboarding) opens the app, then the profile and a whole dashboard answer what the document and the contract say', async () => {
    const demo = new BffClient(bff);
    expect((await demo.signIn(DEMO_CPF, DEMO_PASSWORD)).status).toBe(204);
    for (const [path, schema] of [['/api/v1/customers/me', customerSchema], ['/api/v1/dashboard', dashboardSchema]] as const) {
      const res = await demo.get(path);
      expect(res.status, `GET ${path}: ${res.text.slice(0, 300)}`).toBe(200);
      readsAs(schema, path, conforms(path, res));
    }
    const dashboard = dashboardSchema.parse((await demo.get('/api/v1/dashboard')).body);
    expect(dashboard.partial).toEqual([]);
    expect(dashboard.customer?.firstName).toMatch(/^\S+$/);
  });

  it("when an operator opens the back office, then every GET it makes answers what the document and the contract say", async () => {
    const cases: Array<[string, z.ZodType]> = [
      ['/api/v1/admin/kyc/applications?limit=5', kycPageSchema],
      [`/api/v1/admin/accounts?accountId=${payer.accountId}`, accountViewSchema],
      ['/api/v1/admin/deposit-requests?status=APPROVED', z.object({ items: z.array(depositRequestSchema) })],
      ['/api/v1/admin/dead-letters?source=kafka', z.object({ items: z.array(deadLetterSchema) })],
      ['/api/v1/admin/audit?limit=20', auditListSchema],
      ['/auth/me', meSchema],
    ];
    for (const [path, schema] of cases) {
      const res = await operator.get(path);
      expect(res.status, `GET ${path}: ${res.text.slice(0, 300)}`).toBe(200);
      readsAs(schema, path, conforms(path, res));
    }
  });

  it('when a call is refused (no session, unknown transfer, invalid query, not an operator), then the 4xx answers the Problem schema of the document', async () => {
    const anonymous = new BffClient(bff);
    const refusals: Array<[BffClient, string, number]> = [
      [anonymous, '/api/v1/dashboard', 401],
      [customer, `/api/v1/pix/transfers/${randomUUID()}`, 404],
      [customer, '/api/v1/customers/me', 404],
      [customer, '/api/v1/accounts/me/statement?limit=0', 422],
      [customer, '/api/v1/admin/audit', 403],
    ];
    for (const [client, path, status] of refusals) {
      const res = await client.get(path);
      expect(res.status, `GET ${path}`).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      readsAs(problemSchema, path, conforms(path, res));
      expect(validate(doc, { $ref: '#/components/schemas/Problem' }, res.body)).toEqual([]);
    }
  });
});
