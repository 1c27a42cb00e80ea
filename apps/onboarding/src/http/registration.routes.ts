// Registration (public): the form itself (multipart, rate-limited per IP), the form's "is this CPF free?" check, and
// the application's status for whoever holds its status token.
import { createRoute, z } from '@hono/zod-openapi';
import { applicationStatus, checkCpfAvailable, OnboardingErrors, registerCustomer } from '@krt/onboarding';
import { WIRE } from '@krt/contracts';
import { AppError, clientIp, createLimiter, enforceLimits, problemContent, proxyTrust, type Limiter } from '@krt/platform/http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { KYC_QUEUE, type OnboardingApi, type OnboardingRoutesDeps } from './openapi-kit';
import { applicationSchema, idParam, registrationFormSchema } from './schemas';

/** Two images of at most 5 MB plus the text fields. */
export const REGISTRATION_BODY_LIMIT = 10 * 1024 * 1024 + 512 * 1024;

/** Reads the multipart body once, before the route's validator (which reuses it): a malformed one is a 400, never a 500. */
const multipartBody: MiddlewareHandler = async (c, next) => {
  try {
    await c.req.parseBody();
  } catch {
    throw new AppError(400, 'BODY_INVALID', 'Envie o cadastro como multipart/form-data.');
  }
  await next();
};

export function registerRegistrationRoutes(api: OnboardingApi, deps: OnboardingRoutesDeps): void {
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
  /** Every attempt counts, a refused form too: the limiter runs before the body is read and validated. */
  const registrationLimit: MiddlewareHandler = async (c, next) => {
    await consumeOrRefuse(limiter, c);
    await next();
  };
  const now = () => deps.now?.() ?? new Date();

  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/registrations',
      summary: 'Register: personal data, password, LGPD consents, identity document and two images (public, rate-limited per IP)',
      middleware: [
        bodyLimit({
          maxSize: REGISTRATION_BODY_LIMIT,
          onError: () => {
            throw new AppError(413, 'PAYLOAD_TOO_LARGE', 'O envio passou do tamanho máximo de 10 MB.');
          },
        }),
        registrationLimit,
        multipartBody,
      ] as const,
      request: { body: { content: { 'multipart/form-data': { schema: registrationFormSchema(now) } }, required: true } },
      responses: {
        201: { description: 'Registered; automatic KYC decision taken', content: { 'application/json': { schema: applicationSchema.extend({ statusToken: z.string() }) } } },
        409: { description: 'CPF, e-mail or phone already registered', ...problemContent },
        413: { description: 'Body over 10.5 MB', ...problemContent },
        422: { description: 'Field errors (CPF_INVALID, UNDERAGE, EMAIL_INVALID, PHONE_INVALID, CEP_INVALID, PASSWORD_WEAK, PIN_WEAK, PIN_FORMAT, CONSENT_REQUIRED, FILE_TOO_LARGE, FILE_NOT_IMAGE, …)', ...problemContent },
        429: { description: 'Too many registrations from this IP (Retry-After)', ...problemContent },
      },
    }),
    async (c) => {
      const result = await registerCustomer({ pool: deps.pool, vault: deps.vault, pinKey: deps.pinKey, watchlist: deps.watchlist, provisioner: deps.provisioner, now: deps.now }, c.req.valid('form'), {
        correlationId: c.var.correlationId,
      });
      await deps.reads?.recordCommitted([KYC_QUEUE]);
      c.var.log.info({ applicationId: result.applicationId, status: result.status }, 'registration received');
      return c.json(result, 201);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/registrations/cpf-check',
      summary: 'Whether a CPF can still open an account (public, rate-limited per IP; says nothing about who holds it)',
      request: { body: { content: { 'application/json': { schema: z.object({ cpf: z.string().openapi(WIRE.cpf) }).strict() } }, required: true } },
      responses: {
        200: { description: 'available: false when an application already holds the CPF', content: { 'application/json': { schema: z.object({ available: z.boolean() }) } } },
        422: { description: 'CPF_INVALID', ...problemContent },
        429: { description: 'Too many checks from this IP (Retry-After)', ...problemContent },
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
      responses: { 200: { description: 'Status', content: { 'application/json': { schema: applicationSchema } } }, 404: { description: 'Unknown id or wrong token', ...problemContent } },
    }),
    async (c) => c.json(await applicationStatus(deps.pool, c.req.valid('param').id, c.req.valid('query').token), 200),
  );
}
