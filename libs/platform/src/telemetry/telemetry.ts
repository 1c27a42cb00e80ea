// Trace context helpers on the OpenTelemetry API only (no SDK): they are no-ops until the SDK is started
// (telemetry.register.ts), so every module can call them. W3C trace context crosses HTTP, Kafka, RabbitMQ
// and the outbox row through these functions.
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';

export { SpanKind, SpanStatusCode, context, trace, type Context, type Span };

export const TRACER_NAME = '@krt/platform';

export function tracer() {
  return trace.getTracer(TRACER_NAME);
}

/** Header values as kafkajs and amqplib hand them over (Buffer, string or arrays of them). */
type HeaderBag = Record<string, unknown> | undefined | null;

const headerGetter: TextMapGetter<HeaderBag> = {
  keys: (carrier) => (carrier ? Object.keys(carrier) : []),
  get: (carrier, key) => {
    if (!carrier) return undefined;
    const raw = carrier[key] ?? carrier[key.toLowerCase()];
    const one = Array.isArray(raw) ? raw[0] : raw;
    if (one === undefined || one === null) return undefined;
    return Buffer.isBuffer(one) ? one.toString('utf8') : String(one);
  },
};

/** The W3C `traceparent` of the active span, or undefined when nothing is being traced. */
export function activeTraceparent(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

/** Writes `traceparent` (and `tracestate`) of the active context into a header object. */
export function injectTraceHeaders<T extends Record<string, unknown>>(headers: T, ctx: Context = context.active()): T {
  propagation.inject(ctx, headers);
  return headers;
}

/** A context whose remote parent is the `traceparent` found in headers (Kafka, RabbitMQ, HTTP-like). */
export function contextFromHeaders(headers: HeaderBag, base: Context = ROOT_CONTEXT): Context {
  return propagation.extract(base, headers, headerGetter);
}

/** A context whose remote parent is the given `traceparent` string (e.g. the one stored in an outbox envelope). */
export function contextFromTraceparent(traceparent: string | undefined, tracestate?: string): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return contextFromHeaders(tracestate ? { traceparent, tracestate } : { traceparent });
}

/** `traceId` and `spanId` of the active span, for log lines; empty when nothing is being traced. */
export function traceFields(): { traceId?: string; spanId?: string } {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const sc = span.spanContext();
  if (!trace.isSpanContextValid(sc)) return {};
  return { traceId: sc.traceId, spanId: sc.spanId };
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent context; defaults to the active one. */
  parent?: Context;
}

/**
 * Runs `fn` inside a new span (made active, so log lines, database calls and published messages inside it
 * belong to it). The span records an exception and an error status when `fn` throws, and always ends.
 */
export async function withSpan<T>(name: string, opts: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = opts.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: opts.kind ?? SpanKind.INTERNAL, attributes: opts.attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message?.slice(0, 200) });
    throw err;
  } finally {
    span.end();
  }
}

let flusher: (() => Promise<void>) | undefined;

/** The SDK registers how to flush buffered spans; `onShutdown` calls `flushTelemetry` before the process exits. */
export function setTelemetryFlusher(fn: (() => Promise<void>) | undefined) {
  flusher = fn;
}

export async function flushTelemetry(timeoutMs = 3000): Promise<void> {
  if (!flusher) return;
  await Promise.race([flusher().catch(() => undefined), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
}
