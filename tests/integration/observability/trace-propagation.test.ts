// One trace across HTTP → outbox row → relay → Kafka → consumer, in process against the real PostgreSQL and Kafka,
// spans collected by an in-memory exporter. Also: the same request's metrics and log lines.
import { TOPICS } from '@krt/contracts';
import { STACK_DEFAULTS } from '@krt/platform/config';
import { startConsumer, type RunningConsumer, createKafka, enqueue, OutboxRelay } from '@krt/platform/messaging';
import { withTransaction, type Pool } from '@krt/platform/persistence';
import { createServiceApp, DEV_METRICS_TOKEN, listen, type RunningServer } from '@krt/platform/http';
import { traceFields, InMemorySpanExporter, startTelemetry, type ReadableSpan, type TelemetryHandle } from '@krt/platform/telemetry';
import { eventually } from '@krt/testing';
import { capturedLogger } from '../../support/captured-logger';
import { createPrivateOutbox, type PrivateOutbox } from '../../support/private-outbox';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue, parsePrometheus } from './prometheus-text';

const TOPIC = 'stack.healthcheck';

const exporter = new InMemorySpanExporter();
let telemetry: TelemetryHandle;
let outbox: PrivateOutbox;
let pool: Pool;
let server: RunningServer;
let consumer: RunningConsumer;
let relay: OutboxRelay;
let lines: string[] = [];
const handled = new Map<string, { traceId?: string; spanId?: string }>();

beforeAll(async () => {
  telemetry = startTelemetry({ service: 'obs-test', exporters: [exporter] });
  // A private schema with its own outbox/inbox, so the test's rows never reach the services' relays.
  outbox = await createPrivateOutbox('obs');
  pool = outbox.pool;

  const { logger, lines: logged } = capturedLogger('obs-test', 'info');
  lines = logged;

  const kafka = createKafka('obs-test', STACK_DEFAULTS.kafkaBrokers);
  relay = new OutboxRelay({ pool, connectionString: outbox.url, kafka, logger, pollIntervalMs: 200 });
  consumer = await startConsumer({
    kafka,
    groupId: `obs-test-${outbox.schema}`,
    topics: [TOPIC],
    fromBeginning: false,
    logger,
    handle: async (envelope) => {
      if (envelope.aggregateId.startsWith('obs-')) {
        handled.set(envelope.aggregateId, traceFields());
        logger.info({ eventId: envelope.eventId }, 'obs test event handled');
      }
    },
  });
  await eventually(async () => (await consumer.consumer.describeGroup()).state === 'Stable', { timeoutMs: 30_000, what: 'consumer group joined' });
  await relay.start();

  const app = createServiceApp({ service: 'obs-test', logger, readiness: [] });
  app.post('/v1/things/:id', async (c) => {
    const body = await c.req.json<Record<string, string>>();
    c.var.log.info({ body, note: `signup of ${body.email} cpf ${body.document}` }, 'creating thing');
    await withTransaction(pool, async (client) => {
      const env = await enqueue(client, {
        topic: TOPICS.fraudCleared,
        key: `acc-${c.req.param('id')}`,
        aggregateId: `obs-${c.req.param('id')}`,
        correlationId: c.var.correlationId,
        payload: { transferId: randomUUID(), payer: { customerId: randomUUID(), accountId: randomUUID() }, decision: 'APPROVED', score: 0, reasons: [] },
      });
      // Published on a topic no service consumes (the row keeps its envelope and traceparent).
      await client.query('UPDATE outbox SET topic = $2 WHERE event_id = $1', [env.eventId, TOPIC]);
    });
    return c.json({ ok: true }, 201);
  });
  server = await listen(app, 0);
}, 120_000);

afterAll(async () => {
  await relay?.stop();
  await consumer?.stop();
  await server?.close();
  await outbox?.drop();
  await telemetry?.shutdown();
});

const byId = (spans: ReadableSpan[]) => new Map(spans.map((s) => [s.spanContext().spanId, s]));

