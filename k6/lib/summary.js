// End-of-test summary in text (stdout) and HTML, from the data k6 hands to handleSummary. Plain JavaScript with no
// k6 import, so that k6 and the repository's runner print the same thing.
import { NINE } from './metrics.js';

const STEPS = [
  ['login', 'bank_login_duration'],
  ['register', 'bank_register_duration'],
  ['balance', 'bank_balance_duration'],
  ['statement', 'bank_statement_duration'],
  ['dashboard', 'bank_dashboard_duration'],
  ['pix (to final status)', 'bank_pix_duration'],
];

const ms = (v) => (v === undefined ? '-' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const pct = (v) => (v === undefined ? '-' : `${(100 * v).toFixed(2)} %`);
const val = (data, metric, stat) => (data.metrics[metric] ? data.metrics[metric].values[stat] : undefined);

/** The figures a reader compares with the seed's result (iterations/s, p50/p95/p99 per step, errors, 429, PIX/s). */
export function headline(data) {
  const seconds = data.state.testRunDurationMs / 1000;
  const steps = {};
  for (const [label, metric] of STEPS) {
    steps[label] = { count: val(data, metric, 'count'), p50: val(data, metric, 'med'), p95: val(data, metric, 'p(95)'), p99: val(data, metric, 'p(99)') };
  }
  const reqs = val(data, 'http_reqs', 'count') || 0;
  const limited = val(data, 'bank_rate_limited', 'count') || 0;
  return {
    durationSeconds: seconds,
    iterations: val(data, 'iterations', 'count') || 0,
    iterationsPerSecond: val(data, 'iterations', 'rate') || 0,
    vusMax: val(data, 'vus_max', 'max'),
    httpRequests: reqs,
    httpFailedRate: val(data, 'http_req_failed', 'rate'),
    rateLimited: limited,
    rateLimitedRate: reqs ? limited / reqs : 0,
    checksRate: val(data, 'checks', 'rate'),
    droppedIterations: val(data, 'dropped_iterations', 'count') || 0,
    pixCompleted: val(data, 'bank_successful_pix', 'count') || 0,
    pixCompletedPerSecond: val(data, 'bank_successful_pix', 'rate') || 0,
    logins: val(data, 'bank_successful_logins', 'count') || 0,
    registrations: val(data, 'bank_successful_registrations', 'count') || 0,
    steps,
    missingMetrics: NINE.filter((m) => !data.metrics[m]),
  };
}

function thresholdLines(data) {
  const lines = [];
  for (const name of Object.keys(data.metrics).sort()) {
    const t = data.metrics[name].thresholds;
    if (!t) continue;
    for (const expr of Object.keys(t)) lines.push({ ok: t[expr].ok, text: `${name} ${expr}` });
  }
  return lines;
}

export function textSummary(data, context) {
  const h = headline(data);
  const out = [];
  out.push('');
  out.push(`  KRT Bank — ${context.scenario} (SCALE=${context.scale}, TIME_SCALE=${context.timeScale}) against ${context.baseUrl}`);
  out.push(`  ${h.iterations} iterations in ${h.durationSeconds.toFixed(0)} s (${h.iterationsPerSecond.toFixed(1)}/s, setup included), up to ${h.vusMax ?? '-'} VUs`);
  out.push(`  HTTP: ${h.httpRequests} requests, failed ${pct(h.httpFailedRate)}, rate-limited (429) ${h.rateLimited} (${pct(h.rateLimitedRate)}), dropped iterations ${h.droppedIterations}`);
  out.push(`  checks ${pct(h.checksRate)}; PIX completed ${h.pixCompleted} (${h.pixCompletedPerSecond.toFixed(2)}/s); sign-ins ${h.logins}; registrations ${h.registrations}`);
  out.push('');
  out.push(`  ${'step'.padEnd(24)}${'count'.padStart(8)}${'p50'.padStart(12)}${'p95'.padStart(12)}${'p99'.padStart(12)}`);
  for (const [label, s] of Object.entries(h.steps)) out.push(`  ${label.padEnd(24)}${String(s.count ?? 0).padStart(8)}${ms(s.p50).padStart(12)}${ms(s.p95).padStart(12)}${ms(s.p99).padStart(12)}`);
  out.push('');
  for (const c of data.root_group.checks) out.push(`  ${c.fails ? '✗' : '✓'} ${c.name} (${c.passes} passed, ${c.fails} failed)`);
  out.push('');
  for (const t of thresholdLines(data)) out.push(`  ${t.ok ? '✓' : '✗'} threshold ${t.text}`);
  if (h.missingMetrics.length) out.push(`  ✗ metrics without samples: ${h.missingMetrics.join(', ')}`);
  out.push('');
  return out.join('\n');
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function htmlReport(data, context) {
  const h = headline(data);
  const rows = Object.entries(h.steps)
    .map(([label, s]) => `<tr><td>${esc(label)}</td><td>${s.count ?? 0}</td><td>${ms(s.p50)}</td><td>${ms(s.p95)}</td><td>${ms(s.p99)}</td></tr>`)
    .join('');
  const checks = data.root_group.checks.map((c) => `<tr class="${c.fails ? 'bad' : 'ok'}"><td>${esc(c.name)}</td><td>${c.passes}</td><td>${c.fails}</td></tr>`).join('');
  const thresholds = thresholdLines(data)
    .map((t) => `<tr class="${t.ok ? 'ok' : 'bad'}"><td>${t.ok ? '✓' : '✗'}</td><td>${esc(t.text)}</td></tr>`)
    .join('');
  const metrics = Object.keys(data.metrics)
    .sort()
    .map((n) => `<tr><td>${esc(n)}</td><td>${data.metrics[n].type}</td><td>${esc(Object.entries(data.metrics[n].values).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(3)}`).join('  '))}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>KRT Bank k6 — ${esc(context.scenario)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#1b1b1b}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
.ok td:first-child{color:#0a6b2b}.bad td{color:#a4001d;font-weight:600}h1{font-size:1.4rem}</style></head><body>
<h1>KRT Bank — ${esc(context.scenario)} scenario</h1>
<p>${esc(context.baseUrl)} · SCALE=${context.scale} · TIME_SCALE=${context.timeScale} · ${h.durationSeconds.toFixed(0)} s · up to ${h.vusMax ?? '-'} VUs</p>
<p>${h.iterations} iterations (${h.iterationsPerSecond.toFixed(1)}/s) · ${h.httpRequests} requests · failed ${pct(h.httpFailedRate)} · 429 ${h.rateLimited} (${pct(h.rateLimitedRate)}) ·
checks ${pct(h.checksRate)} · PIX completed ${h.pixCompleted} (${h.pixCompletedPerSecond.toFixed(2)}/s) · dropped iterations ${h.droppedIterations}</p>
<h2>Steps</h2><table><tr><th>step</th><th>count</th><th>p50</th><th>p95</th><th>p99</th></tr>${rows}</table>
<h2>Thresholds</h2><table>${thresholds}</table>
<h2>Checks</h2><table><tr><th>check</th><th>passed</th><th>failed</th></tr>${checks}</table>
<h2>All metrics</h2><table><tr><th>metric</th><th>type</th><th>values</th></tr>${metrics}</table>
</body></html>
`;
}
