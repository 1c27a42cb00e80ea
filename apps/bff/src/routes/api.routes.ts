// /api/*: the gateway. Anti-forgery header, body limits and rate limits first; then the BFF's own endpoints
// (dashboard, live events, API description) and the allow-listed proxy to the upstream services.
import {
  allowHeader,
  applyLimits,
  clearCookie,
  browserResponseHeaders,
  buildDashboard,
  methodAllowed,
  readCookie,
  reuseEncodings,
  routeFor,
  sessionKeyHash,
  upstreamRequestHeaders,
  type ActiveSession,
  type CachedAnswer,
  type LimitChecks,
  type UpstreamName,
} from '@krt/bff';
import { AppError, problem } from '@krt/platform/http';
import type { AppEnv } from '@krt/platform/http';
import { Hono, type Context } from 'hono';
import type { ResolvedBffDeps } from '../app';
import { apiDocs } from '../openapi';
import { afterAdminWrite, auditRoute, requireOperator } from './admin.routes';
import { clientIpOf, limitBody, requireCsrfHeader } from '../security';
import { eventsRoute } from './events.route';
import { activeSession, probedSession, rememberProbedSession } from './request-session';

const methodNotAllowed = (methods: readonly string[]) =>
  new AppError(405, 'METHOD_NOT_ALLOWED', 'Operação não permitida neste endereço.', { headers: { Allow: allowHeader(methods) } });

/** `fn` of a request, worked out on its first call and remembered for the rest of that request. */
function perRequest<T>(fn: (c: Context<AppEnv>) => T): (c: Context<AppEnv>) => T {
  const seen = new WeakMap<Request, T>();
  return (c) => {
    if (!seen.has(c.req.raw)) seen.set(c.req.raw, fn(c));
    return seen.get(c.req.raw) as T;
  };
}

/**
 * A body as a byte view (no copy): @hono/node-server keeps a Response made from bytes "lightweight" (status, headers
 * and body written straight to the socket), where one made from an ArrayBuffer becomes a full web Response, body
 * stream included, the first time any middleware reads its headers.
 */
const view = (body: ArrayBuffer) => new Uint8Array(body);

/** A cached answer, sent with the encodings already made of its bytes (`reuseEncodings`). */
function sendCached(c: Context<AppEnv>, hit: CachedAnswer) {
  reuseEncodings(c, hit.body);
  return c.body(view(hit.body), hit.status as 200, hit.headers);
}

