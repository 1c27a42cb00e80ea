// One upstream service behind the BFF: N replicas balanced round-robin, an active health check that takes dead
// replicas out of the rotation, one retry on another replica when a connection is refused, and a circuit breaker +
// timeout for the whole replica set. An open breaker answers 503 with Retry-After at once.
// Each replica has its own undici Pool of keep-alive connections: undici's request API costs a fraction of what
// fetch costs per call (measured: ~0.07 against ~0.28 ms of CPU per small request on this machine), and the BFF makes
// one to six upstream calls per browser request. OpenTelemetry's undici instrumentation traces it like fetch.
import { AppError, Errors } from '@krt/platform/http';
import type { Logger } from '@krt/platform/telemetry';
import { BrokenCircuitError, CircuitState, TaskCancelledError, callWithBreaker, createBreaker } from '@krt/platform/resilience';
import { Pool } from 'undici';

export interface UpstreamPoolOptions {
  name: string;
  urls: string[];
  timeoutMs: number;
  /** Consecutive failures of the upstream (network errors, timeouts, 5xx) that open the breaker. Nothing a client causes counts. */
  breakerThreshold: number;
  /** How long the breaker stays open before one trial call goes through (half-open). */
  halfOpenAfterMs: number;
  /** Interval of the active health check (`GET /health` on each replica). 0 disables it. */
  healthIntervalMs: number;
  logger: Logger;
}

export interface UpstreamRequest {
  method: string;
  /** Path and query on the upstream, e.g. `/v1/accounts/me?x=1`. */
  path: string;
  headers: Headers;
  body?: Uint8Array;
}

export interface UpstreamResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
  /** Which replica answered. */
  replica: string;
}

interface Replica {
  url: string;
  pool: Pool;
  healthy: boolean;
  requests: number;
  failures: number;
}

/** A 5xx answer: counts as a failure for the breaker, but the browser still gets the upstream's problem document. */
class UpstreamServerError extends Error {
  constructor(readonly response: UpstreamResponse) {
    super(`upstream answered ${response.status}`);
  }
}

/**
 * The request could not even be built (a method or header the HTTP client refuses): the caller's fault, not the
 * upstream's. It never counts toward the breaker and answers 400.
 */
class UpstreamRequestRefused extends Error {
  constructor(readonly reason: unknown) {
    super(`request refused before sending: ${(reason as Error | undefined)?.message ?? String(reason)}`);
  }
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * After a broken connection (the replica may or may not have seen it) a request is sent again to another replica only
 * when a repeat cannot do anything twice: a safe method, or a write with an Idempotency-Key (the service answers a
 * repeated key with the first answer; a replica shutting down mid-request closes the connection this way).
 */
const mayResend = (req: UpstreamRequest) => IDEMPOTENT.has(req.method) || req.headers.has('idempotency-key');

function errorCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: string } } | undefined)?.cause;
  return cause?.code ?? (err as { code?: string } | undefined)?.code;
}

/** The request never reached the replica: safe to send it to another one, whatever the method. */
const neverDelivered = (err: unknown) => ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(errorCode(err) ?? '');
/** The connection broke; the replica may or may not have seen the request. */
const connectionBroke = (err: unknown) => ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED'].includes(errorCode(err) ?? '');
/** undici refusing the request itself (a method or header value it cannot send): the client's doing, not the upstream's. */
const CLIENT_SIDE = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH']);
/**
 * A failure of the transport: every network problem (refused, reset, DNS, TLS, a body cut short) comes with a system
 * or undici error code; an error without one, or with a code of the request's own making, is the client's doing.
 */
const transportFailure = (err: unknown) => {
  const code = errorCode(err);
  return code !== undefined && !CLIENT_SIDE.has(code);
};

/** undici's response headers (a value or a list per name) as a Fetch Headers. */
function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** A Fetch Headers as the plain object undici sends. */
function fromHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => (out[name] = value));
  return out;
}

/** What opens the breaker: timeouts (counted by the policy itself), unreachable replicas, broken connections and 5xx. */
export const isUpstreamFailure = (err: Error) => err instanceof UpstreamServerError || err instanceof NoReplicaLeft || transportFailure(err);

class NoReplicaLeft extends Error {
  constructor() {
    super('no replica to try');
  }
}

