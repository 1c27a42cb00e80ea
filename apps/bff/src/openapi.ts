// GET /api/docs: the public API in one OpenAPI 3.1 document. The BFF's own routes are described here, their bodies
// GENERATED from the contract's zod schemas (@krt/contracts, zod's JSON Schema output); the services' routes come from
// their /openapi.json (fetched through the gateway, cached briefly) and are re-prefixed with /api.
import { mergeOpenApi, REQUEST_TOO_LARGE, type UpstreamDoc, type UpstreamName } from '@krt/bff';
import { auditListQuerySchema, auditListSchema, balanceSchema, dashboardSchema, fieldErrorSchema, meSchema, problemSchema, sessionListSchema, statementItemSchema, WIRE } from '@krt/contracts';
import type { ResolvedBffDeps } from './app';
import { passwordSignInEnabled } from './config';
import { z } from 'zod';

/**
 * The components of the BFF's own answers, as JSON Schema generated from the contract. A schema used inside another
 * (the balance and statement lines of the dashboard, the field errors of a problem) is a component of its own, named
 * by $ref.
 */
export const CONTRACT_COMPONENTS = {
  Problem: problemSchema,
  FieldError: fieldErrorSchema,
  Me: meSchema,
  SessionList: sessionListSchema,
  AuditList: auditListSchema,
  Dashboard: dashboardSchema,
  Balance: balanceSchema,
  StatementItem: statementItemSchema,
} as const;

