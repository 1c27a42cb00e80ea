// Trace sampling (OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG, parent-based 10 % by default) and the cost guards of
// redaction: the quick pre-test of `scrub` never changes what is masked.
import {
  applyMasks,
  scrub,
  trace,
  traceFields,
  withSpan,
  DEFAULT_SAMPLING_RATIO,
  InMemorySpanExporter,
  RedactingSpanProcessor,
  samplerFromEnv,
  SimpleSpanProcessor,
} from '@krt/platform/telemetry';
import { context, propagation, ROOT_CONTEXT, SpanKind, type Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { NodeTracerProvider, SamplingDecision, type Sampler } from '@opentelemetry/sdk-trace-node';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';

const traceId = () => randomBytes(16).toString('hex');
/** A remote parent as a `traceparent` header gives it (set directly: no propagator is registered for the first tests). */
const remoteParent = (sampled: boolean) => trace.setSpanContext(ROOT_CONTEXT, { traceId: traceId(), spanId: 'b7ad6b7169203331', traceFlags: sampled ? 1 : 0, isRemote: true });
const sampledParent = remoteParent(true);
const unsampledParent = remoteParent(false);

const decide = (sampler: Sampler, parent: Context = ROOT_CONTEXT, id = traceId()) => sampler.shouldSample(parent, id, 'span', SpanKind.SERVER, {}, []).decision;

/** How many of `n` new traces (no parent) the sampler records. */
function rootsSampled(sampler: Sampler, n: number): number {
  let sampled = 0;
  for (let i = 0; i < n; i++) if (decide(sampler) === SamplingDecision.RECORD_AND_SAMPLED) sampled += 1;
  return sampled;
}

describe('samplerFromEnv', () => {
  it('when nothing is configured, then 10 % of new traces are recorded and a trace that arrives keeps its caller’s decision', () => {
    const { sampler, description, warning } = samplerFromEnv({});
    expect(DEFAULT_SAMPLING_RATIO).toBe(0.1);
    expect(description).toBe('parentbased_traceidratio 0.1');
    expect(warning).toBeUndefined();
    const sampled = rootsSampled(sampler, 4000);
    expect(sampled).toBeGreaterThan(4000 * 0.07);
    expect(sampled).toBeLessThan(4000 * 0.13);
    for (let i = 0; i < 50; i++) {
      expect(decide(sampler, sampledParent)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
      expect(decide(sampler, unsampledParent)).toBe(SamplingDecision.NOT_RECORD);
    }
  });

  it('when OTEL_TRACES_SAMPLER names a standard sampler (with OTEL_TRACES_SAMPLER_ARG as its ratio), then that sampler is used', () => {
    expect(rootsSampled(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_always_on' }).sampler, 200)).toBe(200);
    expect(rootsSampled(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_off' }).sampler, 200)).toBe(0);
    expect(decide(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_off' }).sampler, sampledParent)).toBe(SamplingDecision.NOT_RECORD);
    expect(rootsSampled(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '1' }).sampler, 200)).toBe(200);
    expect(rootsSampled(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }).sampler, 200)).toBe(0);
    const half = samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5' });
    expect(half.description).toBe('traceidratio 0.5');
    const sampled = rootsSampled(half.sampler, 2000);
    expect(sampled).toBeGreaterThan(800);
    expect(sampled).toBeLessThan(1200);
    // Not parent-based: its own ratio decides even under a sampled parent.
    const decisions = Array.from({ length: 200 }, () => decide(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }).sampler, sampledParent));
    expect(decisions.every((d) => d === SamplingDecision.NOT_RECORD)).toBe(true);
  });

  it('when the sampler name or its ratio is not valid, then the default is used and the reason is reported (tracing never stops a start)', () => {
    const typo = samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_sometimes' });
    expect(typo.description).toBe('parentbased_traceidratio 0.1');
    expect(typo.warning).toContain('parentbased_sometimes');
    const badRatio = samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '10' });
    expect(badRatio.description).toBe('traceidratio 0.1');
    expect(badRatio.warning).toContain('"10"');
  });
});

