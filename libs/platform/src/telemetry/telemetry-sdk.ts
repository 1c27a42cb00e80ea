// The OpenTelemetry SDK for one process: W3C propagation, auto-instrumentation (HTTP server, fetch/undici, pg,
// ioredis, amqplib), and where spans go: OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set, a JSON-lines file
// when OTEL_TRACES_FILE is set, nowhere otherwise (context still propagates, so logs and events carry trace ids).
// Sampling (the standard OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG): parent-based trace-id ratio, 10 % of the
// traces that start here by default (samplerFromEnv); a trace that arrives sampled (or not) keeps its caller's
// decision, so a trace is always whole. Finished spans are queued (bounded) and exported in batches off the hot path.
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
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  InMemorySpanExporter,
  NodeTracerProvider,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type Sampler,
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

/** The share of new traces recorded when OTEL_TRACES_SAMPLER is not set (`npm start`, and production unless configured). */
export const DEFAULT_SAMPLING_RATIO = 0.1;

/**
 * The sampler named by OTEL_TRACES_SAMPLER (always_on, always_off, traceidratio, parentbased_always_on,
 * parentbased_always_off, parentbased_traceidratio) with OTEL_TRACES_SAMPLER_ARG as the ratio (0..1). Unset:
 * parentbased_traceidratio at DEFAULT_SAMPLING_RATIO. A name or ratio it does not know is reported in `warning`
 * and the default is used (tracing settings never stop a service from starting).
 */
export function samplerFromEnv(env: Record<string, string | undefined>): { sampler: Sampler; description: string; warning?: string } {
  const name = (env.OTEL_TRACES_SAMPLER ?? '').trim().toLowerCase() || 'parentbased_traceidratio';
  const rawArg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  const arg = rawArg ? Number(rawArg) : DEFAULT_SAMPLING_RATIO;
  let warning: string | undefined;
  let ratio = DEFAULT_SAMPLING_RATIO;
  if (Number.isFinite(arg) && arg >= 0 && arg <= 1) ratio = arg;
  else warning = `OTEL_TRACES_SAMPLER_ARG "${rawArg}" is not a ratio between 0 and 1; using ${DEFAULT_SAMPLING_RATIO}`;
  const roots: Record<string, () => Sampler> = {
    always_on: () => new AlwaysOnSampler(),
    always_off: () => new AlwaysOffSampler(),
    traceidratio: () => new TraceIdRatioBasedSampler(ratio),
  };
  const [, parentBased, root] = /^(parentbased_)?(always_on|always_off|traceidratio)$/.exec(name) ?? [];
  if (!root) {
    return {
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(DEFAULT_SAMPLING_RATIO) }),
      description: `parentbased_traceidratio ${DEFAULT_SAMPLING_RATIO}`,
      warning: `OTEL_TRACES_SAMPLER "${env.OTEL_TRACES_SAMPLER}" is not supported; using parentbased_traceidratio ${DEFAULT_SAMPLING_RATIO}`,
    };
  }
  const sampler = roots[root]!();
  const description = root === 'traceidratio' ? `${name} ${ratio}` : name;
  return { sampler: parentBased ? new ParentBasedSampler({ root: sampler }) : sampler, description, warning };
}

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

/** Scrubs the string values of an attribute map in place (numbers and booleans cannot carry personal data). */
function scrubAttributes(attrs: Record<string, unknown> | undefined) {
  if (!attrs) return;
  for (const k in attrs) {
    const v = attrs[k];
    if (typeof v === 'string') {
      const clean = scrub(v);
      if (clean !== v) attrs[k] = clean;
    } else if (Array.isArray(v) && v.some((x) => typeof x === 'string')) {
      attrs[k] = v.map((x) => (typeof x === 'string' ? scrub(x) : x));
    }
  }
}

/**
 * Masks CPF, e-mail, phone and tokens in span attributes and event attributes before any exporter sees them. It runs
 * for recorded (sampled) spans only, once per span, and `scrub` costs a single cheap test for text with nothing to mask.
 */
export class RedactingSpanProcessor implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}
  onStart(span: Span, parentContext: Parameters<SpanProcessor['onStart']>[1]) {
    this.next.onStart(span, parentContext);
  }
  onEnd(span: ReadableSpan) {
    scrubAttributes(span.attributes as Record<string, unknown>);
    for (const e of span.events) scrubAttributes(e.attributes as Record<string, unknown> | undefined);
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
  /** Defaults to process.env (OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG choose the sampler: samplerFromEnv). */
  env?: Record<string, string | undefined>;
  /** Auto-instrumentation of http/undici/pg/ioredis/amqplib (default true). */
  instrument?: boolean;
}

export interface TelemetryHandle {
  provider: NodeTracerProvider;
  /** Where spans go, for the start-up log line. */
  destinations: string[];
  /** The sampler in use, e.g. `parentbased_traceidratio 0.1`, and why the configured one was not taken (if so). */
  sampling: string;
  samplingWarning?: string;
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
  // BatchSpanProcessor: a bounded queue (OTEL_BSP_MAX_QUEUE_SIZE, 2048 by default; spans beyond it are dropped, never
  // buffered without limit) exported in batches on a timer, so ending a span only appends it to the queue.
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
  const sampling = samplerFromEnv(env);
  const provider = new NodeTracerProvider({
    sampler: sampling.sampler,
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
    sampling: sampling.description,
    samplingWarning: sampling.warning,
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
