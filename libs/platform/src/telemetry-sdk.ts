// The OpenTelemetry SDK for one process: W3C propagation, auto-instrumentation (HTTP server, fetch/undici, pg,
// ioredis, amqplib), and where spans go: OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set, a JSON-lines file
// when OTEL_TRACES_FILE is set, nowhere otherwise (context still propagates, so logs and events carry trace ids).
// Kafka is traced by the platform's outbox relay and consumer base (see outbox.ts / consumer.ts): the kafkajs
// auto-instrumentation would parent every message of a relay batch on the relay's own context and lose the
// request's trace.
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { context, propagation, trace } from '@opentelemetry/api';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FileSpanExporter } from './telemetry-file-exporter';
import { scrub } from './logger';

export { FileSpanExporter, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanExporter };

const PROBE_PATHS = new Set(['/health', '/ready', '/metrics']);

/** Strips a `traceparent`/`tracestate` copied from the incoming request, so the client span's own header is the only one. */
function dropCopiedTraceHeaders(request: { headers?: unknown }) {
  const h = request.headers;
  if (typeof h === 'string') {
    request.headers = h.replace(/^(traceparent|tracestate):[^\r\n]*\r\n/gim, '');
  } else if (Array.isArray(h)) {
    for (let i = h.length - 2; i >= 0; i -= 2) {
      const name = String(h[i]).toLowerCase();
      if (name === 'traceparent' || name === 'tracestate') h.splice(i, 2);
    }
  }
}

export function defaultInstrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req) => PROBE_PATHS.has((req.url ?? '').split('?')[0] ?? ''),
      requireParentforOutgoingSpans: true,
    }),
    new UndiciInstrumentation({
      requireParentforSpans: true,
      // Only when this request gets its own span (and so its own traceparent); otherwise a caller's header stays.
      requestHook: (span, request) => {
        if (trace.isSpanContextValid(span.spanContext())) dropCopiedTraceHeaders(request as { headers?: unknown });
      },
    }),
    new PgInstrumentation({ requireParentSpan: true }),
    // Only the command name: keys and values may hold session ids and personal data.
    new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (cmd) => cmd }),
    new AmqplibInstrumentation(),
  ];
}

/** Masks CPF, e-mail, phone and tokens in span attributes and event attributes before any exporter sees them. */
export class RedactingSpanProcessor implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}
  onStart(span: Span, parentContext: Parameters<SpanProcessor['onStart']>[1]) {
    this.next.onStart(span, parentContext);
  }
  onEnd(span: ReadableSpan) {
    const scrubAttrs = (attrs: Record<string, unknown> | undefined) => {
      if (!attrs) return;
      for (const [k, v] of Object.entries(attrs)) {
        if (typeof v === 'string') attrs[k] = scrub(v);
        else if (Array.isArray(v)) attrs[k] = v.map((x) => (typeof x === 'string' ? scrub(x) : x));
      }
    };
    scrubAttrs(span.attributes as Record<string, unknown>);
    for (const e of span.events) scrubAttrs(e.attributes as Record<string, unknown> | undefined);
    if (span.status.message) (span.status as { message?: string }).message = scrub(span.status.message);
    this.next.onEnd(span);
  }
  forceFlush() {
    return this.next.forceFlush();
  }
  shutdown() {
    return this.next.shutdown();
  }
}

export interface TelemetryOptions {
  service: string;
  /** Extra exporters (tests pass an InMemorySpanExporter); each gets a SimpleSpanProcessor. */
  exporters?: SpanExporter[];
  /** Defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Auto-instrumentation of http/undici/pg/ioredis/amqplib (default true). */
  instrument?: boolean;
}

export interface TelemetryHandle {
  provider: NodeTracerProvider;
  /** Where spans go, for the start-up log line. */
  destinations: string[];
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

let started: TelemetryHandle | undefined;

/** Starts tracing once per process; later calls return the running handle. */
export function startTelemetry(opts: TelemetryOptions): TelemetryHandle {
  if (started) return started;
  const env = opts.env ?? process.env;
  const processors: SpanProcessor[] = [];
  const destinations: string[] = [];
  const otlp = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (otlp) {
    processors.push(new RedactingSpanProcessor(new BatchSpanProcessor(new OTLPTraceExporter())));
    destinations.push(`otlp:${otlp}`);
  }
  if (env.OTEL_TRACES_FILE) {
    processors.push(new RedactingSpanProcessor(new BatchSpanProcessor(new FileSpanExporter(env.OTEL_TRACES_FILE, Number(env.OTEL_TRACES_FILE_MAX_BYTES) || undefined), { scheduledDelayMillis: 500 })));
    destinations.push(`file:${env.OTEL_TRACES_FILE}`);
  }
  for (const exporter of opts.exporters ?? []) {
    processors.push(new RedactingSpanProcessor(new SimpleSpanProcessor(exporter)));
    destinations.push('custom');
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? opts.service,
      ...(env.KRT_INSTANCE ? { 'service.instance.id': env.KRT_INSTANCE } : {}),
    }),
    spanProcessors: processors,
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  let unregister: (() => void) | undefined;
  if (opts.instrument ?? true) {
    unregister = registerInstrumentations({ tracerProvider: provider, instrumentations: defaultInstrumentations() });
    preloadInstrumentedModules();
  }
  started = {
    provider,
    destinations,
    forceFlush: () => provider.forceFlush(),
    shutdown: async () => {
      unregister?.();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      started = undefined;
    },
  };
  return started;
}

/**
 * Loads the instrumented CommonJS packages through `require` right after the hooks are in place: the app's
 * ESM `import` of them then reuses these patched module instances (Node's ESM loader takes CommonJS modules
 * from the require cache), which works with tsx without an import-in-the-middle loader.
 */
function preloadInstrumentedModules() {
  const require = createRequire(import.meta.url);
  for (const name of ['node:http', 'node:https', 'pg', 'pg-pool', 'ioredis', 'amqplib', 'amqplib/callback_api']) {
    try {
      require(name);
    } catch {
      // not installed in this process's tree: nothing to instrument
    }
  }
}

/** The service name of a process started from `entry` (apps/payments/src/main.ts → payments, …/workers/fraud-consumer.main.ts → payments-fraud-consumer). */
export function serviceFromEntry(entry: string | undefined): string | undefined {
  if (!entry) return undefined;
  const parts = path.resolve(entry).split(path.sep);
  const at = parts.lastIndexOf('apps');
  if (at < 0 || !parts[at + 1]) return undefined;
  const app = parts[at + 1]!;
  const file = path.basename(entry).replace(/\.[cm]?[tj]s$/, '').replace(/\.main$/, '');
  return file === 'main' ? app : `${app}-${file}`;
}