export function apiRoutes(deps: ResolvedBffDeps) {
  const { cfg, sessions, upstreams, limiters, cookies, reads } = deps;
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
  const apiBodyLimit = limitBody(cfg.BODY_LIMIT_BYTES);
  app.use('*', async (c, next) => (c.req.path === '/api/v1/registrations' ? next() : apiBodyLimit(c, next)));
  // The BFF's own resources answer only GET; the proxied ones only the methods the allow-list gives them.
  // The customer's sessions: the list (GET), ending others or all (DELETE ?scope=), ending one (DELETE /{handle}).
  // The back office's audit list merges the services' own (admin.routes.ts).
  const OWN: Record<string, readonly string[]> = {
    '/api/v1/dashboard': ['GET'],
    '/api/v1/events': ['GET'],
    '/api/v1/sessions': ['GET', 'DELETE'],
    '/api/v1/admin/audit': ['GET'],
  };
  const SESSION_HANDLE_PATH = /^\/api\/v1\/sessions\/[^/]+$/;
  // The request's URL and allow-list route, worked out once per request (several middlewares and the proxy ask).
  const urlOf = perRequest((c) => new URL(c.req.url));
  const routeOf = perRequest((c) => routeFor(urlOf(c).pathname));
  const ownMethods = (path: string) => OWN[path] ?? (SESSION_HANDLE_PATH.test(path) ? ['DELETE'] : undefined);
  /** Whether the call will use the session: an allowed method on the BFF's own resources or a non-public route. */
  const usesSession = (c: Context) => {
    const own = ownMethods(c.req.path);
    if (own) return methodAllowed(own, c.req.method);
    const route = routeOf(c);
    return !!route && !route.public && methodAllowed(route.methods, c.req.method);
  };

  // Rate limits and the session in one Redis round trip (the gate script): the session is read and its idle timeout
  // slid only when the call will use it; a cacheable read also gets the customer's read versions (read-cache.ts).
  const versionKeys = (customerId: string) => reads.versionKeys(customerId);
  const cacheable = (c: Context) => c.req.method === 'GET' && reads.caches(c.req.path) && !c.req.header('if-none-match');
  /** The cache key of this read, when the gate's versions vouch for one. */
  const readKey = (c: Context, session: ActiveSession) => {
    const customerId = session.record.customerId;
    if (!customerId || !cacheable(c)) return undefined;
    const url = urlOf(c);
    return reads.key(customerId, probedSession(c)?.versions, `${url.pathname}${url.search}`, c.req.header('accept-language'));
  };
  /** The client's address, resolved once per request (the gate and the upstream headers both need it). */
  const clientIp = perRequest(clientIpOf(cfg));
  const publicHost = new URL(cfg.PUBLIC_URL).host;
  app.use('*', async (c, next) => {
    const sid = sessionId(c);
    const ip = clientIp(c);
    // Hashed once: the per-session limit and the session's Redis key both use it.
    const sidHash = sid ? sessionKeyHash(sid) : undefined;
    const checks: LimitChecks = [
      [limiters.apiPerIp, ip],
      [limiters.apiPerSession, sidHash],
      [limiters.registrationPerIp, c.req.method === 'POST' && c.req.path === '/api/v1/registrations' ? ip : undefined],
    ];
    const { limits, session } = await sessions.probe(sid && usesSession(c) ? sid : undefined, checks, cacheable(c) ? versionKeys : undefined, sidHash);
    applyLimits(c, limits);
    if (session) rememberProbedSession(c, session);
    await next();
  });

  const headersFor = (c: Context<AppEnv>, session?: ActiveSession) =>
    upstreamRequestHeaders(c.req.raw.headers, {
      accessToken: session?.record.accessToken,
      correlationId: c.var.correlationId,
      clientIp: clientIp(c),
      proto,
      host: publicHost,
    });

  // A method outside those is 405 with Allow, here, before any session use or upstream call: a refused method can never
  // reach (or count against) a service, whatever fetch or the service would make of it.
  app.use('*', async (c, next) => {
    const methods = ownMethods(c.req.path) ?? routeOf(c)?.methods;
    if (methods && !methodAllowed(methods, c.req.method)) throw methodNotAllowed(methods);
    await next();
  });

  // The back office: a session with the operators' role, checked before any upstream is asked (the services check it
  // too), on every admin resource the BFF has (its own, the allow-listed); an unlisted path stays a plain 404.
  const session = (c: Context<AppEnv>) => activeSession(sessions, c, sessionId(c));
  const operatorOnly = requireOperator(session);
  app.use('/v1/admin/*', (c, next) => (ownMethods(c.req.path) || routeOf(c) ? operatorOnly(c, next) : next()));
  app.get('/v1/admin/audit', auditRoute(deps, headersFor, session));

  const JSON_HEADERS = { 'content-type': 'application/json' };
  /** The headers with the body's Content-Length: the compression middleware then leaves a small body alone unread. */
  const sized = (headers: Record<string, string>, body: ArrayBuffer) => ({ ...headers, 'content-length': String(body.byteLength) });
  app.get('/v1/dashboard', async (c) => {
    const session = await activeSession(sessions, c, sessionId(c));
    // A cached dashboard is served only while every upstream's breaker is closed (else the parts are asked).
    const key = Object.values(upstreams).every((u) => u.breakerState === 'closed') ? readKey(c, session) : undefined;
    const hit = key && reads.get(key);
    if (hit) return sendCached(c, hit);
    const headers = headersFor(c, session);
    headers.set('accept', 'application/json');
    // Cached only when every part was answered (a 404 is an answer; an error, a 5xx or a part past its deadline is not).
    let answered = true;
    let open = 0;
    const get = (upstream: UpstreamName, path: string) => {
      open++;
      return upstreams[upstream].request({ method: 'GET', path, headers }).then(
        (res) => {
          open--;
          if (res.status >= 500) answered = false;
          return res;
        },
        (err: unknown) => {
          open--;
          answered = false;
          throw err;
        },
      );
    };
    const dashboard = await buildDashboard(get, { partDeadlineMs: cfg.DASHBOARD_PART_TIMEOUT_MS });
    const body = new TextEncoder().encode(JSON.stringify(dashboard)).buffer as ArrayBuffer;
    const answerHeaders = sized(JSON_HEADERS, body);
    if (key && answered && open === 0) {
      reads.set(key, { status: 200, headers: answerHeaders, body });
      reuseEncodings(c, body);
    }
    return c.body(view(body), 200, answerHeaders);
  });

  app.get('/v1/events', eventsRoute(deps));

  // The customer's own sessions (never another customer's: the list is the signed-in user's index). A session is named
  // by its handle, a hash of a hash of its id: never the cookie value.
  app.get('/v1/sessions', async (c) => {
    const session = await activeSession(sessions, c, sessionId(c));
    return c.json({ items: await sessions.list(session) }, 200, { 'cache-control': 'no-store' });
  });
  /** Ends sessions; when the caller's own is among them, its cookie is cleared too. */
  const endSessions = async (c: Context<AppEnv>, which: Parameters<typeof sessions.end>[1]) => {
    const session = await activeSession(sessions, c, sessionId(c));
    const { ended, endedCurrent } = await sessions.end(session, which);
    if ('handle' in which && ended === 0) {
      throw new AppError(404, 'SESSION_NOT_FOUND', 'Sessão não encontrada. Ela pode já ter sido encerrada.');
    }
    if (endedCurrent) c.header('set-cookie', clearCookie(cookies.session, cookies.secure), { append: true });
    return c.body(null, 204);
  };
  app.delete('/v1/sessions', async (c) => {
    const scope = c.req.query('scope');
    if (scope !== 'others' && scope !== 'all') {
      throw new AppError(400, 'SESSION_SCOPE_INVALID', 'Informe quais sessões encerrar: scope=others (os outros dispositivos) ou scope=all (todos).');
    }
    return endSessions(c, { scope });
  });
  app.delete('/v1/sessions/:handle', async (c) => endSessions(c, { handle: c.req.param('handle') }));

  app.all('/*', async (c) => {
    const url = urlOf(c);
    const route = routeOf(c);
    if (!route) {
      return c.json(problem(404, 'ROUTE_NOT_FOUND', 'Endereço não encontrado.', { correlationId: c.var.correlationId }), 404, {
        'content-type': 'application/problem+json',
      });
    }
    const pool = upstreams[route.upstream];
    pool.assertAvailable(); // an open breaker answers at once
    const session = route.public ? undefined : await activeSession(sessions, c, sessionId(c));
    const key = session && readKey(c, session);
    const hit = key && reads.get(key);
    if (hit) return sendCached(c, hit);
    const method = c.req.method;
    const reading = method === 'GET' || method === 'HEAD';
    const body = reading ? undefined : new Uint8Array(await c.req.arrayBuffer());
    const res = await pool.request({ method, path: `${route.path}${url.search}`, headers: headersFor(c, session), body });
    if (res.status === 401 && session) {
      // The upstream no longer accepts this session's token (revoked at Keycloak): the session is over.
      c.var.log.info({ upstream: route.upstream }, 'upstream refused the session token');
    }
    const customerId = session?.record.customerId;
    if (!reading && customerId) {
      // Before the answer: the customer's next read, through any BFF, must not come from a cache older than this write.
      await reads.wrote(customerId).catch((err: unknown) => c.var.log.warn({ err }, 'read cache: the write could not be announced to other BFFs'));
    }
    const headers = browserResponseHeaders(res.headers);
    let out: Record<string, string> = {};
    headers.forEach((v, k) => (out[k] = v));
    const noBody = res.status === 204 || res.status === 304 || method === 'HEAD';
    let bytes = res.body.buffer.slice(res.body.byteOffset, res.body.byteOffset + res.body.byteLength) as ArrayBuffer;
    if (!reading && route.path.startsWith('/v1/admin/')) {
      bytes = await afterAdminWrite(deps, c, { method, path: route.path, status: res.status, body: bytes });
    }
    if (!noBody) out = sized(out, bytes);
    if (key && res.status === 200) {
      reads.set(key, { status: 200, headers: out, body: bytes });
      reuseEncodings(c, bytes);
    }
    return c.body(noBody ? null : view(bytes), res.status as 200, out);
  });

  return app;
}
