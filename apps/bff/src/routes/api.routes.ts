// /api/*: the gateway. Anti-forgery header, body limits and rate limits first; then the BFF's own endpoints
// (dashboard, live events, API description) and the allow-listed proxy to the upstream services.
import {
  allowHeader,
  browserResponseHeaders,
  buildDashboard,
  enforceLimits,
  methodAllowed,
  readCookie,
  routeFor,
  sessionKeyHash,
  upstreamRequestHeaders,
  type ActiveSession,
  type UpstreamName,
} from '@krt/bff';
import { AppError, problem } from '@krt/platform/errors';
import type { AppEnv } from '@krt/platform/http';
import { Hono, type Context } from 'hono';
import type { ResolvedBffDeps } from '../app';
import { apiDocs } from '../openapi';
import { clientIp, limitBody, requireCsrfHeader } from '../security';
import { eventsRoute } from './events.route';

const methodNotAllowed = (methods: readonly string[]) =>
  new AppError(405, 'METHOD_NOT_ALLOWED', 'Operação não permitida neste endereço.', { headers: { Allow: allowHeader(methods) } });

export function apiRoutes(deps: ResolvedBffDeps) {
  const { cfg, sessions, upstreams, limiters, cookies } = deps;
  const app = new Hono<AppEnv>();
  const proto = new URL(cfg.PUBLIC_URL).protocol.replace(':', '');
  const sessionId = (c: Context) => readCookie(c.req.header('cookie'), cookies.session);

  // The API description is public documentation: no session, no anti-forgery header (a browser tab can open it).
  app.get('/docs', async (c) => c.json(await apiDocs(deps)));
  app.all('/docs', () => {
    throw methodNotAllowed(['GET']);
  });

  // Every other /api call needs `X-CSRF: 1`. Live events also accept the browser's own `Sec-Fetch-Site: same-origin`,
  // because EventSource cannot set headers.
  const csrf = requireCsrfHeader();
  const csrfOrSameOrigin = requireCsrfHeader({ allowSameOriginFetchMetadata: true });
  app.use('*', (c, next) => (c.req.path === '/api/v1/events' ? csrfOrSameOrigin(c, next) : csrf(c, next)));
  app.use('/v1/registrations', limitBody(cfg.REGISTRATION_BODY_LIMIT_BYTES));
  app.use('*', async (c, next) => {
    if (c.req.path === '/api/v1/registrations') return next();
    return limitBody(cfg.BODY_LIMIT_BYTES)(c, next);
  });
  app.use('*', async (c, next) => {
    const sid = sessionId(c);
    const ip = clientIp(c, cfg.TRUST_PROXY);
    await enforceLimits(c, [
      [limiters.apiPerIp, ip],
      [limiters.apiPerSession, sid ? sessionKeyHash(sid) : undefined],
      [limiters.registrationPerIp, c.req.method === 'POST' && c.req.path === '/api/v1/registrations' ? ip : undefined],
    ]);
    await next();
  });

  const headersFor = (c: Context<AppEnv>, session?: ActiveSession) =>
    upstreamRequestHeaders(c.req.raw.headers, {
      accessToken: session?.record.accessToken,
      correlationId: c.var.correlationId,
      clientIp: clientIp(c, cfg.TRUST_PROXY),
      proto,
      host: new URL(cfg.PUBLIC_URL).host,
    });

  // The BFF's own resources answer only GET; the proxied ones only the methods the allow-list gives them. Anything else
  // is 405 with Allow, here, before any session lookup or upstream call: a refused method can never reach (or count
  // against) a service, whatever fetch or the service would make of it.
  const OWN: Record<string, readonly string[]> = { '/api/v1/dashboard': ['GET'], '/api/v1/events': ['GET'] };
  app.use('*', async (c, next) => {
    const methods = OWN[c.req.path] ?? routeFor(new URL(c.req.url).pathname)?.methods;
    if (methods && !methodAllowed(methods, c.req.method)) throw methodNotAllowed(methods);
    await next();
  });

  app.get('/v1/dashboard', async (c) => {
    const session = await sessions.active(sessionId(c));
    const headers = headersFor(c, session);
    headers.set('accept', 'application/json');
    const dashboard = await buildDashboard((upstream: UpstreamName, path: string) => upstreams[upstream].request({ method: 'GET', path, headers }), {
      partDeadlineMs: cfg.DASHBOARD_PART_TIMEOUT_MS,
    });
    return c.json(dashboard);
  });

  app.get('/v1/events', eventsRoute(deps));

  app.all('/*', async (c) => {
    const url = new URL(c.req.url);
    const route = routeFor(url.pathname);
    if (!route) {
      return c.json(problem(404, 'ROUTE_NOT_FOUND', 'Endereço não encontrado.', { correlationId: c.var.correlationId }), 404, {
        'content-type': 'application/problem+json',
      });
    }
    const pool = upstreams[route.upstream];
    pool.assertAvailable(); // an open breaker answers at once
    const session = route.public ? undefined : await sessions.active(sessionId(c));
    const method = c.req.method;
    const body = method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(await c.req.arrayBuffer());
    const res = await pool.request({ method, path: `${route.path}${url.search}`, headers: headersFor(c, session), body });
    if (res.status === 401 && session) {
      // The upstream no longer accepts this session's token (revoked at Keycloak): the session is over.
      c.var.log.info({ upstream: route.upstream }, 'upstream refused the session token');
    }
    const headers = browserResponseHeaders(res.headers);
    const out: Record<string, string> = {};
    headers.forEach((v, k) => (out[k] = v));
    const noBody = res.status === 204 || res.status === 304 || method === 'HEAD';
    const bytes = res.body.buffer.slice(res.body.byteOffset, res.body.byteOffset + res.body.byteLength) as ArrayBuffer;
    return c.body(noBody ? null : bytes, res.status as 200, out);
  });

  return app;
}
