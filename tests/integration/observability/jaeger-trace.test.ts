// One PIX's trace read back from the stack's trace store: Jaeger (scripts/stack/jaeger.mjs), which every stack process
// exports to over OTLP/HTTP (stackEnv in scripts/stack/apps.mjs), queried by trace id through its HTTP API.
import { randomBytes } from 'node:crypto';
import { eventually } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JAEGER_QUERY_URL, jaeger } from '../../../scripts/stack/jaeger.mjs';
import { closeTestKit, newBankCustomer, PASSWORD, TEST_PIN } from '../bff/bff-test-kit';
import { PIX_PATH, spansOfTrace, tracedPix, traceOffsets } from './stack-kit';

/** A span as Jaeger's query API returns it (GET /api/traces/<traceId>). */
interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: Array<{ refType: string; traceID: string; spanID: string }>;
  processID: string;
  tags: Array<{ key: string; type: string; value: unknown }>;
  service: string;
}

const TRACE_ID = randomBytes(16).toString('hex');
const BROWSER_SPAN = randomBytes(8).toString('hex');


/** The trace from Jaeger's API, each span with its process's service name; undefined while Jaeger does not know it. */
async function jaegerTrace(traceId: string): Promise<JaegerSpan[] | undefined> {
  const res = await fetch(`${JAEGER_QUERY_URL}/api/traces/${traceId}`, { signal: AbortSignal.timeout(5000) });
  if (res.status === 404) return undefined;
  expect(res.status).toBe(200);
  const body = (await res.json()) as { data: Array<{ spans: Omit<JaegerSpan, 'service'>[]; processes: Record<string, { serviceName: string }> }> };
  const trace = body.data[0];
  if (!trace) return undefined;
  return trace.spans.map((s) => ({ ...s, service: trace.processes[s.processID]?.serviceName ?? '?' }));
}

const kindOf = (s: JaegerSpan) => s.tags.find((t) => t.key === 'span.kind')?.value;
const parentOf = (s: JaegerSpan) => s.references.find((r) => r.refType === 'CHILD_OF')?.spanID;

let spans: JaegerSpan[] = [];
let fileSpanIds: string[] = [];
const secrets: string[] = [];

beforeAll(async () => {
  expect(await jaeger.healthy(), 'the stack runs Jaeger (node scripts/stack.mjs up jaeger)').toBe(true);
  const offsets = traceOffsets();
  const [alice, bob] = await Promise.all([newBankCustomer(), newBankCustomer()]);
  secrets.push(alice.cpf, bob.cpf, PASSWORD);
  // The "browser" starts a sampled trace (flags 01): the BFF continues it, so it is recorded whatever the ratio.
  await tracedPix(alice, bob, { deposit: '40.00', amount: '12.34', description: 'Rastreamento Jaeger', traceparent: `00-${TRACE_ID}-${BROWSER_SPAN}-01` });
  // Each process exports its spans in batches (OTLP: every few seconds): wait until the last hop, the worker's
  // delivery, is in Jaeger and no span of the trace misses its parent; the span files (the exporter kept alongside)
  // are read once Jaeger has them.
  spans = await eventually(
    async () => {
      const found = await jaegerTrace(TRACE_ID);
      if (!found) return undefined;
      const services = new Set(found.map((s) => s.service));
      if (!PIX_PATH.every((s) => services.has(s)) || !found.some((s) => s.service === 'notification-worker' && kindOf(s) === 'consumer')) return undefined;
      const ids = new Set(found.map((s) => s.spanID));
      if (!found.every((s) => parentOf(s) === BROWSER_SPAN || ids.has(parentOf(s) ?? ''))) return undefined;
      fileSpanIds = spansOfTrace(TRACE_ID, offsets).map((s) => s.spanId);
      return found.every((s) => fileSpanIds.includes(s.spanID)) ? found : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 1000, what: `trace ${TRACE_ID} in Jaeger with spans from ${PIX_PATH.join(', ')}` },
  );
}, 180_000);

afterAll(async () => {
  await closeTestKit();
});

describe("One PIX's trace in the stack's trace store (Jaeger's query API)", () => {
  it('when a PIX is sent through the BFF, then Jaeger returns its trace by id with spans from the BFF, payments, the fraud and payment consumers, the notification consumer and the worker', () => {
    const services = new Set(spans.map((s) => s.service));
    for (const service of PIX_PATH) expect(services, `spans from ${service}`).toContain(service);
    expect(spans.every((s) => s.traceID === TRACE_ID)).toBe(true);
  });

  it('when the trace is read from Jaeger, then its spans are ones the processes also wrote to their span files, and each has its parent in the trace', () => {
    for (const s of spans) expect(fileSpanIds, `${s.service} "${s.operationName}" is in the span files too`).toContain(s.spanID);
    const ids = new Map(spans.map((s) => [s.spanID, s]));
    const roots = spans.filter((s) => parentOf(s) === BROWSER_SPAN);
    expect(roots.map((s) => `${s.service} ${kindOf(s)} ${s.operationName}`)).toEqual(['bff server POST /api/v1/pix/transfers']);
    for (const s of spans) {
      if (s === roots[0]) continue;
      expect(ids.has(parentOf(s) ?? ''), `${s.service} "${s.operationName}" has its parent in the trace`).toBe(true);
    }
    // The saga's hops, as Jaeger links them: the payment consumer settles the fraud consumer's fraud.cleared.
    const settle = spans.find((s) => s.service === 'payments-payment-consumer' && s.operationName === 'process fraud.cleared');
    expect(settle, 'the payment consumer span').toBeDefined();
    const publish = ids.get(parentOf(settle!)!)!;
    expect(publish.operationName).toBe('publish fraud.cleared');
    expect(ids.get(parentOf(publish)!)?.service).toBe('payments-fraud-consumer');
  });

  it('when the PIX carried CPFs, a password and the transaction PIN, then no span Jaeger stored holds any of them', () => {
    const text = JSON.stringify(spans);
    for (const secret of secrets) expect(text.includes(secret), `a span holds a secret (${secret.slice(0, 4)}…)`).toBe(false);
    expect(new RegExp(`pin\\W{0,6}${TEST_PIN}`, 'i').test(text)).toBe(false);
  });

  it('when a trace id was never recorded, then the query API answers 404', async () => {
    const res = await fetch(`${JAEGER_QUERY_URL}/api/traces/${randomBytes(16).toString('hex')}`, { signal: AbortSignal.timeout(5000) });
    expect(res.status).toBe(404);
  });
});
