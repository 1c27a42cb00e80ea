// One validation style in payments, onboarding and notifications (issue #21): every route's schema validates and the
// handler reads `c.req.valid(...)`, with the field errors of today. In-memory requests to the real apps, with
// dependencies that throw if a use case is reached: every answer here comes from the routes' schemas and hooks.
import { createNotificationsApp } from '../../apps/notifications/src/app';
import type { AdminRoutesDeps } from '../../apps/notifications/src/http/admin.routes';
import { createOnboardingApp, type OnboardingDeps } from '../../apps/onboarding/src/app';
import { createPaymentsApp } from '../../apps/payments/src/app';
import type { PaymentsContext } from '@krt/payments';
import type { Principal, TokenVerifier } from '@krt/platform/auth';
import type { Pool, Redis } from '@krt/platform/persistence';
import { createLogger } from '@krt/platform/telemetry';
import { describe, expect, it } from 'vitest';

const logger = createLogger('route-validation-unit', { level: 'silent' });
const CUSTOMER_ID = '11111111-1111-4111-8111-111111111111';

/** A dependency whose every call fails the test (reading its members is fine): the answer must come before a use case runs. */
const unreachable = <T>(what: string): T =>
  new Proxy(() => undefined, {
    get: (_t, prop) => (prop === 'then' ? undefined : unreachable(`${what}.${String(prop)}`)),
    apply: () => {
      throw new Error(`${what}() reached`);
    },
  }) as T;

const verifyToken = (async (token: string): Promise<Principal> => ({ userId: 'u-1', customerId: CUSTOMER_ID, username: '52998224725', roles: [], token })) as unknown as TokenVerifier;
const auth = { authorization: 'Bearer test-token' };

/** The rate-limit script of @krt/platform/http, counted in memory (what Redis would answer). */
function memoryRedis(): Redis {
  const counts = new Map<string, number>();
  const redis = {
    defineCommand(name: string) {
      (redis as Record<string, unknown>)[name] = async (n: number, ...args: string[]) =>
        args.slice(0, n).flatMap((key, i) => {
          counts.set(key, (counts.get(key) ?? 0) + 1);
          return [counts.get(key)!, Number(args[n + i])];
        });
    },
  };
  return redis as unknown as Redis;
}

type FieldErrors = Array<{ field: string; code: string; message: string }>;
async function problemOf(res: Response) {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return (await res.json()) as { status: number; code: string; message: string; errors?: FieldErrors };
}

describe('payments routes validate through their schemas', () => {
  const app = createPaymentsApp({ logger, readiness: [], ctx: unreachable<PaymentsContext>('ctx'), verifyToken });
  const pix = (body: unknown, key?: string) =>
    app.request('/v1/pix/transfers', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
      body: JSON.stringify(body),
    });

  it('when a PIX has a valid body but no valid Idempotency-Key, then 400 IDEMPOTENCY_KEY_REQUIRED', async () => {
    for (const key of [undefined, 'tem espaço', 'x'.repeat(129)]) {
      const res = await pix({ key: 'maria@example.com', amount: '1.00', pin: '4721' }, key);
      expect(res.status).toBe(400);
      expect((await problemOf(res)).code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    }
  });

  it('when a PIX body is invalid, then its field errors come first (422), even without an Idempotency-Key', async () => {
    const res = await pix({ key: 'maria@example.com', amount: '1.001', pin: '4721' });
    expect(res.status).toBe(422);
    const p = await problemOf(res);
    expect(p.code).toBe('VALIDATION_FAILED');
    expect(p.errors).toEqual([expect.objectContaining({ field: 'amount', code: 'MONEY_TOO_MANY_DECIMALS' })]);
  });

  it('when the transaction PIN is missing or malformed, then 400 VALIDATION_FAILED on field pin', async () => {
    const res = await pix({ key: 'maria@example.com', amount: '1.00', pin: '12a4' }, 'k-1');
    expect(res.status).toBe(400);
    const p = await problemOf(res);
    expect(p).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'pin', code: 'PIN_FORMAT', message: 'A senha de transação deve ter exatamente 4 números.' }] });
  });

  it('when the OpenAPI document describes a PIX, then the Idempotency-Key header is required with its pattern', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, { parameters?: unknown[] }>> };
    for (const path of ['/v1/pix/transfers', '/v1/pix/transfers/{id}/refunds']) {
      expect(doc.paths[path]!.post!.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'Idempotency-Key', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' } }));
    }
  });

  it('when a devolução names a malformed transfer id, then 422 on the path parameter before anything else', async () => {
    const res = await app.request('/v1/pix/transfers/nao-e-uuid/refunds', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(422);
    expect((await problemOf(res)).errors?.[0]?.field).toBe('id');
  });
});

