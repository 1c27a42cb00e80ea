#!/usr/bin/env node
// Prints one trace from the local stack's span files (.stack/traces/*.jsonl) as a tree, across every process:
//   node infra/observability/trace-view.mjs <traceId>     (a traceId from any log line)
//   node infra/observability/trace-view.mjs --last pix    (the latest trace that has a span whose name contains "pix")
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.join(process.env.KRT_STACK_DIR ?? path.join(root, '.stack'), 'traces');
const args = process.argv.slice(2);
if (!args.length || !fs.existsSync(dir)) {
  console.error(`usage: trace-view.mjs <traceId> | --last <name fragment>   (span files in ${dir})`);
  process.exit(2);
}

const files = fs.readdirSync(dir).filter((f) => /\.jsonl(\.1)?$/.test(f)).map((f) => path.join(dir, f));
const readAll = (filter) => {
  const out = [];
  for (const f of files) {
    for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
      if (!line || !filter(line)) continue;
      try {
        out.push(JSON.parse(line));
      } catch {
        /* torn line */
      }
    }
  }
  return out;
};

let traceId = args[0];
if (traceId === '--last') {
  const fragment = args[1] ?? '';
  const hits = readAll((l) => l.includes(fragment)).filter((s) => s.name.includes(fragment));
  hits.sort((a, b) => a.start.localeCompare(b.start));
  traceId = hits.at(-1)?.traceId;
  if (!traceId) {
    console.error(`no span named like "${fragment}"`);
    process.exit(1);
  }
}
const spans = readAll((l) => l.includes(traceId)).filter((s) => s.traceId === traceId);
if (!spans.length) {
  console.error(`trace ${traceId}: no spans found`);
  process.exit(1);
}
const byParent = new Map();
const ids = new Set(spans.map((s) => s.spanId));
for (const s of spans) {
  const key = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : 'root';
  byParent.set(key, [...(byParent.get(key) ?? []), s]);
}
const t0 = Math.min(...spans.map((s) => Date.parse(s.start)));
console.log(`trace ${traceId}: ${spans.length} spans, ${new Set(spans.map((s) => s.service)).size} processes`);
const print = (s, depth) => {
  const offset = Date.parse(s.start) - t0;
  const status = s.status === 'error' ? `  ERROR ${s.statusMessage ?? ''}` : '';
  console.log(`${String(offset).padStart(6)} ms ${String(s.durationMs).padStart(8)} ms  ${'  '.repeat(depth)}${s.service} · ${s.kind.toLowerCase()} · ${s.name}${status}`);
  for (const c of (byParent.get(s.spanId) ?? []).sort((a, b) => a.start.localeCompare(b.start))) print(c, depth + 1);
};
for (const r of (byParent.get('root') ?? []).sort((a, b) => a.start.localeCompare(b.start))) print(r, 0);
