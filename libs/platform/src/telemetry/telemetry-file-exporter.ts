// Writes finished spans as JSON lines (one span per line) to a file: traces a person can read with `tail`/`jq`
// when no trace backend runs (the local stack writes .stack/traces/<process>.jsonl). At maxBytes the file moves to
// `<file>.1` (replacing the previous one), so a process keeps at most twice maxBytes on disk.
import { ExportResultCode, hrTimeToMicroseconds, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import fs from 'node:fs';
import path from 'node:path';

/** The line format (also what tests read back). Times are ISO strings; duration in milliseconds. */
export interface SpanLine {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: string;
  service: string;
  start: string;
  durationMs: number;
  status: 'unset' | 'ok' | 'error';
  statusMessage?: string;
  attributes: Record<string, unknown>;
  events?: { name: string; time: string; attributes?: Record<string, unknown> }[];
}

const STATUS = ['unset', 'ok', 'error'] as const;

export function spanToLine(span: ReadableSpan): SpanLine {
  const sc = span.spanContext();
  const startUs = hrTimeToMicroseconds(span.startTime);
  const line: SpanLine = {
    traceId: sc.traceId,
    spanId: sc.spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    name: span.name,
    kind: SpanKind[span.kind] ?? String(span.kind),
    service: String(span.resource.attributes['service.name'] ?? 'unknown'),
    start: new Date(startUs / 1000).toISOString(),
    durationMs: Math.round(hrTimeToMicroseconds(span.duration) / 10) / 100,
    status: STATUS[span.status.code] ?? 'unset',
    attributes: { ...span.attributes },
  };
  if (span.status.message) line.statusMessage = span.status.message;
  if (span.events.length) {
    line.events = span.events.map((e) => ({ name: e.name, time: new Date(hrTimeToMicroseconds(e.time) / 1000).toISOString(), attributes: e.attributes }));
  }
  return line;
}

export class FileSpanExporter implements SpanExporter {
  private stopped = false;

  constructor(
    private readonly file: string,
    private readonly maxBytes = 20 * 1024 * 1024,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.stopped) return done({ code: ExportResultCode.FAILED, error: new Error('exporter shut down') });
    try {
      this.rotateIfLarge();
      fs.appendFileSync(this.file, spans.map((s) => JSON.stringify(spanToLine(s))).join('\n') + '\n');
      done({ code: ExportResultCode.SUCCESS });
    } catch (err) {
      done({ code: ExportResultCode.FAILED, error: err as Error });
    }
  }

  private rotateIfLarge() {
    try {
      if (fs.statSync(this.file).size > this.maxBytes) fs.renameSync(this.file, `${this.file}.1`);
    } catch {
      // no file yet
    }
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
  }

  async forceFlush(): Promise<void> {}
}

/** Reads span lines back (for tests and tools); ignores a torn last line. */
export function readSpanLines(file: string): SpanLine[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: SpanLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as SpanLine);
    } catch {
      // a line being written right now
    }
  }
  return out;
}