function generatedSchemas(): Record<string, Record<string, unknown>> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(CONTRACT_COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}`, io: 'output', unrepresentable: 'any' });
  // Each one is a component of this document, not a JSON Schema document of its own.
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema]));
}

/**
 * The query parameters of a route, generated from the contract's query schema: each field's JSON Schema (as the
 * request sends it), its description and example lifted to the parameter.
 */
function queryParameters(query: z.ZodObject) {
  return Object.entries(query.shape).map(([name, field]) => {
    const { $schema: _s, description, example, ...schema } = z.toJSONSchema(field as z.ZodType, { io: 'input', unrepresentable: 'any' });
    return {
      name,
      in: 'query',
      ...(field.safeParse(undefined).success ? {} : { required: true }),
      schema,
      ...(description === undefined ? {} : { description }),
      ...(example === undefined ? {} : { example }),
    };
  });
}

const problemRef = { $ref: '#/components/schemas/Problem' };
const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: problemRef } } });
const csrfHeader = { name: 'X-CSRF', in: 'header', required: true, schema: { type: 'string', const: '1' }, description: 'Anti-forgery header; without it: 403.' };

export const OWN_DOC = {
  openapi: '3.1.0',
  info: {
    title: 'KRT Bank public API (BFF)',
    version: '1.0.0',
    description:
      'The one origin the browser talks to. Sign in through /auth/*; the session lives on the server and the browser holds only an ' +
      'HttpOnly cookie (`__Host-krt-session` over https, `krt-session` on local http). Every /api call needs `X-CSRF: 1`. ' +
      'Rate limits answer 429 with Retry-After and RateLimit-* headers; an upstream that is down answers 503 with Retry-After.',
  },
  servers: [{ url: '/' }],
  components: {
    securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'krt-session' } },
    schemas: generatedSchemas(),
  },
  paths: {
    '/auth/login': {
      get: {
        tags: ['auth'],
        summary: 'Starts the browser sign-in (authorization code + PKCE) and redirects to Keycloak',
        parameters: [{ name: 'returnUrl', in: 'query', schema: { type: 'string', example: '/inicio' }, description: 'Local path only; anything else becomes /' }],
        responses: { 302: { description: 'Redirect to the Keycloak sign-in page' }, 429: problemResponse('Too many attempts') },
      },
    },
    '/auth/forgot-password': {
      get: {
        tags: ['auth'],
        summary: '"Esqueci minha senha": starts the browser sign-in on Keycloak\'s page, whose "Esqueceu sua senha?" resets the password by e-mail',
        description:
          'Keycloak mails a link; opened in the same browser, it asks for a new password (the realm\'s policy) and completes this sign-in. Keycloak signs the customer out of the other devices (its default), which ends their BFF sessions through the back-channel logout.',
        parameters: [{ name: 'returnUrl', in: 'query', schema: { type: 'string', example: '/inicio' }, description: 'Local path only (default /inicio); anything else becomes /' }],
        responses: { 302: { description: 'Redirect to the Keycloak sign-in page' }, 429: problemResponse('Too many attempts') },
      },
    },
    '/auth/change-password': {
      get: {
        tags: ['auth'],
        summary: '"Alterar senha": Keycloak checks the current password (prompt=login), then sets the new one (kc_action=UPDATE_PASSWORD)',
        description:
          'Comes back through /auth/callback with a new session; when Keycloak reports kc_action_status=success, every other session of the customer ends. Keycloak e-mails the customer about the change.',
        parameters: [{ name: 'returnUrl', in: 'query', schema: { type: 'string', example: '/perfil' }, description: 'Local path only (default /perfil); anything else becomes /' }],
        responses: { 302: { description: 'Redirect to the Keycloak sign-in page' }, 429: problemResponse('Too many attempts') },
      },
    },
    '/auth/reauthenticate': {
      get: {
        tags: ['auth'],
        summary: 'Step-up: the customer types the password again on Keycloak\'s page (prompt=login, max_age=0); the new session\'s tokens carry a fresh auth_time',
        description:
          'Payments and onboarding ask for an authentication at most 300 s old before sensitive changes (PUT /api/v1/pix/pin, and PATCH /api/v1/customers/me with a new e-mail or phone, answer 403 REAUTHENTICATION_REQUIRED otherwise). The callback refuses an ID token whose auth_time is not fresh.',
        parameters: [{ name: 'returnUrl', in: 'query', schema: { type: 'string', example: '/perfil' }, description: 'Local path only (default /perfil); anything else becomes /' }],
        responses: { 302: { description: 'Redirect to the Keycloak sign-in page' }, 429: problemResponse('Too many attempts') },
      },
    },
    '/auth/callback': {
      get: {
        tags: ['auth'],
        summary: 'Completes the browser sign-in: code exchange, new session, redirect to returnUrl',
        responses: { 303: { description: 'Signed in; Set-Cookie with the session id' }, 400: problemResponse('Expired or foreign sign-in') },
      },
    },
    '/auth/session': {
      post: {
        tags: ['auth'],
        summary: 'First-party sign-in with CPF and password, for automation only (load tests, the bench, the demo)',
        description:
          'The OAuth password grant behind the BFF. Browsers sign in through GET /auth/login (authorization code + PKCE on the KRT-branded Keycloak page). Answers only while BFF_PASSWORD_SIGNIN is on, which is off by default in production: then 404 PASSWORD_SIGNIN_DISABLED, and this route is left out of this document.',
        parameters: [csrfHeader],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['cpf', 'password'],
                properties: { cpf: { ...WIRE.cpf, maxLength: 32 }, password: { type: 'string', minLength: 1, maxLength: 256 } },
              },
            },
          },
        },
        responses: {
          204: { description: 'Signed in; Set-Cookie with the session id' },
          400: problemResponse('BAD_REQUEST: the body is not JSON'),
          401: problemResponse('CREDENCIAIS_INVALIDAS'),
          403: problemResponse('Missing X-CSRF'),
          413: problemResponse('PAYLOAD_TOO_LARGE (over 4 KiB)'),
          422: problemResponse('VALIDATION_FAILED: CPF_INVALID, or a field of the wrong type or length'),
          429: problemResponse('Too many sign-in attempts (per IP and per IP + CPF)'),
          503: problemResponse('SERVICE_UNAVAILABLE: Keycloak or Redis is down'),
        },
      },
    },
    '/auth/me': {
      get: {
        tags: ['auth'],
        summary: 'Who is signed in and when the session ends (never a token)',
        responses: {
          200: { description: 'The session, or { authenticated: false }', content: { 'application/json': { schema: { $ref: '#/components/schemas/Me' } } } },
          503: problemResponse('SERVICE_UNAVAILABLE: Redis is down'),
        },
      },
    },
    '/auth/logout': {
      post: {
        tags: ['auth'],
        summary: 'Revokes the refresh token, ends the Keycloak session, deletes the server session',
        parameters: [csrfHeader],
        responses: { 204: { description: 'Signed out; the cookie is cleared' }, 403: problemResponse('Missing X-CSRF') },
      },
    },
    '/auth/backchannel-logout': {
      post: {
        tags: ['auth'],
        summary: 'OpenID Connect Back-Channel Logout: Keycloak reports an ended session; every BFF session opened under it ends',
        description: 'Server to server (Keycloak), no cookie and no X-CSRF: the signed logout token (realm keys, audience krt-bff, logout event, sid) is the authentication.',
        requestBody: {
          required: true,
          content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', required: ['logout_token'], properties: { logout_token: { type: 'string' } } } } },
        },
        responses: {
          200: { description: 'The sessions of that Keycloak session are ended' },
          400: problemResponse('INVALID_LOGOUT_TOKEN (OpenID Connect Back-Channel Logout 1.0, 2.8: any token not verified is a 400)'),
          413: problemResponse('PAYLOAD_TOO_LARGE (over 16 KiB)'),
        },
      },
    },
    '/api/v1/dashboard': {
      get: {
        tags: ['bff'],
        summary: 'Home screen data fanned out in parallel; parts whose upstream is down are null and listed in partial',
        security: [{ session: [] }],
        parameters: [csrfHeader],
        responses: {
          200: { description: 'Dashboard', content: { 'application/json': { schema: { $ref: '#/components/schemas/Dashboard' } } } },
          401: problemResponse('No session'),
          403: problemResponse('Missing X-CSRF'),
          429: problemResponse('Rate limited (per session and per IP)'),
          503: problemResponse('SERVICE_UNAVAILABLE: the session store is down'),
        },
      },
    },
    '/api/v1/admin/audit': {
      get: {
        tags: ['bff'],
        summary: "The back office's audit: every service's append-only audit log as one list, newest first (operators only)",
        description:
          'Merged by the BFF from payments, onboarding and notifications (`GET /v1/admin/audit` of each). The filters go to every service; ' +
          '`service` asks only one; `cursor` is the `nextCursor` of the previous page (opaque). A service that does not answer is named in `partial`.',
        security: [{ session: [] }],
        parameters: [csrfHeader, ...queryParameters(auditListQuerySchema)],
        responses: {
          200: { description: 'One page', content: { 'application/json': { schema: { $ref: '#/components/schemas/AuditList' } } } },
          401: problemResponse('No session'),
          403: problemResponse("FORBIDDEN: not an operator's session; or missing X-CSRF"),
          422: problemResponse('VALIDATION_FAILED: a filter, limit or cursor is invalid'),
          429: problemResponse('Rate limited'),
          431: REQUEST_TOO_LARGE,
          503: problemResponse('SERVICE_UNAVAILABLE: no service answered'),
        },
      },
    },
    '/api/v1/sessions': {
      get: {
        tags: ['bff'],
        summary: "The signed-in customer's active sessions (this one first, `current: true`)",
        description:
          'Only the caller\'s own sessions. `handle` is an opaque name for a session (a hash of its server-side key), never the cookie value. ' +
          '`device` is a short label from the User-Agent at sign-in (e.g. "Chrome no Linux"); `lastUsedAt` is accurate to about a minute.',
        security: [{ session: [] }],
        parameters: [csrfHeader],
        responses: {
          200: { description: 'Sessions', content: { 'application/json': { schema: { $ref: '#/components/schemas/SessionList' } } } },
          401: problemResponse('No session'),
          403: problemResponse('Missing X-CSRF'),
          429: problemResponse('Rate limited'),
        },
      },
      delete: {
        tags: ['bff'],
        summary: 'Ends every other session of the customer (`scope=others`) or all of them, this one included (`scope=all`)',
        description: 'Each ended session is deleted and its refresh token revoked at Keycloak (as a logout); its next call is 401. With `scope=all` the cookie is cleared.',
        security: [{ session: [] }],
        parameters: [csrfHeader, { name: 'scope', in: 'query', required: true, schema: { type: 'string', enum: ['others', 'all'] } }],
        responses: {
          204: { description: 'Ended' },
          400: problemResponse('SESSION_SCOPE_INVALID: scope missing or not others|all'),
          401: problemResponse('No session'),
          403: problemResponse('Missing X-CSRF'),
          429: problemResponse('Rate limited'),
        },
      },
    },
    '/api/v1/sessions/{handle}': {
      delete: {
        tags: ['bff'],
        summary: "Ends one of the customer's sessions (revoked at Keycloak as a logout; this one's cookie is cleared when it is this one)",
        security: [{ session: [] }],
        parameters: [csrfHeader, { name: 'handle', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          204: { description: 'Ended' },
          401: problemResponse('No session'),
          403: problemResponse('Missing X-CSRF'),
          404: problemResponse("SESSION_NOT_FOUND: not one of the caller's sessions (or already ended)"),
          429: problemResponse('Rate limited'),
        },
      },
    },
    '/api/v1/events': {
      get: {
        tags: ['bff'],
        summary: 'Server-sent events of the signed-in customer: `pix.status` ({ transferId, status, direction, amount, failureReason? }) and `notification`',
        description: 'Needs X-CSRF: 1, or a browser EventSource from the same origin (Sec-Fetch-Site: same-origin). Heartbeat comments every 15 s.',
        security: [{ session: [] }],
        responses: {
          200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          401: problemResponse('No session'),
          403: problemResponse('Neither X-CSRF nor Sec-Fetch-Site: same-origin'),
          429: problemResponse('Rate limited'),
        },
      },
    },
  },
};

let cache: { at: number; doc: Record<string, unknown> } | undefined;

/** The document this BFF serves: without POST /auth/session while the password sign-in is off. */
export async function apiDocs(deps: ResolvedBffDeps): Promise<Record<string, unknown>> {
  const doc = await mergedDocs(deps);
  if (passwordSignInEnabled(deps.cfg)) return doc;
  const paths = Object.entries(doc.paths as Record<string, unknown>).filter(([p]) => p !== '/auth/session');
  return { ...doc, paths: Object.fromEntries(paths) };
}

async function mergedDocs(deps: ResolvedBffDeps): Promise<Record<string, unknown>> {
  if (cache && Date.now() - cache.at < 30_000) return cache.doc;
  const names: UpstreamName[] = ['payments', 'onboarding', 'notifications'];
  const docs: UpstreamDoc[] = await Promise.all(
    names.map(async (upstream) => {
      try {
        const res = await deps.upstreams[upstream].request({ method: 'GET', path: '/openapi.json', headers: new Headers({ accept: 'application/json' }) });
        if (res.status !== 200) return { upstream, doc: undefined };
        return { upstream, doc: JSON.parse(new TextDecoder().decode(res.body)) as Record<string, unknown> };
      } catch {
        return { upstream, doc: undefined };
      }
    }),
  );
  const doc = mergeOpenApi(OWN_DOC, docs);
  // Only a complete document is cached, so a service that was down shows up as soon as it is back.
  if (!doc['x-missing-upstreams']) cache = { at: Date.now(), doc };
  return doc;
}
