// One upstream service behind the BFF: N replicas balanced round-robin, an active health check that takes dead
// replicas out of the rotation, one retry on another replica when a connection is refused, and a circuit breaker +
// timeout for the whole replica set. An open breaker answers 503 with Retry-After at once.
import { AppError, Errors } from '@krt/platform/errors';
import type { Logger } from '@krt/platform/logger';
import { BrokenCircuitError, CircuitState, TaskCancelledError, callWithBreaker, createBreaker } from '@krt/platform/resilience';

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

function errorCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: string } } | undefined)?.cause;
  return cause?.code ?? (err as { code?: string } | undefined)?.code;
}

/** The request never reached the replica: safe to send it to another one, whatever the method. */
const neverDelivered = (err: unknown) => ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(errorCode(err) ?? '');
/** The connection broke; the replica may or may not have seen the request. */
const connectionBroke = (err: unknown) => ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED'].includes(errorCode(err) ?? '');
/**
 * A failure of the transport: fetch reports every network problem (refused, reset, DNS, TLS, a body cut short) as a
 * TypeError with a `cause`, or with a system error code. A TypeError without either is fetch refusing the request
 * itself (e.g. `TRACE`, a header value it cannot send): that is the client's doing.
 */
const transportFailure = (err: unknown) => errorCode(err) !== undefined || (err instanceof Error && err.cause !== undefined) || (err instanceof Error && err.message === 'fetch failed');

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
    this.replicas = opts.urls.map((url) => ({ url: url.replace(/\/$/, ''), healthy: true, requests: 0, failures: 0 }));
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
      const res = await fetch(`${replica.url}/health`, { signal: AbortSignal.timeout(Math.min(1000, Math.max(200, this.opts.healthIntervalMs))) });
      await res.arrayBuffer();
      healthy = res.ok;
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
        const res = await fetch(`${replica.url}${req.path}`, {
          method: req.method,
          headers: req.headers,
          body: req.body && req.body.byteLength ? req.body : undefined,
          redirect: 'manual',
          signal,
        });
        // Buffered inside the deadline: the timeout covers the whole answer, and a half-read body never reaches the browser.
        const body = new Uint8Array(await res.arrayBuffer());
        const response: UpstreamResponse = { status: res.status, headers: res.headers, body, replica: replica.url };
        if (res.status >= 500 && res.status !== 501) {
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
        if (connectionBroke(err) && IDEMPOTENT.has(req.method)) continue;
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