describe('notification center routes validate through their schemas', () => {
  const app = createNotificationsApp({ logger, readiness: [], pool: unreachable<Pool>('pool'), verifyToken });

  it('when the cursor is not one the API gave out, then 422 INVALID_CURSOR on field cursor', async () => {
    const res = await app.request('/v1/notifications?cursor=bm90LWEtY3Vyc29y', { headers: auth });
    expect(res.status).toBe(422);
    expect((await problemOf(res)).errors).toEqual([{ field: 'cursor', code: 'INVALID_CURSOR', message: 'Cursor de paginação inválido.' }]);
  });

  it('when the limit is out of range, then only the limit is reported (the cursor is read once the page is well-formed)', async () => {
    const res = await app.request('/v1/notifications?limit=0&cursor=bm90LWEtY3Vyc29y', { headers: auth });
    expect(res.status).toBe(422);
    expect((await problemOf(res)).errors?.map((e) => e.field)).toEqual(['limit']);
  });
});

/** Without a socket every in-memory request comes from the same client IP: one app per rate-limit story. */
const onboardingApp = (points: number) =>
  createOnboardingApp({
    logger,
    readiness: [],
    pool: unreachable<Pool>('pool'),
    redis: memoryRedis(),
    verify: verifyToken,
    keycloak: unreachable('keycloak'),
    vault: unreachable('vault'),
    pinKey: Buffer.alloc(32),
    watchlist: unreachable('watchlist'),
    provisioner: unreachable('provisioner'),
    rateLimit: { points, windowSeconds: 60 },
    contactChangeMaxAuthAgeSeconds: 300,
  } as OnboardingDeps);