describe('an unsampled trace', () => {
  const exported = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    sampler: samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }).sampler,
    spanProcessors: [new RedactingSpanProcessor(new SimpleSpanProcessor(exported))],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('when a span is not sampled, then nothing is recorded or exported, yet its trace id still reaches log fields and the propagated traceparent (flag 00)', async () => {
    let recording = true;
    let fields: { traceId?: string } = {};
    let traceparent: string | undefined;
    await withSpan('not sampled', { attributes: { 'url.full': 'http://x/?cpf=52998224725' } }, async (span) => {
      recording = span.isRecording();
      fields = traceFields();
      const headers: Record<string, string> = {};
      propagation.inject(context.active(), headers);
      traceparent = headers.traceparent;
    });
    expect(recording).toBe(false);
    expect(exported.getFinishedSpans()).toHaveLength(0);
    expect(fields.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceparent).toMatch(new RegExp(`^00-${fields.traceId}-[0-9a-f]{16}-00$`));
  });

  it('when a caller sent a sampled traceparent, then the span is recorded even at ratio 0 (a trace is always whole)', async () => {
    await withSpan('sampled by the caller', { parent: sampledParent }, async (span) => {
      expect(span.isRecording()).toBe(true);
    });
    expect(exported.getFinishedSpans().map((s) => s.name)).toEqual(['sampled by the caller']);
  });
});

describe('scrub’s quick pre-test', () => {
  it('when random texts mix digits, separators, @, eyJ and Bearer/Basic, then scrub masks exactly what every mask applied does', () => {
    // Fragments of the masked forms (CPF 529.982.247-25, phone +55 (11) 98765-4321, e-mail, JWT, bearer) and of clean text.
    const pieces = ['0', '1', '9', '25', '55', '+55', '(11)', '11', '8765', '4321', '529', '982', '247', '.', '-', ' ', '@', 'a', 'Z', 'x.com', 'eyJ', 'eyJhbGciOiJIUzI1NiJ9', 'Bearer ', 'basic ', '(', ')', '/', '_', 'é'];
    let seed = 16;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    let masked = 0;
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      const length = 1 + (next() % 24);
      for (let j = 0; j < length; j++) text += pieces[next() % pieces.length];
      const expected = applyMasks(text);
      if (expected !== text) masked += 1;
      expect(scrub(text), JSON.stringify(text)).toBe(expected);
    }
    // The generator does reach the masks (the comparison is not only over clean text).
    expect(masked).toBeGreaterThan(1000);
  });

  it('when a text carries one masked form alone, then scrub masks it', () => {
    for (const text of ['+55 (11) 98765-4321', '+5511987654321', '529.982.247-25', '52998224725', 'maria@example.com', 'Basic dXNlcjpwYXNz', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig']) {
      expect(scrub(`x ${text} y`), text).not.toContain(text);
    }
  });

  it('when a text is or holds a UUID whose digits look like a phone, then the id is left whole, and a phone beside it is still masked', () => {
    const id = '55650352-3072-4d35-9d82-df322e221e57';
    expect(scrub(id)).toBe(id);
    expect(applyMasks(id)).toBe(id);
    expect(scrub(`transfer ${id} settled`)).toBe(`transfer ${id} settled`);
    expect(scrub(`transfer ${id} for +55 (11) 98765-4321`)).toBe(`transfer ${id} for [phone]`);
    expect(scrub('ligar 5511987654321')).toBe('ligar [phone]');
  });

  it('when a text carries none of the patterns, then scrub returns the very same string', () => {
    for (const text of ['POST', '127.0.0.1', 'SELECT status FROM deliveries WHERE event_id = $1 FOR UPDATE', 'http://127.0.0.1:5002/v1/pix/transfers', '4be8b4af-3d6f-44c2-8f03-d1979cd01879']) {
      expect(scrub(text)).toBe(text);
    }
  });
});
