// The onboarding HTTP API: registration (public), KYC review (admin), customer profile. Thin: parse, call a use case, answer.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import {
  applicationStatus,
  approveApplication,
  auditOperator,
  auditQueueListed,
  checkCpfAvailable,
  customerDocument,
  getApplication,
  getProfile,
  listApplications,
  registerCustomer,
  rejectApplication,
  searchCustomers,
  updateProfile,
  validateProfileChanges,
  validateRegistration,
  OnboardingErrors,
  type KeycloakAdminClient,
  type PasswordVault,
  type Provisioner,
  type RawInput,
  type Watchlist,
  APPLICATION_STATUSES,
  BRAZILIAN_STATES,
} from '@krt/onboarding';
import {
  registerAuditRoute,
  AppError,
  Errors,
  problemSchema,
  zodToFieldErrors,
  CEP_WIRE,
  WIRE,
  isSingleLineText,
  requiredText,
  createServiceApp,
  clientIp,
  proxyTrust,
  createLimiter,
  enforceLimits,
  type Limiter,
} from '@krt/platform/http';
import { requireAuth, requireRole, type AuthEnv, type TokenVerifier } from '@krt/platform/auth';
import type { Pool, ReadYourWrites, Redis } from '@krt/platform/persistence';
import type { Logger } from '@krt/platform/telemetry';
import type { ReadinessCheck } from '@krt/platform/http';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export interface OnboardingDeps {
  logger: Logger;
  readiness: ReadinessCheck[];
  pool: Pool;
  /** Read routing to the replica (ONBOARDING_READ_DATABASE_URL); without it every read uses `pool`. */
  reads?: ReadYourWrites;
  redis: Redis;
  verify: TokenVerifier;
  keycloak: KeycloakAdminClient;
  vault: PasswordVault;
  /** TRANSACTION_PIN_KEY (shared with payments): the PIN chosen at registration is kept only as its keyed hash. */
  pinKey: Buffer;
  watchlist: Watchlist;
  provisioner: Provisioner;
  rateLimit: { points: number; windowSeconds: number; keyPrefix?: string };
  /** The form's "is this CPF free?" check; defaults to 30 per 10 min per IP. */
  cpfCheckRateLimit?: { points: number; windowSeconds: number };
  trustedProxies?: string[];
  now?: () => Date;
}

/** Two images of at most 5 MB plus the text fields. */
/**
 * The KYC review queue is read on the replica once it has replayed the queue's last change (a registration, an
 * approval, a rejection), so a reviewer never sees an application they just decided still pending. Customer-own
 * reads (status, profile, documents) stay on the primary.
 */
const KYC_QUEUE = 'kyc-queue';

export const REGISTRATION_BODY_LIMIT = 10 * 1024 * 1024 + 512 * 1024;

const problem = { content: { 'application/problem+json': { schema: problemSchema } } };
const applicationSchema = z
  .object({ applicationId: z.string().uuid(), status: z.enum(APPLICATION_STATUSES), reason: z.string().optional() })
  .openapi('Application');
const addressSchema = z
  .object({ cep: z.string(), street: z.string(), number: z.string(), complement: z.string().nullable(), neighborhood: z.string(), city: z.string(), state: z.string() })
  .openapi('Address');
