// `npm test`'s k6 step: runs k6/smoke.js through the runner against the running stack, scaled down (SCALE=0.6: 3 VUs
// for 36 s, a pool of 4), then reads the JSON summary the script wrote and insists on what the issue asks of a smoke
// run: every threshold held, 0 failed requests, every check green, and samples in all nine bank_* metrics.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const OUT = path.join(ROOT, 'tmp/k6');
const NINE = ['bank_login_duration', 'bank_register_duration', 'bank_balance_duration', 'bank_statement_duration', 'bank_dashboard_duration', 'bank_pix_duration', 'bank_successful_logins', 'bank_successful_registrations', 'bank_successful_pix'];

fs.rmSync(path.join(OUT, 'smoke-summary.json'), { force: true });
const scale = process.env.K6_SMOKE_SCALE ?? '0.6';
const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tools/k6-runner/src/main.ts'), 'run', '-e', `SCALE=${scale}`, '-e', `SUMMARY_DIR=${OUT}`, path.join(ROOT, 'k6/smoke.js')], { cwd: ROOT, stdio: 'inherit' });

const problems: string[] = [];
if (run.status !== 0) problems.push(`the runner exited ${run.status ?? run.signal} (99: a threshold was crossed)`);
const file = path.join(OUT, 'smoke-summary.json');
if (!fs.existsSync(file)) problems.push(`no summary at ${path.relative(ROOT, file)}`);
else {
  const summary = JSON.parse(fs.readFileSync(file, 'utf8')) as { metrics: Record<string, { type: string; values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>; root_group: { checks: Array<{ name: string; fails: number }> } };
  const m = summary.metrics;
  for (const name of NINE) {
    const count = m[name]?.values.count ?? 0;
    if (!(count > 0)) problems.push(`metric ${name} has no samples`);
  }
  const failed = m.http_req_failed?.values;
  if (!failed || failed.passes !== 0) problems.push(`failed requests: ${failed ? failed.passes : 'no http_req_failed metric'}`);
  for (const c of summary.root_group.checks) if (c.fails) problems.push(`check "${c.name}" failed ${c.fails} time(s)`);
  for (const [name, metric] of Object.entries(m)) for (const [expr, t] of Object.entries(metric.thresholds ?? {})) if (!t.ok) problems.push(`threshold ${name} ${expr} crossed`);
  if (!problems.length) console.log(`k6 smoke: ${m.iterations?.values.count} iterations, ${m.http_reqs?.values.count} requests, 0 failed, every check green, all nine bank_* metrics present`);
}
if (problems.length) {
  console.error(`k6 smoke FAILED:\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