describe('onboarding routes validate through their schemas', () => {
  const app = onboardingApp(100);
  const register = (body: BodyInit, headers: Record<string, string> = {}, to = app) => to.request('/v1/registrations', { method: 'POST', body, headers });

  it('when a registration form is invalid, then 422 with every field problem at once, in the validator’s codes and order', async () => {
    const form = new FormData();
    form.set('fullName', 'Maria');
    form.set('cpf', '111.111.111-11');
    form.set('acceptTerms', 'true');
    form.set('documentImage', new File([new Uint8Array([1, 2, 3])], 'doc.jpg', { type: 'image/jpeg' }));
    const res = await register(form);
    expect(res.status).toBe(422);
    const p = await problemOf(res);
    expect(p.code).toBe('VALIDATION_FAILED');
    const byField = Object.fromEntries((p.errors ?? []).map((e) => [e.field, e.code]));
    expect(byField).toMatchObject({ fullName: 'NAME_INVALID', cpf: 'CPF_INVALID', birthDate: 'REQUIRED', acceptPrivacy: 'CONSENT_REQUIRED', documentImage: 'FILE_NOT_IMAGE', selfieImage: 'FILE_REQUIRED' });
    expect(byField.acceptTerms).toBeUndefined();
    expect(p.errors?.[0]?.field).toBe('fullName');
    expect(p.errors?.at(-1)).toEqual({ field: 'selfieImage', code: 'FILE_REQUIRED', message: 'Envie a imagem.' });
  });

  it('when a registration is sent as JSON, then every field is missing (422 REQUIRED), as before', async () => {
    const res = await register('{"fullName":"Maria Silva"}', { 'content-type': 'application/json' });
    expect(res.status).toBe(422);
    const p = await problemOf(res);
    expect(p.errors).toEqual(expect.arrayContaining([{ field: 'fullName', code: 'REQUIRED', message: 'Campo obrigatório.' }, { field: 'documentImage', code: 'FILE_REQUIRED', message: 'Envie a imagem.' }]));
  });

  it('when the multipart body is malformed, then 400 BODY_INVALID', async () => {
    const res = await register('--x\r\nnot a part', { 'content-type': 'multipart/form-data; boundary=x' });
    expect(res.status).toBe(400);
    expect(await problemOf(res)).toMatchObject({ code: 'BODY_INVALID', message: 'Envie o cadastro como multipart/form-data.' });
  });

  it('when a client keeps sending invalid forms, then they count against its limit: the 4th of 3 is 429 before validation', async () => {
    const limited = onboardingApp(3);
    for (let i = 0; i < 3; i += 1) expect((await register(new FormData(), {}, limited)).status).toBe(422);
    const refused = await register(new FormData(), {}, limited);
    expect(refused.status).toBe(429);
    expect(await problemOf(refused)).toMatchObject({ code: 'MUITAS_TENTATIVAS' });
  });

  it('when the OpenAPI document describes the registration form, then it states the fields validateRegistration requires', async () => {
    type Schema = { type?: string; format?: string; required?: string[]; properties?: Record<string, Schema> };
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: Schema }> } }>> };
    const form = doc.paths['/v1/registrations']!.post!.requestBody.content['multipart/form-data']!.schema;
    expect(form.type).toBe('object');
    expect(form.required).toEqual(expect.arrayContaining(['fullName', 'cpf', 'password', 'transactionPin', 'acceptTerms', 'documentImage', 'selfieImage']));
    expect(form.required).not.toContain('complement');
    expect(form.properties?.selfieImage).toMatchObject({ type: 'string', format: 'binary' });
    const patch = doc.paths['/v1/customers/me']!.patch!.requestBody.content['application/json']!.schema;
    expect(Object.keys(patch.properties ?? {})).toEqual(['email', 'phone', 'address']);
  });

  it('when a JSON body names an object’s machinery (constructor, prototype, __proto__), then 422 FIELD_NOT_ALLOWED, never a 500', async () => {
    const patch = (body: string) => app.request('/v1/customers/me', { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body });
    for (const [body, field] of [
      ['{"constructor":null}', 'constructor'],
      ['{"address":{"prototype":1}}', 'address.prototype'],
      ['{"__proto__":{"x":1}}', '__proto__'],
    ] as const) {
      const res = await patch(body);
      expect(res.status).toBe(422);
      expect((await problemOf(res)).errors?.map((e) => [e.field, e.code])).toEqual([[field, 'FIELD_NOT_ALLOWED']]);
    }
  });

  it('when profile changes break the rules, then 422 with the validator’s field errors', async () => {
    const patch = (body: string) => app.request('/v1/customers/me', { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body });
    const notAllowed = await patch('{"fullName":"Outra Pessoa","email":"nao-e-email"}');
    expect(notAllowed.status).toBe(422);
    expect((await problemOf(notAllowed)).errors?.map((e) => [e.field, e.code])).toEqual([
      ['fullName', 'FIELD_NOT_ALLOWED'],
      ['email', 'EMAIL_INVALID'],
    ]);
    const nothing = await patch('{}');
    expect(nothing.status).toBe(422);
    expect((await problemOf(nothing)).errors).toEqual([{ field: '(body)', code: 'NOTHING_TO_CHANGE', message: 'Informe ao menos um campo para alterar.' }]);
    const address = await patch('{"address":{"cep":"00000-000","street":"Rua A","number":"1","neighborhood":"Centro","city":"São Paulo","state":"XX"}}');
    expect(address.status).toBe(422);
    expect((await problemOf(address)).errors?.map((e) => e.field)).toEqual(['address.cep', 'address.state']);
  });
});