const profileSchema = z
  .object({
    customerId: z.string().uuid(),
    fullName: z.string(),
    cpf: z.string().openapi({ example: '***.456.789-**' }),
    birthDate: z.string(),
    email: z.string().openapi({ example: 'm***@example.com', description: 'Masked unless reveal=contact' }),
    phone: z.string().openapi({ example: '(11) *****-7777', description: 'Masked unless reveal=contact (then E.164, +5511988887777)' }),
    address: addressSchema,
    status: z.enum(APPLICATION_STATUSES),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('CustomerProfile');
const kindParam = z.object({ kind: z.enum(['document', 'selfie']) });
/** The back office's CPF search: 11 digits, bare or dotted. */
const CPF_QUERY = /^(\d{11}|\d{3}\.\d{3}\.\d{3}-\d{2})$/;
const customerSearchItemSchema = z
  .object({
    customerId: z.string().nullable().openapi({ description: 'Keycloak user id (null until the account is provisioned)' }),
    applicationId: z.string().uuid().openapi({ description: 'Also the KRT customer id (token claim customer_id)' }),
    fullName: z.string(),
    cpfMasked: z.string().openapi({ example: '***.982.247-**' }),
    email: z.string().openapi({ example: 'm***@example.com', description: 'Masked' }),
    status: z.enum(APPLICATION_STATUSES),
    createdAt: z.string(),
  })
  .openapi('CustomerSearchItem');
const applicationDetailSchema = z
  .object({
    applicationId: z.string().uuid(),
    status: z.enum(APPLICATION_STATUSES),
    fullName: z.string(),
    cpf: z.string().openapi({ description: 'Whole: the reviewer compares it with the document image' }),
    cpfMasked: z.string(),
    birthDate: z.string(),
    email: z.string().openapi({ description: 'Masked' }),
    phone: z.string().openapi({ description: 'Masked' }),
    address: z.object({ city: z.string(), state: z.string() }),
    document: z.object({ type: z.enum(['RG', 'CNH']), number: z.string(), issuer: z.string() }),
    createdAt: z.string(),
    updatedAt: z.string(),
    reviewReasons: z.array(z.string()).openapi({ description: 'WATCHLIST_PEP, WATCHLIST_SANCTIONS, PREVIOUSLY_REJECTED, UNDERAGE, CPF_INVALID' }),
    automaticChecks: z.object({ outcome: z.string(), reason: z.string().nullable(), checks: z.unknown(), decidedAt: z.string() }).nullable(),
    decisions: z.array(z.object({ decision: z.string(), decidedBy: z.string(), decidedByName: z.string().nullable(), reason: z.string().nullable(), checks: z.unknown(), decidedAt: z.string() })),
    decisionReason: z.string().nullable(),
    documents: z.array(z.object({ kind: z.enum(['document', 'selfie']), contentType: z.string(), sizeBytes: z.number().int() })),
    keycloakUserId: z.string().nullable(),
  })
  .openapi('KycApplication');

const UFS = [...BRAZILIAN_STATES];
/** The address as validated by parseAddress (@krt/onboarding): every field trimmed, the UF upper-cased. */
const addressWire = {
  type: 'object' as const,
  required: ['cep', 'street', 'number', 'neighborhood', 'city', 'state'],
  properties: {
    cep: CEP_WIRE,
    street: requiredText(120),
    number: requiredText(10),
    complement: { anyOf: [WIRE.singleLine(60), { type: 'null' as const }] },
    neighborhood: requiredText(80),
    city: requiredText(80),
    state: { type: 'string' as const, enum: UFS },
  },
};
/**
 * PATCH /v1/customers/me: zod checks the shape (an object), validateProfileChanges every rule (the same ones the
 * document states: at least one of e-mail, phone, address; nothing else).
 */
const profileChangesSchema = z.record(z.string(), z.unknown()).openapi({
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: { email: WIRE.email, phone: WIRE.phone, address: addressWire },
});
/** A reviewer's reason: one line; rejecting needs at least 3 characters that are not spaces. */
const reason = (min: number) =>
  z
    .string()
    .max(500)
    .refine(isSingleLineText, { message: 'Texto inválido: sem caracteres de controle.', params: { code: 'TEXT_INVALID' } })
    .refine((s) => s.replace(/ /g, '').length >= min, { message: `Informe ao menos ${min} caracteres.`, params: { code: 'TOO_SHORT' } })
    .transform((s) => s.trim())
    .openapi({ type: 'string', maxLength: 500, allOf: [{ pattern: '^[^\\u0000-\\u001f\\u007f]*$' }, ...(min ? [{ pattern: '[^ ].*[^ ].*[^ ]' }] : [])] });
const idParam = z.object({ id: z.string().uuid() });
const image = { content: { 'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) }, 'image/png': { schema: z.string().openapi({ format: 'binary' }) } } };

export function createOnboardingApp(deps: OnboardingDeps) {
  const app = createServiceApp({ service: 'onboarding', logger: deps.logger, readiness: deps.readiness, jsonApi: { formPaths: ['/v1/registrations'] } });
  const api = new OpenAPIHono<AuthEnv>({
    defaultHook: (result) => {
      if (!result.success) throw Errors.validation(zodToFieldErrors(result.error));
    },
  });
  const auth = requireAuth(deps.verify);
  const admin = requireRole('admin');
  // The client IP: the rightmost X-Forwarded-For address that is not a trusted proxy (loopback, where the BFF runs, and
  // ONBOARDING_TRUSTED_PROXIES); the socket peer when none is in front (libs/platform/src/http/client-ip.ts).
  const trust = proxyTrust({ loopback: true, addresses: deps.trustedProxies ?? [] });
  // The platform's limiters (Redis, shared by replicas); if Redis is down, this process counts alone meanwhile.
  const limiterOpts = { keyPrefix: `${deps.rateLimit.keyPrefix ?? 'onboarding'}:`, logger: deps.logger, whenRedisFails: 'count-in-process' as const };
  const limiter = createLimiter(deps.redis, 'registration', { points: deps.rateLimit.points, durationSeconds: deps.rateLimit.windowSeconds }, limiterOpts);
  const cpfCheckLimiter = createLimiter(
    deps.redis,
    'cpf-check',
    { points: deps.cpfCheckRateLimit?.points ?? 30, durationSeconds: deps.cpfCheckRateLimit?.windowSeconds ?? 600 },
    limiterOpts,
  );
  /** Counts the call against `l` per client IP: RateLimit-* headers, and 429 MUITAS_TENTATIVAS (Retry-After) when refused. */
  const consumeOrRefuse = (l: Limiter, c: Context) => enforceLimits(c, [[l, clientIp(c, trust)]], OnboardingErrors.rateLimited);

  // ---- registration (public) ----
  api.openAPIRegistry.registerPath({
    method: 'post',
    path: '/v1/registrations',
    summary: 'Register: personal data, password, LGPD consents, identity document and two images (public, rate-limited per IP)',
    request: {
      body: {
        content: {
          'multipart/form-data': {
            // Documentation only (the multipart body is read and validated by validateRegistration): the rules it applies.
            schema: z.object({
              fullName: z.string().openapi({ ...requiredText(120), description: 'Nome e sobrenome (ao menos duas palavras, só letras, apóstrofo, ponto e hífen)' }),
              cpf: z.string().openapi(WIRE.cpf),
              birthDate: z.string().openapi({ type: 'string', format: 'date', example: '1990-05-17', description: 'AAAA-MM-DD (ou DD/MM/AAAA); maior de 18 anos' }),
              email: z.string().openapi(WIRE.email),
              phone: z.string().openapi(WIRE.phone),
              cep: z.string().openapi(CEP_WIRE),
              street: z.string().openapi(requiredText(120)),
              number: z.string().openapi(requiredText(10)),
              complement: z.string().optional().openapi(WIRE.singleLine(60)),
              neighborhood: z.string().openapi(requiredText(80)),
              city: z.string().openapi(requiredText(80)),
              state: z.string().openapi({ type: 'string', enum: UFS }),
              password: z.string().openapi({ type: 'string', minLength: 8, description: 'Política do realm: ao menos 8 caracteres, letras maiúsculas e minúsculas, dígito e símbolo; diferente do CPF' }),
              transactionPin: z.string().openapi({
                type: 'string',
                pattern: '^[0-9]{4}$',
                description: 'Senha de transação (4 dígitos), pedida em todo PIX, devolução e mudança de limite; recusadas: sequências, dígitos repetidos, anos e a data de nascimento',
              }),
              acceptTerms: z.literal('true'),
              acceptPrivacy: z.literal('true'),
              documentType: z.enum(['RG', 'CNH']),
              documentNumber: z.string().openapi({ type: 'string', pattern: '^([0-9Xx]{5,14}|[0-9]{11})$', description: 'RG: 5 a 14 dígitos (ou X); CNH: 11 dígitos' }),
              documentIssuer: z.string().openapi({ type: 'string', pattern: '^[A-Za-zÀ-ÿ]{2,10}([/ -][A-Za-z]{2})?$', example: 'SSP/SP' }),
              documentImage: z.string().openapi({ format: 'binary', description: 'JPEG ou PNG (pelos bytes), até 5 MB' }),
              selfieImage: z.string().openapi({ format: 'binary', description: 'JPEG ou PNG (pelos bytes), até 5 MB' }),
            }),
          },
        },
      },
    },
    responses: {
      201: { description: 'Registered; automatic KYC decision taken', content: { 'application/json': { schema: applicationSchema.extend({ statusToken: z.string() }) } } },
      409: { description: 'CPF, e-mail or phone already registered', ...problem },
      413: { description: 'Body over 10.5 MB', ...problem },
      422: { description: 'Field errors (CPF_INVALID, UNDERAGE, EMAIL_INVALID, PHONE_INVALID, CEP_INVALID, PASSWORD_WEAK, PIN_WEAK, PIN_FORMAT, CONSENT_REQUIRED, FILE_TOO_LARGE, FILE_NOT_IMAGE, …)', ...problem },
      429: { description: 'Too many registrations from this IP (Retry-After)', ...problem },
    },
  });
  api.post('/v1/registrations', bodyLimit({ maxSize: REGISTRATION_BODY_LIMIT, onError: () => { throw new AppError(413, 'PAYLOAD_TOO_LARGE', 'O envio passou do tamanho máximo de 10 MB.'); } }), async (c) => {
    await consumeOrRefuse(limiter, c);
    const raw = await readForm(c);
    const validated = validateRegistration(raw, deps.now?.() ?? new Date());
    if (!validated.ok) throw Errors.validation(validated.errors);
    const result = await registerCustomer({ pool: deps.pool, vault: deps.vault, pinKey: deps.pinKey, watchlist: deps.watchlist, provisioner: deps.provisioner, now: deps.now }, validated.value, {
      correlationId: c.var.correlationId,
    });
    await deps.reads?.recordCommitted([KYC_QUEUE]);
    c.var.log.info({ applicationId: result.applicationId, status: result.status }, 'registration received');
    return c.json(result, 201);
  });

  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/registrations/cpf-check',
      summary: 'Whether a CPF can still open an account (public, rate-limited per IP; says nothing about who holds it)',
      request: { body: { content: { 'application/json': { schema: z.object({ cpf: z.string().openapi(WIRE.cpf) }).strict() } }, required: true } },
      responses: {
        200: { description: 'available: false when an application already holds the CPF', content: { 'application/json': { schema: z.object({ available: z.boolean() }) } } },
        422: { description: 'CPF_INVALID', ...problem },
        429: { description: 'Too many checks from this IP (Retry-After)', ...problem },
      },
    }),
    async (c) => {
      await consumeOrRefuse(cpfCheckLimiter, c);
      return c.json(await checkCpfAvailable(deps.pool, c.req.valid('json').cpf), 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/registrations/{id}',
      summary: 'Application status (public with the status token)',
      request: { params: idParam, query: z.object({ token: z.string().min(20).max(100).regex(/^[A-Za-z0-9_-]+$/, 'status token: base64url') }) },
      responses: { 200: { description: 'Status', content: { 'application/json': { schema: applicationSchema } } }, 404: { description: 'Unknown id or wrong token', ...problem } },
    }),
    async (c) => c.json(await applicationStatus(deps.pool, c.req.valid('param').id, c.req.valid('query').token), 200),
  );

  // ---- the signed-in customer ----
  api.use('/v1/customers/*', auth);
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/me',
      summary: 'Own profile (CPF masked; e-mail and phone masked unless reveal=contact, which the profile edit form asks for)',
      request: { query: z.object({ reveal: z.enum(['contact']).optional() }) },
      responses: { 200: { description: 'Profile', content: { 'application/json': { schema: profileSchema } } }, 404: { description: 'Not a customer', ...problem } },
    }),
    async (c) => c.json(await getProfile(deps.pool, c.var.principal.customerId, { revealContact: c.req.valid('query').reveal === 'contact' }), 200),
  );
  api.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/customers/me',
      summary: 'Change e-mail, phone or address',
      request: {
        body: {
          content: { 'application/json': { schema: profileChangesSchema } },
          required: true,
        },
      },
      responses: {
        200: { description: 'Updated profile', content: { 'application/json': { schema: profileSchema } } },
        409: { description: 'E-mail or phone already registered', ...problem },
        422: { description: 'Field errors', ...problem },
      },
    }),
    async (c) => {
      const validated = validateProfileChanges(c.req.valid('json'));
      if (!validated.ok) throw Errors.validation(validated.errors);
      return c.json(await updateProfile(deps.pool, deps.keycloak, c.var.principal.customerId, validated.value), 200);
    },
  );
  api.openapi(
    createRoute({ method: 'get', path: '/v1/customers/me/documents/{kind}', summary: 'Own KYC image', request: { params: kindParam }, responses: { 200: { description: 'The image', ...image }, 404: { description: 'None', ...problem } } }),
    async (c) => imageResponse(c, await customerDocument(deps.pool, c.var.principal.customerId, c.req.valid('param').kind)),
  );

  // ---- KYC review (admin) ----
  api.use('/v1/admin/*', auth, admin);
  const reviewer = (c: Context<AuthEnv>) => ({ userId: c.var.principal.userId, username: c.var.principal.username, correlationId: c.var.correlationId });
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/kyc/applications',
      summary: 'Applications by status (admin)',
      request: { query: z.object({ status: z.enum(APPLICATION_STATUSES).default('PENDING_REVIEW'), limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.string().max(200).optional() }) },
      responses: {
        200: { description: 'A page of applications', content: { 'application/json': { schema: z.object({ items: z.array(z.any()), nextCursor: z.string().nullable() }) } } },
        403: { description: 'Not an admin', ...problem },
        422: { description: 'Invalid status, limit or cursor', ...problem },
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listApplications((await deps.reads?.poolFor(KYC_QUEUE)) ?? deps.pool, q);
      await auditQueueListed(deps.pool, reviewer(c), q, page.items.map((i) => i.applicationId));
      return c.json(page, 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/kyc/applications/{id}',
      summary: 'One application: the applicant (e-mail and phone masked), the automatic checks and reasons, the decisions, which images exist (admin; audited)',
      request: { params: idParam },
      responses: {
        200: { description: 'The application', content: { 'application/json': { schema: applicationDetailSchema } } },
        403: { description: 'Not an admin', ...problem },
        404: { description: 'No such application', ...problem },
        422: { description: 'Malformed id', ...problem },
      },
    }),
    async (c) => {
      c.header('cache-control', 'no-store');
      return c.json(await getApplication(deps.pool, reviewer(c), c.req.valid('param').id), 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/customers',
      summary: 'Look customers up by CPF (exact; digits or masked) or by name (prefix, ignoring case and accents) (admin; audited)',
      request: {
        query: z.object({
          cpf: z
            .string()
            .refine((v) => CPF_QUERY.test(v), { message: 'Informe os 11 dígitos do CPF, com ou sem pontuação.', params: { code: 'CPF_INVALID' } })
            .optional()
            .openapi({ type: 'string', pattern: CPF_QUERY.source, example: '529.982.247-25', description: 'Exato; com ou sem pontuação' }),
          name: z.string().min(1).max(120).optional().openapi({ example: 'Mar', description: 'Início do nome ou de um sobrenome, sem diferenciar maiúsculas e acentos' }),
          limit: z.coerce.number().int().min(1).max(50).default(20),
        }),
      },
      responses: {
        200: {
          description: 'Matching customers, newest first (both filters: both must match; neither: no customer)',
          content: { 'application/json': { schema: z.object({ items: z.array(customerSearchItemSchema) }) } },
        },
        403: { description: 'Not an admin', ...problem },
        422: { description: 'Malformed CPF or limit', ...problem },
      },
    }),
    async (c) => {
      const { cpf, name, limit } = c.req.valid('query');
      c.header('cache-control', 'no-store');
      return c.json(await searchCustomers(deps.pool, reviewer(c), { cpf, name }, limit), 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/kyc/applications/{id}/approve',
      summary: 'Approve an application under review, then provision it (admin)',
      request: { params: idParam, body: { content: { 'application/json': { schema: z.object({ reason: reason(0).optional() }).strict() } }, required: false } },
      responses: {
        200: { description: 'ACTIVE, or APPROVED while provisioning waits for Keycloak', content: { 'application/json': { schema: applicationSchema } } },
        403: { description: 'Not an admin', ...problem },
        404: { description: 'No such application', ...problem },
        409: { description: 'Not under review', ...problem },
        422: { description: 'Malformed id or reason', ...problem },
      },
    }),
    async (c) => {
      const body = c.req.header('content-type')?.includes('application/json') ? c.req.valid('json') : {};
      const result = await approveApplication(deps.pool, deps.provisioner, c.req.valid('param').id, reviewer(c), body?.reason || null);
      await deps.reads?.recordCommitted([KYC_QUEUE]);
      c.var.log.info({ applicationId: result.applicationId, status: result.status, reviewer: c.var.principal.userId }, 'application approved');
      return c.json(result, 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/kyc/applications/{id}/reject',
      summary: 'Reject an application under review, with a reason (admin)',
      request: { params: idParam, body: { content: { 'application/json': { schema: z.object({ reason: reason(3) }).strict() } }, required: true } },
      responses: {
        200: { description: 'REJECTED', content: { 'application/json': { schema: applicationSchema } } },
        403: { description: 'Not an admin', ...problem },
        404: { description: 'No such application', ...problem },
        409: { description: 'Not under review', ...problem },
        422: { description: 'Reason missing or malformed id', ...problem },
      },
    }),
    async (c) => {
      const result = await rejectApplication(deps.pool, c.req.valid('param').id, reviewer(c), c.req.valid('json').reason);
      await deps.reads?.recordCommitted([KYC_QUEUE]);
      c.var.log.info({ applicationId: result.applicationId, reviewer: c.var.principal.userId }, 'application rejected');
      return c.json(result, 200);
    },
  );
  api.openapi(
    createRoute({ method: 'get', path: '/v1/admin/kyc/applications/{id}/documents/{kind}', summary: 'KYC image of an application (admin)', request: { params: idParam.merge(kindParam) }, responses: { 200: { description: 'The image', ...image }, 404: { description: 'None', ...problem } } }),
    async (c) => {
      const { id, kind } = c.req.valid('param');
      const doc = await customerDocument(deps.pool, id, kind);
      await auditOperator(deps.pool, reviewer(c), { action: 'kyc.document.viewed', subjectType: 'kyc_application', subjectId: id, details: { kind } });
      return imageResponse(c, doc);
    },
  );
  registerAuditRoute(api, deps.pool);

  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  api.doc31('/openapi.json', { openapi: '3.1.0', info: { title: 'KRT Bank onboarding', version: '1.0.0' }, security: [{ bearer: [] }] });
  app.route('/', api);
  return app;
}

/** Multipart body → text fields and file bytes. A malformed body is a 400, never a 500. */
async function readForm(c: Context): Promise<RawInput> {
  let body: Record<string, string | File | (string | File)[]>;
  try {
    body = await c.req.parseBody();
  } catch {
    throw new AppError(400, 'BODY_INVALID', 'Envie o cadastro como multipart/form-data.');
  }
  const raw: RawInput = {};
  for (const [key, value] of Object.entries(body)) {
    const v = Array.isArray(value) ? value[value.length - 1] : value;
    raw[key] = typeof v === 'string' || v === undefined ? v : { bytes: new Uint8Array(await v.arrayBuffer()) };
  }
  return raw;
}

function imageResponse(c: Context, doc: { contentType: string; content: Buffer }) {
  return c.body(new Uint8Array(doc.content), 200, {
    'content-type': doc.contentType,
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
    'content-disposition': 'inline',
  });
}
