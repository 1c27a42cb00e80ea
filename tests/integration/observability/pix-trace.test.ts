// One PIX through the running stack (BFF → payments → payments-relay → Kafka → fraud consumer → payment consumer →
// notification consumer → RabbitMQ → notification worker), read back from the span files every process writes
// (.stack/traces/<process>.jsonl) and from every process's /metrics.
import { eventually, passwordGrant } from '@krt/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestKit, newBankCustomer, PASSWORD, TEST_PIN } from '../bff/bff-test-kit';
import { metricValue } from './prometheus-text';
import { logOffsets, logsSince, PIX_PATH, runningInstances, scrape, spansOfTrace, tracedPix, traceOffsets } from './stack-kit';
import type { SpanLine } from '@krt/platform/telemetry';

const TRACE_ID = randomBytes(16).toString('hex');
const BROWSER_SPAN = randomBytes(8).toString('hex');
const CORRELATION_ID = `obs-pix-${randomUUID()}`;


let spans: SpanLine[] = [];
let logs = new Map<string, string>();
/** Personal data and secrets that went through the stack during this test. */
const secrets: string[] = [];

beforeAll(async () => {
  const offsets = traceOffsets();
  const logStart = logOffsets();
  const [alice, bob] = await Promise.all([newBankCustomer(), newBankCustomer()]);
  // A bearer token straight to payments, too (the BFF keeps the session's tokens server-side).
  const { access_token } = await passwordGrant(alice.cpf, PASSWORD);
  const direct = await fetch('http://127.0.0.1:5002/v1/accounts/me', { headers: { authorization: `Bearer ${access_token}`, 'x-correlation-id': CORRELATION_ID } });
  expect(direct.status).toBe(200);
  const fmt = (cpf: string) => `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
  secrets.push(alice.cpf, bob.cpf, fmt(alice.cpf), fmt(bob.cpf), PASSWORD, access_token, `bff-${alice.customerId.slice(0, 8)}@teste.krt.dev`, `bff-${bob.customerId.slice(0, 8)}@teste.krt.dev`);
  // The "browser" starts the trace: its traceparent is the parent of the BFF's server span.
  await tracedPix(alice, bob, {
    deposit: '80.00',
    amount: '21.50',
    description: 'Rastreamento',
    traceparent: `00-${TRACE_ID}-${BROWSER_SPAN}-01`,
    headers: { 'x-correlation-id': CORRELATION_ID },
  });
  // Spans are exported in batches (~0.5 s) by each process; wait until the last hop (the worker's delivery) is on disk.
  spans = await eventually(
    async () => {
      const found = spansOfTrace(TRACE_ID, offsets);
      const services = new Set(found.map((s) => s.service));
      return PIX_PATH.every((s) => services.has(s)) && found.some((s) => s.service === 'notification-worker' && s.kind === 'CONSUMER') ? found : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 1000, what: `spans of trace ${TRACE_ID} from ${PIX_PATH.join(', ')}` },
  );
  // A little longer for stragglers (e.g. the second notification of the receiver), then read everything once more.
  await new Promise((r) => setTimeout(r, 1500));
  spans = spansOfTrace(TRACE_ID, offsets);
  logs = logsSince(logStart);
}, 180_000);

afterAll(async () => {
  await closeTestKit();
});

const one = (pred: (s: SpanLine) => boolean, what: string) => {
  const hit = spans.find(pred);
  expect(hit, what).toBeDefined();
  return hit!;
};

describe('One PIX is one trace across every process (stack processes, span files)', () => {
  it('when a PIX is sent through the BFF, then the BFF, payments, the relay, the fraud, payment and notification consumers and the notification worker share its trace id', () => {
    const services = new Set(spans.map((s) => s.service));
    for (const service of PIX_PATH) expect(services, `spans from ${service}`).toContain(service);
    expect(spans.every((s) => s.traceId === TRACE_ID)).toBe(true);
  });

  it('when the trace is read back, then every span has its parent in the trace, and the chain follows the saga step by step', () => {
    const ids = new Map(spans.map((s) => [s.spanId, s]));
    for (const s of spans) {
      if (s.parentSpanId === BROWSER_SPAN) continue;
      expect(s.parentSpanId && ids.has(s.parentSpanId), `${s.service} "${s.name}" has its parent (${s.parentSpanId}) in the trace`).toBe(true);
    }
    // Exactly one root below the browser: the BFF's server span.
    const roots = spans.filter((s) => s.parentSpanId === BROWSER_SPAN);
    expect(roots.map((s) => `${s.service} ${s.kind}`)).toEqual(['bff SERVER']);

    const parentOf = (s: SpanLine) => ids.get(s.parentSpanId!)!;
    const bffServer = roots[0]!;
    expect(bffServer.name).toBe('POST /api/v1/pix/transfers');
    const paymentsServer = one((s) => s.service === 'payments' && s.kind === 'SERVER' && s.name === 'POST /v1/pix/transfers', 'payments server span');
    // payments ← the BFF's fetch client span ← the BFF's server span
    expect(parentOf(paymentsServer).service).toBe('bff');
    expect(parentOf(paymentsServer).kind).toBe('CLIENT');
    expect(parentOf(parentOf(paymentsServer)).spanId).toBe(bffServer.spanId);

    // pix.initiated: relay publish (child of the request that wrote the row) → fraud consumer
    const publishInitiated = one((s) => s.name === 'publish pix.initiated', 'relay publish of pix.initiated');
    expect(publishInitiated.parentSpanId).toBe(paymentsServer.spanId);
    const fraud = one((s) => s.service === 'payments-fraud-consumer' && s.name === 'process pix.initiated', 'fraud consumer span');
    expect(fraud.parentSpanId).toBe(publishInitiated.spanId);

    // fraud.cleared: written by the fraud consumer → relay → payment consumer
    const publishCleared = one((s) => s.name === 'publish fraud.cleared', 'relay publish of fraud.cleared');
    expect(publishCleared.parentSpanId).toBe(fraud.spanId);
    const settle = one((s) => s.service === 'payments-payment-consumer' && s.name === 'process fraud.cleared', 'payment consumer span');
    expect(settle.parentSpanId).toBe(publishCleared.spanId);

    // pix.completed: written by the payment consumer → relay → notification consumer → RabbitMQ → worker
    const publishCompleted = one((s) => s.name === 'publish pix.completed', 'relay publish of pix.completed');
    expect(publishCompleted.parentSpanId).toBe(settle.spanId);
    const notify = one((s) => s.service === 'notification-consumer' && s.name === 'process pix.completed', 'notification consumer span');
    expect(notify.parentSpanId).toBe(publishCompleted.spanId);
    const amqpPublish = one((s) => s.service === 'notification-consumer' && s.kind === 'PRODUCER', 'RabbitMQ publish span');
    const delivery = one((s) => s.service === 'notification-worker' && s.kind === 'CONSUMER', 'worker delivery span');
    expect(spans.filter((s) => s.service === 'notification-worker' && s.kind === 'CONSUMER').every((d) => ids.get(d.parentSpanId!)?.kind === 'PRODUCER')).toBe(true);
    expect(ids.get(delivery.parentSpanId!)?.service).toBe('notification-consumer');
    expect(amqpPublish.attributes['messaging.system']).toBe('rabbitmq');

    // Database work shows up inside the steps (pg auto-instrumentation), e.g. the settlement's queries.
    expect(spans.some((s) => s.service === 'payments-payment-consumer' && s.name.startsWith('pg.query') && s.parentSpanId === settle.spanId)).toBe(true);
  });

  it("when the PIX went through the stack, then the BFF's and payments' request log lines carry its correlation id and trace id", () => {
    const lines = (name: string) =>
      (logs.get(name) ?? '')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const bffLine = lines('bff').find((l) => l.msg === 'request' && l.correlationId === CORRELATION_ID && l.method === 'POST');
    expect(bffLine, 'the BFF request line').toMatchObject({ service: 'bff', level: 'info', traceId: TRACE_ID, status: 202 });
    expect(bffLine!.spanId).toMatch(/^[0-9a-f]{16}$/);
    const paymentsLines = [...logs.keys()].filter((k) => k === 'payments' || /^payments-\d+$/.test(k)).flatMap(lines);
    const paymentsLine = paymentsLines.find((l) => l.msg === 'request' && l.correlationId === CORRELATION_ID && l.traceId === TRACE_ID);
    expect(paymentsLine, 'the payments request line of the same PIX').toMatchObject({ service: 'payments', method: 'POST', path: '/v1/pix/transfers', status: 202 });
    // Consumers log with the same trace id while they handle the PIX's events.
    expect(lines('payments-payment-consumer').some((l) => l.traceId === TRACE_ID)).toBe(true);
  });

  it('when CPFs, e-mails, a password and a bearer token went through the stack, then no process logged any of them', () => {
    expect(logs.size).toBeGreaterThan(5);
    for (const [name, text] of logs) {
      for (const secret of secrets) expect(text.includes(secret), `${name} log contains a secret (${secret.slice(0, 4)}…)`).toBe(false);
    }
  });

  it('when the PIX carried the transaction PIN, then no log line of any process and no span of its trace holds it', () => {
    // The PIN next to its name ("pin":"4721", pin=4721): four digits alone are too common to search for.
    const pinField = new RegExp(`pin\\W{0,6}${TEST_PIN}`, 'i');
    for (const [name, text] of logs) expect(pinField.test(text), `${name} log contains the PIN`).toBe(false);
    for (const s of spans) expect(pinField.test(JSON.stringify(s)), `${s.service} span "${s.name}" contains the PIN`).toBe(false);
  });

  it('when the PIX has completed, then /metrics on each process shows it with non-zero values', async () => {
    const instances = runningInstances();
    const byApp = new Map<string, Awaited<ReturnType<typeof scrape>>['samples']>();
    for (const inst of instances) {
      const { samples } = await scrape(inst.port);
      byApp.set(inst.app, [...(byApp.get(inst.app) ?? []), ...samples]);
    }
    for (const app of [...PIX_PATH, 'onboarding', 'onboarding-relay', 'notifications', 'payments-account-consumer']) expect(byApp.has(app), `${app} is running and scraped`).toBe(true);
    const m = (app: string, name: string, labels: Record<string, string> = {}) => metricValue(byApp.get(app)!, name, labels) ?? 0;

    // HTTP: rate, latency histogram and errors per route (errors: the status label).
    expect(m('bff', 'http_requests_total', { method: 'POST', route: '/api/v1/pix/transfers', status: '202' })).toBeGreaterThan(0);
    expect(m('bff', 'http_request_duration_seconds_count', { route: '/api/v1/pix/transfers' })).toBeGreaterThan(0);
    expect(m('payments', 'http_requests_total', { method: 'POST', route: '/v1/pix/transfers', status: '202' })).toBeGreaterThan(0);
    expect(m('payments', 'http_request_duration_seconds_bucket', { route: '/v1/pix/transfers', le: '+Inf' })).toBeGreaterThan(0);
    // Outbox (the relay's own process): published per topic, backlog and age gauges present.
    expect(m('payments-relay', 'outbox_published_total', { topic: 'pix.initiated' })).toBeGreaterThan(0);
    expect(m('payments-relay', 'outbox_published_total', { topic: 'pix.completed' })).toBeGreaterThan(0);
    expect(metricValue(byApp.get('payments-relay')!, 'outbox_unpublished_rows')).toBeDefined();
    expect(metricValue(byApp.get('payments-relay')!, 'outbox_oldest_unpublished_age_seconds')).toBeDefined();
    // Saga outcomes and fraud decisions (derived by the relay from the events it publishes).
    expect(m('payments-relay', 'pix_saga_outcomes_total', { result: 'completed' })).toBeGreaterThan(0);
    expect(m('payments-relay', 'fraud_decisions_total', { decision: 'APPROVED' })).toBeGreaterThan(0);
    // Consumers: messages handled per group and lag per group.
    expect(m('payments-fraud-consumer', 'kafka_consumer_messages_total', { topic: 'pix.initiated', outcome: 'processed' })).toBeGreaterThan(0);
    expect(m('payments-payment-consumer', 'kafka_consumer_messages_total', { topic: 'fraud.cleared', outcome: 'processed' })).toBeGreaterThan(0);
    expect(m('notification-consumer', 'kafka_consumer_messages_total', { topic: 'pix.completed', outcome: 'processed' })).toBeGreaterThan(0);
    for (const app of ['payments-fraud-consumer', 'payments-payment-consumer', 'notification-consumer']) {
      expect(metricValue(byApp.get(app)!, 'kafka_consumer_lag'), `${app} reports its lag`).toBeDefined();
    }
    // Notifications delivered by the worker.
    expect(m('notification-worker', 'notifications_total', { outcome: 'delivered' })).toBeGreaterThan(0);
    // Circuit breakers of the BFF's upstreams (0 = closed) and DB pools in use.
    expect(metricValue(byApp.get('bff')!, 'circuit_breaker_state', { breaker: 'upstream-payments' })).toBe(0);
    expect(m('payments', 'db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    expect(m('payments-payment-consumer', 'db_pool_connections', { state: 'max' })).toBeGreaterThan(0);
  });
});
