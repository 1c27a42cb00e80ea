// Trace-context helpers, span redaction and the JSON-lines span file (an SDK with in-memory/file exporters).
import {
  activeTraceparent,
  contextFromHeaders,
  contextFromTraceparent,
  injectTraceHeaders,
  trace,
  withSpan,
  FileSpanExporter,
  readSpanLines,
  InMemorySpanExporter,
  RedactingSpanProcessor,
  serviceFromEntry,
  SimpleSpanProcessor,
} from '@krt/platform/telemetry';
import { context, propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const memory = new InMemorySpanExporter();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'krt-spans-'));
const file = path.join(dir, 'unit.jsonl');
const provider = new NodeTracerProvider({
  spanProcessors: [new RedactingSpanProcessor(new SimpleSpanProcessor(memory)), new RedactingSpanProcessor(new SimpleSpanProcessor(new FileSpanExporter(file, 4096)))],
});

beforeAll(() => provider.register({ propagator: new W3CTraceContextPropagator() }));
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
  fs.rmSync(dir, { recursive: true, force: true });
});

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('trace context helpers', () => {
  it('when a traceparent comes from an outbox row or a Kafka header (string or Buffer), then a span started under it continues that trace', async () => {
    for (const ctx of [contextFromTraceparent(PARENT), contextFromHeaders({ traceparent: Buffer.from(PARENT) }), contextFromHeaders({ traceparent: [PARENT] })]) {
      await withSpan('child', { parent: ctx }, async (span) => {
        expect(span.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
        const tp = activeTraceparent();
        expect(tp).toMatch(new RegExp(`^00-0af7651916cd43dd8448eb211c80319c-${span.spanContext().spanId}-01$`));
        expect(injectTraceHeaders({} as Record<string, string>).traceparent).toBe(tp);
      });
    }
    const last = memory.getFinishedSpans().at(-1)!;
    expect(last.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
  });

  it('when nothing is being traced, then there is no traceparent and headers without one give a fresh root', () => {
    expect(activeTraceparent()).toBeUndefined();
    expect(trace.getSpanContext(contextFromHeaders({ 'event-id': 'x' }))).toBeUndefined();
    expect(trace.getSpanContext(contextFromTraceparent('garbage'))).toBeUndefined();
  });

  it('when the work inside withSpan throws, then the span ends with an error status and the exception, and the error propagates', async () => {
    await expect(withSpan('failing', {}, async () => Promise.reject(new Error('saldo insuficiente')))).rejects.toThrow('saldo insuficiente');
    const span = memory.getFinishedSpans().find((s) => s.name === 'failing')!;
    expect(span.status.code).toBe(2);
    expect(span.events.some((e) => e.name === 'exception')).toBe(true);
  });
});

describe('span redaction and the span file', () => {
  it('when span attributes, events or the status carry a CPF, e-mail, phone or token, then exporters receive them masked', async () => {
    await withSpan('GET /v1/pix/keys/:id', { attributes: { 'url.full': 'http://x/v1/pix/keys/maria@example.com?cpf=52998224725', 'http.request.header.authorization': 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig' } }, async (span) => {
      span.addEvent('lookup', { phone: '+5511987654321' });
      span.setStatus({ code: 2, message: 'no key for 529.982.247-25' });
    });
    const span = memory.getFinishedSpans().find((s) => s.name === 'GET /v1/pix/keys/:id')!;
    const text = JSON.stringify({ a: span.attributes, e: span.events, s: span.status }) + fs.readFileSync(file, 'utf8');
    for (const secret of ['maria@example.com', '52998224725', '+5511987654321', 'eyJhbGciOiJIUzI1NiJ9', '529.982.247-25']) expect(text).not.toContain(secret);
  });

  it('when spans are exported to the file, then each is one readable JSON line with trace, parent, service, timing and status; the file rotates at its size limit', async () => {
    for (let i = 0; i < 40; i++) await withSpan(`work ${i}`, { parent: contextFromTraceparent(PARENT) }, async () => undefined);
    const lines = readSpanLines(file);
    expect(lines.length).toBeGreaterThan(0);
    const line = lines.at(-1)!;
    expect(line).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', parentSpanId: 'b7ad6b7169203331', name: 'work 39', kind: 'INTERNAL', status: 'unset' });
    expect(Number.isNaN(Date.parse(line.start))).toBe(false);
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
    expect(fs.existsSync(`${file}.1`)).toBe(true);
    expect(fs.statSync(file).size).toBeLessThan(4096 + 2048);
  });
});

describe('service names', () => {
  it('when a process starts from an entry file, then its service name follows the app and the worker file', () => {
    expect(serviceFromEntry('apps/payments/src/main.ts')).toBe('payments');
    expect(serviceFromEntry('/app/apps/payments/src/workers/fraud-consumer.main.ts')).toBe('payments-fraud-consumer');
    expect(serviceFromEntry('apps/notifications/src/worker.main.ts')).toBe('notifications-worker');
    expect(serviceFromEntry('/usr/lib/node_modules/npm/bin/npx-cli.js')).toBeUndefined();
    expect(serviceFromEntry(undefined)).toBeUndefined();
  });
});
