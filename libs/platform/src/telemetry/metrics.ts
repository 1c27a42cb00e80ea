// Prometheus metrics (prom-client), one registry per process, served at GET /metrics by every service app
// (createServiceApp) and by `startMetricsServer` for processes without HTTP. The platform adapters record the
// generic ones (HTTP, outbox, Kafka consumers, DB pools, breakers, rate limits). Business metrics belong to the
// service that knows the business: it registers its own counters on `registry` (libs/payments/src/shared/payments.metrics.ts,
// libs/notifications/src/notifications.metrics.ts), so nothing here knows a topic or a saga.
import type { Admin, Kafka } from 'kafkajs';
import type pg from 'pg';
import client from 'prom-client';
import { withDeadline } from '../resilience/deadline';
import { READINESS_TIMEOUT_MS, readinessReport, type ReadinessCheck, type ReadinessReport } from '../http/readiness';

// A registry of this module's own (not prom-client's global one): a process loads this module once, but a test runner
// that evaluates it again per test file in one process must not collide with the metrics of the previous evaluation.
export const registry = new client.Registry();
export const METRICS_CONTENT_TYPE = registry.contentType;

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

let initialised: string | undefined;

/** Names the process (`service` label on every metric) and turns on the Node.js runtime metrics. First call wins. */
export function initMetrics(service: string): void {
  if (initialised) return;
  initialised = service;
  registry.setDefaultLabels({ service: process.env.OTEL_SERVICE_NAME ?? service });
  client.collectDefaultMetrics({ register: registry });
}

/** A label value safe for Prometheus cardinality: short codes pass, anything else is `other`. */
export function labelValue(v: unknown, fallback = 'none'): string {
  if (v === undefined || v === null || v === '') return fallback;
  const s = String(v);
  return /^[A-Za-z0-9_.:-]{1,48}$/.test(s) ? s : 'other';
}