describe('Trace context through HTTP, the outbox and Kafka (in process, real PostgreSQL and Kafka)', () => {
  const id = randomUUID().slice(0, 8);
  const incomingTrace = randomUUID().replace(/-/g, '');
  const secrets = { cpf: '52998224725', email: `obs.${id}@example.com`, password: 'S3nha-Muito-Secreta!', token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvYnMifQ.c2lnbmF0dXJl' };

  it('when a request writes an outbox row, then the relay publish span and the consumer span continue the request trace, parent links intact', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/v1/things/${id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${incomingTrace}-00f067aa0ba902b7-01`, 'x-correlation-id': `corr-${id}` },
      body: JSON.stringify({ name: 'x', document: secrets.cpf, email: secrets.email, password: secrets.password, token: secrets.token, authorization: `Bearer ${secrets.token}` }),
    });
    expect(res.status).toBe(201);

    const seen = await eventually(async () => handled.get(`obs-${id}`), { timeoutMs: 30_000, what: 'consumer handled the event' });
    await telemetry.forceFlush();
    const spans = await eventually(async () => {
      const all = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === incomingTrace);
      return all.some((s) => s.name === `process ${TOPIC}`) ? all : undefined;
    }, { what: 'consumer span exported' });

    const serverSpan = spans.find((s) => s.name === 'POST /v1/things/:id');
    const publish = spans.find((s) => s.name === `publish ${TOPIC}`);
    const processSpan = spans.find((s) => s.name === `process ${TOPIC}`);
    expect(serverSpan, 'the HTTP server span, named by its route').toBeDefined();
    expect(publish).toBeDefined();
    expect(processSpan).toBeDefined();
    // The incoming W3C traceparent is the server span's parent; the rest chain below it.
    expect(serverSpan!.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(publish!.parentSpanContext?.spanId).toBe(serverSpan!.spanContext().spanId);
    expect(processSpan!.parentSpanContext?.spanId).toBe(publish!.spanContext().spanId);
    // The handler ran inside the consumer span (its log lines carry that span's ids).
    expect(seen).toEqual({ traceId: incomingTrace, spanId: processSpan!.spanContext().spanId });
    // Every span of the trace has its parent in the trace (besides the incoming remote parent).
    const index = byId(spans);
    for (const s of spans) {
      const parent = s.parentSpanContext?.spanId;
      expect(parent === '00f067aa0ba902b7' || index.has(parent!), `${s.name} has its parent in the trace`).toBe(true);
    }
    // Database calls made while handling the request are in the trace too (pg auto-instrumentation).
    expect(spans.some((s) => s.name.startsWith('pg.query') && s.parentSpanContext?.spanId === serverSpan!.spanContext().spanId)).toBe(true);
  });

  it('when the request has been handled, then its log lines carry the correlation id and trace id, and no CPF, e-mail, password or token', () => {
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const requestLine = parsed.find((l) => l.msg === 'request' && l.path === '/v1/things/:id' && l.correlationId === `corr-${id}`);
    expect(requestLine).toBeDefined();
    expect(requestLine!.traceId).toBe(incomingTrace);
    expect(requestLine!.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(requestLine!.service).toBe('obs-test');
    expect(requestLine!.level).toBe('info');
    const handlerLine = parsed.find((l) => l.msg === 'creating thing' && l.correlationId === `corr-${id}`);
    expect(handlerLine?.traceId).toBe(incomingTrace);
    expect(parsed.find((l) => l.msg === 'obs test event handled')?.traceId).toBe(incomingTrace);
    const all = lines.join('\n');
    for (const secret of Object.values(secrets)) expect(all).not.toContain(secret);
    expect(all).not.toContain('529.982.247-25');
  });

  it('when the request and the event have been handled, then /metrics shows them by route, topic and consumer group', async () => {
    // The relay counts a row once its COMMIT is done, which may come a moment after the consumer saw the message.
    const samples = await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`, { headers: { authorization: `Bearer ${DEV_METRICS_TOKEN}` } });
      expect(res.headers.get('content-type')).toContain('text/plain');
      const parsed = parsePrometheus(await res.text());
      return metricValue(parsed, 'outbox_published_total', { topic: TOPIC }) ? parsed : undefined;
    }, { what: 'outbox_published_total counted' });
    expect(metricValue(samples, 'http_requests_total', { method: 'POST', route: '/v1/things/:id', status: '201' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(samples, 'http_request_duration_seconds_count', { route: '/v1/things/:id' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(samples, 'http_request_duration_seconds_bucket', { route: '/v1/things/:id', le: '+Inf' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(samples, 'outbox_published_total', { topic: TOPIC })).toBeGreaterThanOrEqual(1);
    expect(metricValue(samples, 'outbox_unpublished_rows', { outbox: 'obs-test' })).toBe(0);
    expect(metricValue(samples, 'outbox_oldest_unpublished_age_seconds', { outbox: 'obs-test' })).toBe(0);
    expect(metricValue(samples, 'kafka_consumer_messages_total', { group: `obs-test-${outbox.schema}`, topic: TOPIC, outcome: 'processed' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(samples, 'kafka_consumer_lag', { group: `obs-test-${outbox.schema}`, topic: TOPIC })).toBeGreaterThanOrEqual(0);
    expect(metricValue(samples, 'db_pool_connections', { pool: 'obs-test', state: 'max' })).toBe(4);
  });
});
