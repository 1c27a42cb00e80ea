// The Hono app every service starts from: correlation id, request log, /health, /ready, one error handler.
import { serve, type ServerType } from '@hono/node-server';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { ZodError } from 'zod';
import { AppError, Errors, problem, zodToFieldErrors } from './errors';
import type { Logger } from '../telemetry/logger';
import { httpDuration, httpRequests, initMetrics, labelValue, METRICS_CONTENT_TYPE, observeReadiness, rateLimited, renderMetrics } from '../telemetry/metrics';
import { readinessReport, type ReadinessCheck } from './readiness';
import { flushTelemetry, trace } from '../telemetry/telemetry';

export interface AppVariables {
  correlationId: string;
  log: Logger;
}
export type AppEnv = { Variables: AppVariables };

const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function correlationId(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header(CORRELATION_HEADER);
    const id = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
    c.set('correlationId', id);
    c.set('log', logger.child({ correlationId: id }));
    c.header(CORRELATION_HEADER, id);
    await next();
  };
}

export function requestLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const path = c.req.routePath && c.req.routePath !== '/*' ? c.req.routePath : new URL(c.req.url).pathname;
    if (path === '/health' || path === '/ready' || path === '/metrics') return;
    c.var.log.info({ method: c.req.method, path, status: c.res.status, ms }, 'request');
  };
}

const UNMATCHED = 'unmatched';

const MAX_ROUTES = 200;
const seenRoutes = new Set<string>();

/** A path with every segment that is not a plain word (`transfers`, `v1`, `qr-codes`) shown as `:id`. */
export function pathTemplate(pathname: string): string {
  const segments = pathname.split('/').filter(Boolean).slice(0, 8);
  return '/' + segments.map((seg) => (/^(v\d{1,2}|[a-z][a-z-]{0,31})$/.test(seg) ? seg : ':id')).join('/');
}

/**
 * The route of a finished request for labels and span names: the matched pattern (`/v1/pix/:id`); behind a
 * catch-all (the BFF's `/api/*` proxy) the path with ids masked; never the raw path (ids, keys, e-mails).
 * A 404 behind a catch-all is `unmatched`, and past MAX_ROUTES distinct routes new ones are `other`.
 */
function routeOf(c: Context): string {
  const pattern = c.req.routePath;
  if (!pattern) return UNMATCHED;
  const wildcard = pattern.endsWith('*');
  if (wildcard && c.res.status === 404) return UNMATCHED;
  const route = wildcard ? pathTemplate(new URL(c.req.url).pathname) : pattern;
  if (seenRoutes.has(route)) return route;
  if (seenRoutes.size >= MAX_ROUTES) return 'other';
  seenRoutes.add(route);
  return route;
}

/**
 * Request rate, latency and errors per route (`http_requests_total`, `http_request_duration_seconds`), and the
 * route's name on the request's server span (`GET /v1/pix/:id`). Probes and /metrics are not counted.
 */
export function httpMetrics(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    let failed = false;
    try {
      await next();
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      const route = routeOf(c);
      if (route !== '/health' && route !== '/ready' && route !== '/metrics') {
        const labels = { method: c.req.method, route, status: String(failed && c.res.status < 500 ? 500 : c.res.status) };
        httpRequests.inc(labels);
        httpDuration.observe(labels, (performance.now() - started) / 1000);
        const span = trace.getActiveSpan();
        if (span && route !== UNMATCHED) {
          span.updateName(`${c.req.method} ${route}`);
          span.setAttribute('http.route', route);
        }
      }
    }
  };
}

/** The token of the local stack, docker-compose and the tests; production refuses it (see `metricsToken`). */
export const DEV_METRICS_TOKEN = 'krt-local-metrics-token';

/**
 * The bearer token Prometheus sends to scrape `/metrics`: `METRICS_TOKEN`, at least 16 characters. Without it the
 * development token applies, except when NODE_ENV=production, where start-up fails.
 */