export const httpRequests = new client.Counter({
  name: 'http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status code.',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new client.Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency in seconds, by method, route pattern and status code.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const outboxPublished = new client.Counter({
  name: 'outbox_published_total',
  help: 'Outbox rows published to Kafka, by topic.',
  labelNames: ['topic'] as const,
  registers: [registry],
});

export const outboxPublishFailures = new client.Counter({
  name: 'outbox_publish_failures_total',
  help: 'Outbox publish attempts that failed (rows kept for retry).',
  registers: [registry],
});

export const outboxPublishDelay = new client.Histogram({
  name: 'outbox_publish_delay_seconds',
  help: 'Time from the outbox row commit to its publication on Kafka.',
  labelNames: ['topic'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

export const consumerMessages = new client.Counter({
  name: 'kafka_consumer_messages_total',
  help: 'Kafka messages handled by a consumer group, by outcome (processed, retried, dead_lettered).',
  labelNames: ['group', 'topic', 'outcome'] as const,
  registers: [registry],
});

export const consumerDuration = new client.Histogram({
  name: 'kafka_consumer_handle_duration_seconds',
  help: 'Time to handle one Kafka message (all attempts), by consumer group and topic.',
  labelNames: ['group', 'topic'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const inboxDuplicates = new client.Counter({
  name: 'inbox_duplicates_total',
  help: 'Redelivered events skipped by the inbox (already applied), by consumer.',
  labelNames: ['consumer'] as const,
  registers: [registry],
});

export const consumerRestarts = new client.Counter({
  name: 'kafka_consumer_supervised_restarts_total',
  help: 'Consumers run again by the consumer base, by consumer group and cause (crash: one kafkajs would not restart from; stall: no sign of life).',
  labelNames: ['group', 'cause'] as const,
  registers: [registry],
});

export const breakerState = new client.Gauge({
  name: 'circuit_breaker_state',
  help: 'Circuit breaker state: 0 closed, 1 open, 2 half-open, 3 isolated (cockatiel CircuitState).',
  labelNames: ['breaker'] as const,
  registers: [registry],
});

export const rateLimited = new client.Counter({
  name: 'rate_limit_rejections_total',
  help: 'Requests rejected by a rate limiter (429), by limiter (the problem code of the answer).',
  labelNames: ['limiter'] as const,
  registers: [registry],
});

/** Ready-made technical metrics for the services' own code. */
export const metrics = {
  /** `metrics.breakerState.set({ breaker }, CircuitState.Open)`; or `observeBreaker(name, policy)`. */
  breakerState,
  /** `metrics.rateLimited.inc({ limiter: 'login' })` */
  rateLimited,
} as const;

/** Keeps `circuit_breaker_state{breaker=name}` in step with a cockatiel breaker. */
export function observeBreaker(name: string, policy: { state: number; onStateChange: (fn: (state: number) => void) => unknown }): void {
  breakerState.set({ breaker: name }, policy.state);
  policy.onStateChange((state) => breakerState.set({ breaker: name }, state));
}

// --- Readiness ------------------------------------------------------------------------------------------------

interface ReadinessSource {
  checks: ReadinessCheck[];
  timeoutMs: number;
  cacheMs: number;
  last?: { at: number; report: ReadinessReport };
  pending?: Promise<ReadinessReport>;
}
let readiness: ReadinessSource = { checks: [], timeoutMs: READINESS_TIMEOUT_MS, cacheMs: 2000 };

/**
 * Exports `process_ready` (1 ready, 0 not) and `process_ready_check{check}` (1 up, 0 down) from the same checks as
 * /ready, evaluated when /metrics is scraped. Each check keeps its short deadline (a slow dependency cannot hold the
 * scrape longer), and one result serves every scrape for `cacheMs` so a scrape does not double the probes' load.
 * Called by createServiceApp; the last non-empty set of checks wins (a process has one).
 */
export function observeReadiness(checks: ReadinessCheck[], opts: { timeoutMs?: number; cacheMs?: number } = {}): void {
  if (!checks.length && readiness.checks.length) return;
  readiness = { checks, timeoutMs: opts.timeoutMs ?? READINESS_TIMEOUT_MS, cacheMs: opts.cacheMs ?? 2000 };
}

function currentReadiness(): Promise<ReadinessReport> {
  const src = readiness;
  if (src.last && Date.now() - src.last.at < src.cacheMs) return Promise.resolve(src.last.report);
  src.pending ??= readinessReport(src.checks, src.timeoutMs)
    .then((report) => {
      src.last = { at: Date.now(), report };
      return report;
    })
    .finally(() => {
      src.pending = undefined;
    });
  return src.pending;
}

new client.Gauge({
  name: 'process_ready',
  help: 'Whether the process is ready (1) or not (0): every readiness check of /ready passed, evaluated at scrape time.',
  registers: [registry],
  async collect() {
    const report = await currentReadiness();
    this.set(report.status === 'ready' ? 1 : 0);
  },
});

new client.Gauge({
  name: 'process_ready_check',
  help: 'Readiness of each dependency the process checks for /ready: 1 up, 0 down (no answer within the check deadline counts as down).',
  labelNames: ['check'] as const,
  registers: [registry],
  async collect() {
    const report = await currentReadiness();
    this.reset();
    for (const [check, state] of Object.entries(report.checks)) this.set({ check: labelValue(check, 'unnamed') }, state === 'up' ? 1 : 0);
  },
});

// --- DB pools ------------------------------------------------------------------------------------------------

const pools = new Map<string, pg.Pool>();

/** Reports `db_pool_connections{pool,state}` (total, idle, waiting, max) for a pg pool. Idempotent per pool name. */
export function observePool(pool: pg.Pool, name?: string): void {
  const label = name ?? (pool as unknown as { options?: { application_name?: string } }).options?.application_name ?? 'default';
  pools.set(label, pool);
}

new client.Gauge({
  name: 'db_pool_connections',
  help: 'PostgreSQL pool connections by state: total (open), idle, waiting (queued requests), max (pool size).',
  labelNames: ['pool', 'state'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const [name, pool] of pools) {
      const max = (pool as unknown as { options?: { max?: number } }).options?.max ?? 10;
      this.set({ pool: name, state: 'total' }, pool.totalCount);
      this.set({ pool: name, state: 'idle' }, pool.idleCount);
      this.set({ pool: name, state: 'waiting' }, pool.waitingCount);
      this.set({ pool: name, state: 'max' }, max);
    }
  },
});

// --- Outbox backlog -------------------------------------------------------------------------------------------

const outboxes = new Map<string, pg.Pool>();

/** Reports the unpublished outbox rows and the age of the oldest one for this database. */
export function observeOutbox(pool: pg.Pool, name?: string): void {
  observePool(pool, name);
  const label = name ?? (pool as unknown as { options?: { application_name?: string } }).options?.application_name ?? 'default';
  outboxes.set(label, pool);
}

interface OutboxStats {
  rows: number;
  age: number;
}
const outboxStats = new Map<string, OutboxStats>();

let refreshing: Promise<void> | undefined;

/** One query per outbox per scrape, shared by the two outbox gauges (a scrape collects them concurrently). */
function refreshOutboxStats(): Promise<void> {
  refreshing ??= Promise.all(
    [...outboxes].map(async ([name, pool]) => {
      try {
        const { rows } = await pool.query<{ n: string; age: string | null }>(
          'SELECT count(*)::text AS n, EXTRACT(EPOCH FROM now() - min(created_at))::text AS age FROM outbox WHERE published_at IS NULL',
        );
        outboxStats.set(name, { rows: Number(rows[0]?.n ?? 0), age: Number(rows[0]?.age ?? 0) });
      } catch {
        // keep the last values: a scrape must not fail because the database is down
      }
    }),
  ).then(
    () => {
      refreshing = undefined;
    },
    () => {
      refreshing = undefined;
    },
  );
  return refreshing;
}

new client.Gauge({
  name: 'outbox_unpublished_rows',
  help: 'Outbox rows not yet published to Kafka (backlog).',
  labelNames: ['outbox'] as const,
  registers: [registry],
  async collect() {
    await refreshOutboxStats();
    this.reset();
    for (const [name, s] of outboxStats) this.set({ outbox: name }, s.rows);
  },
});

new client.Gauge({
  name: 'outbox_oldest_unpublished_age_seconds',
  help: 'Age in seconds of the oldest unpublished outbox row (0 when the backlog is empty).',
  labelNames: ['outbox'] as const,
  registers: [registry],
  async collect() {
    await refreshOutboxStats();
    this.reset();
    for (const [name, s] of outboxStats) this.set({ outbox: name }, s.age);
  },
});

// --- Kafka consumer lag ---------------------------------------------------------------------------------------

interface TrackedGroup {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  admin?: Admin;
  lag: Map<string, number>;
}
const groups = new Map<string, TrackedGroup>();

/**
 * Reports `kafka_consumer_lag{group,topic}` = sum over partitions of (latest offset − committed offset). A partition
 * the group has never committed counts from its earliest offset when the group reads from the beginning, else as 0.
 */
export function trackConsumerLag(kafka: Kafka, groupId: string, topics: string[], fromBeginning = true): () => Promise<void> {
  const tracked: TrackedGroup = { kafka, groupId, topics, fromBeginning, lag: new Map() };
  groups.set(groupId, tracked);
  return async () => {
    if (groups.get(groupId) === tracked) groups.delete(groupId);
    await tracked.admin?.disconnect().catch(() => undefined);
  };
}

export async function computeLag(admin: Admin, groupId: string, topics: string[], fromBeginning = true): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const committed = await admin.fetchOffsets({ groupId, topics });
  for (const t of committed) {
    const latest = await admin.fetchTopicOffsets(t.topic);
    let lag = 0;
    for (const p of latest) {
      const c = t.partitions.find((x) => x.partition === p.partition);
      const high = Number(p.high ?? p.offset);
      const low = Number(p.low ?? 0);
      const done = c && Number(c.offset) >= 0 ? Number(c.offset) : fromBeginning ? low : high;
      lag += Math.max(0, high - done);
    }
    out.set(t.topic, lag);
  }
  return out;
}


new client.Gauge({
  name: 'kafka_consumer_lag',
  help: 'Messages not yet consumed by a consumer group, per topic (latest offset minus committed offset).',
  labelNames: ['group', 'topic'] as const,
  registers: [registry],
  async collect() {
    await Promise.all(
      [...groups.values()].map(async (g) => {
        try {
          if (!g.admin) {
            g.admin = g.kafka.admin({ retry: { retries: 0 } });
            await withDeadline(g.admin.connect(), 2000, 'consumer lag: Kafka admin connect');
          }
          g.lag = await withDeadline(computeLag(g.admin, g.groupId, g.topics, g.fromBeginning), 3000, 'consumer lag: offsets');
        } catch {
          const stale = g.admin;
          g.admin = undefined;
          await stale?.disconnect().catch(() => undefined);
        }
      }),
    );
    this.reset();
    for (const g of groups.values()) for (const [topic, lag] of g.lag) this.set({ group: g.groupId, topic }, lag);
  },
});

/** The exposition text of this process's registry. */
export function renderMetrics(): Promise<string> {
  return registry.metrics();
}