describe('operator filters refuse control characters before any query (PostgreSQL refuses NUL in text: that was a 500)', () => {
  const operatorToken = (async (token: string): Promise<Principal> => ({ userId: 'op-1', customerId: undefined, username: 'operador', roles: ['admin'], token })) as unknown as TokenVerifier;
  const onboarding = createOnboardingApp({
    logger,
    readiness: [],
    pool: unreachable<Pool>('pool'),
    redis: memoryRedis(),
    verify: operatorToken,
    keycloak: unreachable('keycloak'),
    vault: unreachable('vault'),
    pinKey: Buffer.alloc(32),
    watchlist: unreachable('watchlist'),
    provisioner: unreachable('provisioner'),
    rateLimit: { points: 100, windowSeconds: 60 },
    contactChangeMaxAuthAgeSeconds: 300,
  } as OnboardingDeps);
  const payments = createPaymentsApp({ logger, readiness: [], ctx: unreachable<PaymentsContext>('ctx'), verifyToken: operatorToken });

  it('when an operator searches customers by a name with a NUL byte, then 422 TEXT_INVALID on field name', async () => {
    const res = await onboarding.request('/v1/admin/customers?name=%00&cpf=17796697201&limit=33', { headers: auth });
    expect(res.status).toBe(422);
    expect((await problemOf(res)).errors).toEqual([expect.objectContaining({ field: 'name', code: 'TEXT_INVALID' })]);
  });

  it('when an operator filters the audit log by actor, action or subject with a control character, then 422 TEXT_INVALID on that field', async () => {
    for (const app of [onboarding, payments]) {
      const res = await app.request('/v1/admin/audit?actor=op%00&action=a%0Ab&subjectId=%7F', { headers: auth });
      expect(res.status).toBe(422);
      expect((await problemOf(res)).errors?.map((e) => [e.field, e.code])).toEqual([
        ['actor', 'TEXT_INVALID'],
        ['action', 'TEXT_INVALID'],
        ['subjectId', 'TEXT_INVALID'],
      ]);
    }
  });

  it('when any one-line text field holds a control character, then every service answers the same 422 TEXT_INVALID and message', async () => {
    const notifications = createNotificationsApp({
      logger,
      readiness: [],
      pool: unreachable<Pool>('pool'),
      verifyToken: operatorToken,
      admin: unreachable<AdminRoutesDeps>('admin'),
    });
    const post = (app: { request: (path: string, init: RequestInit) => Response | Promise<Response> }, path: string, body: unknown) =>
      app.request(path, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'k-1' }, body: JSON.stringify(body) });
    const answers: Array<[string, Response]> = [
      ['q', await payments.request('/v1/accounts/me/statement?q=a%00b', { headers: auth })],
      ['reason', await post(payments, '/v1/admin/deposit-requests', { accountId: CUSTOMER_ID, amount: '1.00', reason: 'motivo\u0007' })],
      ['reason', await post(onboarding, `/v1/admin/kyc/applications/${CUSTOMER_ID}/reject`, { reason: 'motivo\nlongo' })],
      ['name', await onboarding.request('/v1/admin/customers?name=Mar%1F', { headers: auth })],
      ['reason', await post(notifications, '/v1/admin/dead-letters/x/replay', { reason: 'motivo\u007f' })],
      ['actor', await notifications.request('/v1/admin/audit?actor=%00', { headers: auth })],
    ];
    for (const [field, res] of answers) {
      expect(res.status, field).toBe(422);
      expect((await problemOf(res)).errors).toEqual([{ field, code: 'TEXT_INVALID', message: 'Texto inválido: sem caracteres de controle.' }]);
    }
    // The operator's reason of a KYC rejection and of a replay is the same rule: at least 3 characters that are not spaces.
    for (const res of [
      await post(onboarding, `/v1/admin/kyc/applications/${CUSTOMER_ID}/reject`, { reason: ' a b ' }),
      await post(notifications, '/v1/admin/dead-letters/x/replay', { reason: ' a b ' }),
    ]) {
      expect(res.status).toBe(422);
      expect((await problemOf(res)).errors).toEqual([{ field: 'reason', code: 'TOO_SHORT', message: 'Informe ao menos 3 caracteres.' }]);
    }
  });
});