export function metricsToken(env: Record<string, string | undefined> = process.env): string {
  const token = env.METRICS_TOKEN;
  if (token) {
    if (token.length < 16) throw new Error('invalid configuration: METRICS_TOKEN: at least 16 characters');
    return token;
  }
  if (env.NODE_ENV === 'production') throw new Error('invalid configuration: METRICS_TOKEN must be set in production');
  return DEV_METRICS_TOKEN;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * `GET /metrics` in the Prometheus text format (this process's registry), for a caller with the metrics bearer
 * token only: route names, counts and pool sizes are nobody else's business. Compared in constant time.
 */
export function metricsHandler(token: string) {
  const expected = digest(`Bearer ${token}`);
  return async (c: Context) => {
    if (!timingSafeEqual(digest(c.req.header('authorization') ?? ''), expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new AppError(401, 'METRICS_UNAUTHENTICATED', 'Acesso às métricas exige o token de métricas.');
    }
    return c.body(await renderMetrics(), 200, { 'content-type': METRICS_CONTENT_TYPE });
  };
}

/** What node-postgres's pool rejects with when no connection frees up within `connectionTimeoutMillis`. */
const PG_POOL_TIMEOUT = 'timeout exceeded when trying to connect';

export function errorResponse(c: Context, err: unknown, logger: Logger) {
  const correlation = (c.get('correlationId') as string | undefined) ?? undefined;
  // A refused body was not read to its end: close the connection, so the rest is never parsed as a next request.
  const status = err instanceof AppError || err instanceof HTTPException ? err.status : 500;
  if (status === 413) c.header('Connection', 'close');
  if (err instanceof AppError) {
    // Every limiter answers 429 through here: count the rejection by the limiter's error code.
    if (err.status === 429) rateLimited.inc({ limiter: labelValue(err.code, 'unknown') });
    if (err.details.retryAfterSeconds) c.header('Retry-After', String(err.details.retryAfterSeconds));
    for (const [name, value] of Object.entries(err.details.headers ?? {})) c.header(name, value);
    return c.json(problem(err.status, err.code, err.message, { correlationId: correlation, errors: err.details.errors, ...err.details.extra }), err.status, {
      'content-type': 'application/problem+json',
    });
  }
  if (err instanceof ZodError) {
    const e = Errors.validation(zodToFieldErrors(err));
    return errorResponse(c, e, logger);
  }
  if (err instanceof HTTPException) {
    const mapped: Record<number, [string, string]> = {
      400: ['BAD_REQUEST', 'Requisição inválida. Verifique os dados enviados.'],
      404: ['ROUTE_NOT_FOUND', 'Endereço não encontrado.'],
      405: ['METHOD_NOT_ALLOWED', 'Operação não permitida neste endereço.'],
      401: ['UNAUTHENTICATED', 'Sua sessão expirou ou não é válida. Entre novamente.'],
      413: ['PAYLOAD_TOO_LARGE', 'O conteúdo enviado é grande demais.'],
      504: ['TIMEOUT', 'A operação demorou demais. Tente novamente.'],
    };
    const [code, message] = mapped[status] ?? ['HTTP_ERROR', 'Não foi possível concluir a requisição.'];
    return c.json(problem(status, code, message, { correlationId: correlation }), status, { 'content-type': 'application/problem+json' });
  }
  // Every database connection busy for the pool's whole wait (overload): the customer may retry, it is not a bug.
  if (err instanceof Error && err.message === PG_POOL_TIMEOUT) {
    logger.warn({ correlationId: correlation, path: c.req.path }, 'database pool exhausted');
    return errorResponse(c, Errors.unavailable('postgres'), logger);
  }
  logger.error({ err, correlationId: correlation, path: c.req.path }, 'unhandled error');
  return c.json(problem(500, 'INTERNAL_ERROR', 'Ocorreu um erro inesperado. Tente novamente.', { correlationId: correlation }), 500, {
    'content-type': 'application/problem+json',
  });
}

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The services read JSON bodies only (and `multipart/form-data` on the paths listed in `formPaths`). A body announced
 * with another Content-Type is refused with 415 before any validator or handler sees it, so a form or a text body is
 * never read as an empty object. A missing body reaches the route's schema, which refuses it (422).
 */
export function jsonBodiesOnly(opts: { formPaths?: string[] } = {}): MiddlewareHandler<AppEnv> {
  const formPaths = new Set(opts.formPaths ?? []);
  return async (c, next) => {
    const type = c.req.header('content-type');
    if (type !== undefined && BODY_METHODS.has(c.req.method) && !JSON_TYPE.test(type)) {
      const form = formPaths.has(c.req.path) && /^multipart\/form-data\s*;/i.test(type);
      if (!form) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Envie os dados como JSON (Content-Type: application/json).');
    }
    // A JSON object with its own `constructor`, `prototype` or `__proto__` key is no body of this bank, and zod's object
    // check reads `constructor.prototype`: `{"constructor": null}` was a 500 (then an open breaker at the BFF).
    // Read from a copy: a route may read the body its own way (a form route answers JSON with its field errors).
    if (type !== undefined && BODY_METHODS.has(c.req.method) && JSON_TYPE.test(type)) {
      const body: unknown = await c.req.raw.clone().json().catch(() => undefined);
      const key = reservedKeyIn(body);
      if (key) throw Errors.validation([{ field: key, code: 'FIELD_NOT_ALLOWED', message: 'Campo não permitido.' }]);
    }
    await next();
  };
}

const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'];

/** The first own key of `value`, at any depth, that names an object's machinery (`__proto__`, `constructor`, `prototype`). */
function reservedKeyIn(value: unknown, depth = 0): string | undefined {
  if (value === null || typeof value !== 'object' || depth > 32) return undefined;
  for (const key of Object.keys(value)) {
    if (RESERVED_KEYS.includes(key)) return key;
    const inner = reservedKeyIn((value as Record<string, unknown>)[key], depth + 1);
    if (inner) return `${key}.${inner}`;
  }
  return undefined;
}

export interface ServiceAppOptions {
  service: string;
  logger: Logger;
  readiness: ReadinessCheck[];
  /** The bearer token `/metrics` asks for; `metricsToken()` (METRICS_TOKEN) when not given. */
  metricsToken?: string;
  /** An API that reads JSON bodies only, except `formPaths` (multipart): see `jsonBodiesOnly`. */
  jsonApi?: { formPaths?: string[] };
}

/** A Hono app with the shared middleware and the two probes. Routes are added by the caller. */
export function createServiceApp(opts: ServiceAppOptions) {
  initMetrics(opts.service);
  observeReadiness(opts.readiness);
  const app = new Hono<AppEnv>();
  app.use('*', httpMetrics());
  app.use('*', correlationId(opts.logger));
  app.use('*', requestLog());
  if (opts.jsonApi) app.use('*', jsonBodiesOnly(opts.jsonApi));
  app.get('/health', (c) => c.json({ status: 'ok', service: opts.service }));
  app.get('/metrics', metricsHandler(opts.metricsToken ?? metricsToken()));
  app.get('/ready', async (c) => {
    const report = await readinessReport(opts.readiness);
    return c.json({ service: opts.service, ...report }, report.status === 'ready' ? 200 : 503);
  });
  app.onError((err, c) => errorResponse(c, err, opts.logger));
  app.notFound((c) =>
    c.json(problem(404, 'ROUTE_NOT_FOUND', 'Endereço não encontrado.', { correlationId: c.get('correlationId') }), 404, { 'content-type': 'application/problem+json' }),
  );
  return app;
}

export interface RunningServer {
  server: ServerType;
  port: number;
  close(): Promise<void>;
}

/** Listens on `port` (0 = any free port) and resolves once listening. */
export function listen(app: { fetch: (req: Request) => Response | Promise<Response> }, port: number, hostname = '127.0.0.1'): Promise<RunningServer> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
      resolve({
        server,
        port: info.port,
        // Stop accepting, and drain keep-alive connections: a client that keeps sending on an open socket (a gateway's
        // pool) would otherwise hold close() open until the shutdown deadline. Each response now ends its connection.
        close: () =>
          new Promise<void>((r) => {
            const http1 = server as import('node:http').Server;
            http1.prependListener('request', (_req, res) => res.setHeader('Connection', 'close'));
            server.close(() => r());
            http1.closeIdleConnections?.();
          }),
      });
    });
  });
}

/** Runs `cleanup` once on SIGTERM/SIGINT, then exits; a hard deadline guarantees the exit. */
export function onShutdown(logger: Logger, cleanup: () => Promise<void>, deadlineMs = 20_000) {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown deadline passed, exiting');
      process.exit(1);
    }, deadlineMs).unref();
    cleanup().then(
      () => flushTelemetry().finally(() => process.exit(0)),
      (err) => {
        logger.error({ err }, 'error during shutdown');
        void flushTelemetry().finally(() => process.exit(1));
      },
    );
  };
  process.once('SIGTERM', () => handler('SIGTERM'));
  process.once('SIGINT', () => handler('SIGINT'));
}

/**
 * A small HTTP server with /health, /ready and /metrics for processes without an API (consumers, workers).
 * `port` 0 picks a free port.
 */
export async function startMetricsServer(opts: { service: string; logger: Logger; port: number; host?: string; readiness?: ReadinessCheck[] }): Promise<RunningServer> {
  const app = createServiceApp({ service: opts.service, logger: opts.logger, readiness: opts.readiness ?? [] });
  return listen(app, opts.port, opts.host ?? process.env.HOST ?? '127.0.0.1');
}