export class UpstreamPool {
  readonly name: string;
  private readonly replicas: Replica[];
  private next = 0;
  private readonly breaker;
  private openedAt = 0;
  private healthTimer: NodeJS.Timeout | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: UpstreamPoolOptions) {
    if (!opts.urls.length) throw new Error(`upstream ${opts.name}: no replica URLs`);
    this.name = opts.name;
    this.log = opts.logger.child({ upstream: opts.name });
    this.replicas = opts.urls.map((raw) => {
      const url = raw.replace(/\/$/, '');
      return { url, pool: new Pool(url, { connections: 128, keepAliveTimeout: 4_000 }), healthy: true, requests: 0, failures: 0 };
    });
    this.breaker = createBreaker({
      name: `upstream-${opts.name}`,
      consecutiveFailures: opts.breakerThreshold,
      halfOpenAfterMs: opts.halfOpenAfterMs,
      isFailure: isUpstreamFailure,
      logger: this.log,
    });
    this.breaker.onBreak(() => {
      this.openedAt = Date.now();
    });
  }

  /** Starts the active health check. */
  start() {
    if (this.opts.healthIntervalMs <= 0 || this.healthTimer) return this;
    const probe = () => void Promise.all(this.replicas.map((r) => this.probe(r)));
    probe();
    this.healthTimer = setInterval(probe, this.opts.healthIntervalMs);
    this.healthTimer.unref();
    return this;
  }

  stop() {
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.healthTimer = undefined;
    for (const r of this.replicas) void r.pool.close().catch(() => undefined);
  }

  get breakerState(): 'closed' | 'open' | 'half-open' {
    const s = this.breaker.state;
    return s === CircuitState.Closed ? 'closed' : s === CircuitState.HalfOpen ? 'half-open' : 'open';
  }

  /** Throws the 503 an open breaker gives, without any other work (no session lookup, no token refresh). */
  assertAvailable() {
    const s = this.breaker.state;
    // cockatiel moves to half-open lazily, on the next call after the wait: let that call through.
    const waiting = s === CircuitState.Isolated || (s === CircuitState.Open && Date.now() - this.openedAt < this.opts.halfOpenAfterMs);
    if (waiting) throw Errors.unavailable(this.name, this.retryAfterSeconds());
  }

  stats() {
    return {
      breaker: this.breakerState,
      replicas: this.replicas.map(({ url, healthy, requests, failures }) => ({ url, healthy, requests, failures })),
    };
  }

  private async probe(replica: Replica) {
    let healthy = false;
    try {
      const res = await replica.pool.request({ method: 'GET', path: '/health', signal: AbortSignal.timeout(Math.min(1000, Math.max(200, this.opts.healthIntervalMs))) });
      await res.body.arrayBuffer();
      healthy = res.statusCode >= 200 && res.statusCode < 300;
    } catch {
      healthy = false;
    }
    if (healthy !== replica.healthy) this.log.warn({ replica: replica.url, healthy }, 'replica health changed');
    replica.healthy = healthy;
  }

  /** Round-robin over healthy replicas not yet tried; when none is healthy, over the untried ones (the check may lag). */
  private pick(tried: Set<Replica>): Replica | undefined {
    const n = this.replicas.length;
    for (const wantHealthy of [true, false]) {
      for (let i = 0; i < n; i++) {
        const r = this.replicas[(this.next + i) % n]!;
        if (tried.has(r) || (wantHealthy && !r.healthy)) continue;
        this.next = (this.next + i + 1) % n;
        return r;
      }
    }
    return undefined;
  }

  private retryAfterSeconds() {
    const left = this.openedAt + this.opts.halfOpenAfterMs - Date.now();
    return Math.max(1, Math.ceil(left / 1000));
  }

  private async attempt(req: UpstreamRequest, signal: AbortSignal): Promise<UpstreamResponse> {
    const tried = new Set<Replica>();
    let lastError: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      const replica = this.pick(tried);
      if (!replica) break;
      tried.add(replica);
      replica.requests++;
      try {
        const res = await replica.pool.request({
          method: req.method as 'GET',
          path: req.path,
          headers: fromHeaders(req.headers),
          body: req.body && req.body.byteLength ? req.body : null,
          signal,
        });
        // Buffered inside the deadline: the timeout covers the whole answer, and a half-read body never reaches the browser.
        const body = new Uint8Array(await res.body.arrayBuffer());
        const response: UpstreamResponse = { status: res.statusCode, headers: toHeaders(res.headers), body, replica: replica.url };
        if (response.status >= 500 && response.status !== 501) {
          replica.failures++;
          throw new UpstreamServerError(response);
        }
        return response;
      } catch (err) {
        if (err instanceof UpstreamServerError || signal.aborted) throw err;
        if (!transportFailure(err)) throw new UpstreamRequestRefused(err);
        replica.failures++;
        lastError = err;
        if (neverDelivered(err)) {
          if (replica.healthy) this.log.warn({ replica: replica.url }, 'replica refused the connection; out of rotation until healthy');
          replica.healthy = false;
          continue;
        }
        if (connectionBroke(err) && mayResend(req)) continue;
        throw err;
      }
    }
    throw lastError ?? new NoReplicaLeft();
  }

  /**
   * Sends one request. Resolves with the upstream's answer (any status); rejects with a 503 AppError (with
   * Retry-After) when the breaker is open or every replica is unreachable, and 504 on timeout.
   */
  async request(req: UpstreamRequest): Promise<UpstreamResponse> {
    try {
      return await callWithBreaker(this.breaker, this.opts.timeoutMs, (signal) => this.attempt(req, signal));
    } catch (err) {
      if (err instanceof UpstreamServerError) return err.response;
      if (err instanceof UpstreamRequestRefused) {
        this.log.info({ err: (err.reason as Error | undefined)?.message }, 'request refused before reaching the upstream');
        throw new AppError(400, 'BAD_REQUEST', 'Requisição inválida. Verifique os dados enviados.');
      }
      if (err instanceof BrokenCircuitError) throw Errors.unavailable(this.name, this.retryAfterSeconds());
      if (err instanceof TaskCancelledError) {
        throw new AppError(504, 'UPSTREAM_TIMEOUT', 'O serviço demorou demais para responder. Tente novamente.', { extra: { dependency: this.name } });
      }
      this.log.warn({ err: (err as Error).message, code: errorCode(err) }, 'upstream unreachable');
      throw Errors.unavailable(this.name, 2);
    }
  }
}

export const splitUrls = (list: string) =>
  list
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
