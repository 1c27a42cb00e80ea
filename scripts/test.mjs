#!/usr/bin/env node
// `npm test`: every test, in order — static checks, unit, integration against the real stack, faults, browser.
// Prints one progress line per step and ends with "N passed, N failed".
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureDependencies } from './ensure-deps.mjs';
import { ROOT, ensureApt, step, which } from './stack/common.mjs';

const results = [];
/** Every failed test by name with the start of its message: printed again after the summary, where a CI log's tail shows it. */
const failures = [];
const firstLine = (text) => String(text ?? '').replace(/\u001b\[[0-9;]*m/g, '').split('\n').find((l) => l.trim())?.trim().slice(0, 300) ?? '';

// Tests read traces (span files, in-memory exporters): every process the suite starts — the stack's apps, vitest and the
// compiled processes it runs — records every trace. (Unset, tracing samples 10 % of new traces: telemetry-sdk.ts.)
process.env.OTEL_TRACES_SAMPLER = 'parentbased_always_on';
delete process.env.OTEL_TRACES_SAMPLER_ARG;

const tmp = path.join(ROOT, 'tmp');
fs.mkdirSync(tmp, { recursive: true });

// Asynchronous on purpose: while a suite runs, this process's event loop must keep reaping the app processes it started
// (a stopped app left as a zombie would look alive to the stack).
async function sh(label, cmd, args, env = {}) {
  step(`${label}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const status = await new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', () => resolve(127));
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  step(`${label}: ${status === 0 ? 'ok' : `FAILED (exit ${status})`} in ${seconds} s`);
  return status === 0;
}

/**
 * After a failed suite: the warnings and errors the bank's processes logged while it ran (the last few per process),
 * so a CI log alone is enough for a post-mortem. Only pino JSON lines are read; infrastructure logs are left alone.
 */
function printAppWarnings(sinceMs) {
  const stackDir = path.join(ROOT, '.stack');
  if (!fs.existsSync(stackDir)) return;
  for (const dir of fs.readdirSync(stackDir).sort()) {
    const file = path.join(stackDir, dir, `${dir}.log`);
    if (!fs.existsSync(file)) continue;
    // Distinct messages with how often and when last: kafkajs repeats its reconnect lines hundreds of times.
    const seen = new Map();
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line.startsWith('{"level":"warn"') && !line.startsWith('{"level":"error"') && !line.startsWith('{"level":"fatal"')) continue;
      try {
        const entry = JSON.parse(line);
        // pino writes `time`, Jaeger (zap) writes `ts` (ISO strings here; seconds in zap's default); else counts as now.
        const stamp = entry.time ?? entry.ts;
        const time = typeof stamp === 'string' ? stamp : new Date(typeof stamp === 'number' ? stamp * 1000 : Date.now()).toISOString();
        if (Date.parse(time) < sinceMs) continue;
        const text = `${entry.level} ${entry.msg ?? ''} ${entry.err?.message ?? ''}`.slice(0, 240);
        const prev = seen.get(text);
        seen.set(text, { count: (prev?.count ?? 0) + 1, first: prev?.first ?? time, last: time });
      } catch {
        // a line cut by a crash: skip it
      }
    }
    if (!seen.size) continue;
    const lines = [...seen].sort((a, b) => a[1].last.localeCompare(b[1].last)).slice(-12);
    console.log(`--- ${dir}: ${seen.size} distinct warning/error message(s) during the suite, the latest ${lines.length}:`);
    for (const [text, { count, first, last }] of lines) console.log(`  ${count}× ${first.slice(11, 19)}–${last.slice(11, 19)} ${text}`);
  }
}

/** Runs one vitest project and records its counts from the JSON report. */
async function vitest(project) {
  const out = path.join(tmp, `vitest-${project}.json`);
  fs.rmSync(out, { force: true });
  const since = Date.now();
  const ok = await sh(project, 'npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  let passed = 0;
  let failed = ok ? 0 : 1;
  if (fs.existsSync(out)) {
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    passed = report.numPassedTests;
    failed = report.numFailedTests + (ok ? 0 : report.numFailedTests === 0 ? 1 : 0);
    if (report.numTotalTests === 0) failed += 1; // a suite that ran nothing is a failure
    for (const file of report.testResults ?? []) {
      const rel = path.relative(ROOT, file.name ?? '');
      for (const t of file.assertionResults ?? []) {
        if (t.status === 'failed') failures.push(`${project} › ${rel} › ${t.fullName ?? t.title}: ${firstLine(t.failureMessages?.[0])}`);
      }
      // a file that failed outside any test (an import, a hook)
      if (file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed')) failures.push(`${project} › ${rel}: ${firstLine(file.message)}`);
    }
  }
  results.push({ name: project, passed, failed });
  if (!ok && project !== 'unit') printAppWarnings(since);
  return ok;
}

/**
 * `npm start` as the README tells a new user: it must end by printing where to open the bank, and that address must
 * answer 200 with the sign-in page (following the redirect from / as a browser does).
 */
async function firstRun() {
  step('first-run: npm start (node scripts/start.mjs)');
  const started = Date.now();
  let output = '';
  const status = await new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(127));
  });
  let ok = status === 0;
  const url = /Open:\s+(\S+)/.exec(output)?.[1];
  if (!url) ok = false;
  else {
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) }).catch((e) => ({ status: 0, url, text: async () => String(e) }));
    const html = await res.text();
    const signIn = res.status === 200 && html.includes('Entrar na sua conta');
    step(`first-run: ${url} → ${res.status} ${res.url}${signIn ? ' (the sign-in page)' : ' — NOT the sign-in page'}`);
    ok &&= signIn;
  }
  step(`first-run: ${ok ? 'ok' : `FAILED (exit ${status}${url ? '' : ', no URL printed'})`} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  results.push({ name: 'first-run', passed: ok ? 1 : 0, failed: ok ? 0 : 1 });
  return ok;
}

async function check(name, cmd, args) {
  const ok = await sh(name, cmd, args);
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1 });
  return ok;
}

async function main() {
  const started = Date.now();
  ensureDependencies();

  // Static checks: types (strict), the domain lib without Node types (no I/O), lint with module boundaries.
  await check('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  // The k6 scripts are plain JavaScript for k6 itself: checked against k6's API types (@types/k6), not Node's.
  await check('k6-typecheck', 'npx', ['tsc', '-p', 'k6/tsconfig.json']);
  // The benchmarks are not tests, but they must keep compiling against the code they measure.
  await check('bench-typecheck', 'npx', ['tsc', '-p', 'bench/tsconfig.json', '--noEmit']);
  if (fs.existsSync(path.join(ROOT, 'libs/domain/tsconfig.lib.json'))) await check('domain-no-io', 'npx', ['tsc', '-p', 'libs/domain/tsconfig.lib.json', '--noEmit']);
  await sh('nx-graph', 'npx', ['nx', 'show', 'projects'], { NX_DAEMON: 'false' });
  await check('lint', 'npx', ['eslint', '.', '--max-warnings=0']);
  // Prometheus's config, recording and alert rules, their unit tests with synthetic series, Alertmanager's config.
  await check('promtool', process.execPath, ['scripts/stack/prometheus.mjs', 'check']);

  await vitest('unit');

  // The real stack, then the apps from the current source (restarted so they run this code).
  const { up } = await import('./stack.mjs');
  const { apps } = await import('./stack/apps.mjs');
  const webProject = fs.existsSync(path.join(ROOT, 'angular.json'));
  if (webProject) {
    // The first run as a new user has it: on CI (a fresh clone) without dist/, so `npm start` builds the web app itself.
    if (process.env.CI) fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
    await firstRun();
    await check('js-budget', process.execPath, ['scripts/js-budget.mjs']);
  }
  await up();
  await apps.stopAll();
  // Every test registers customers, checks CPFs and signs in from 127.0.0.1: wider per-IP windows than production's
  // (10 registrations and 30 CPF checks per 10 min, 20 sign-ins per minute); the limits themselves are tested
  // in-process with small numbers (onboarding validation and cpf-check tests, bff auth and brute-force tests).
  // PIX locked by 3 wrong transaction PINs for 6 s instead of 30 min, so the browser test can see the lock end.
  const appEnv = { ONBOARDING_REGISTRATION_RATE_POINTS: '500', ONBOARDING_CPF_CHECK_RATE_POINTS: '500', RATE_LIMIT_SIGNIN_PER_IP: '200', PIX_PIN_LOCK_SECONDS: '6' };
  await apps.startAll(appEnv);

  await vitest('integration');
  // Schemathesis (PyPI, pinned, own venv) against the BFF's /api/docs with a customer and an operator session: all
  // checks and the stateful phase, bounded; the seed is printed, JUnit in tmp/schemathesis-*.xml (scripts/schemathesis.mjs).
  await check('schemathesis', process.execPath, ['scripts/schemathesis.mjs', '--max-examples', process.env.SCHEMATHESIS_MAX_EXAMPLES ?? '25']);
  await vitest('faults');
  // The fault suite kills, stops and restarts infrastructure and apps on purpose, and each test puts back what it
  // broke. What runs next (k6, the browser) must not depend on how well one did: it starts from the stack's normal
  // shape — any component left unhealthy started again, the apps started afresh with the suite's environment.
  step('after the faults: the stack back to its normal shape');
  await up();
  await apps.stopAll();
  await apps.startAll(appEnv);

  // The k6 smoke scenario through the k6-compatible runner (k6/README.md), scaled down: 0 failed requests, every check
  // green, all nine bank_* metrics present. Its pool (4 registrations) fits the registration window above.
  await check('k6-smoke', process.execPath, ['--import', 'tsx', 'tools/k6-runner/src/smoke.ts']);

  if (fs.existsSync(path.join(ROOT, 'e2e/playwright.config.ts'))) {
    ensureApt('chromium', ['chromium'], () => Boolean(which('chromium')));
    const out = path.join(tmp, 'playwright.json');
    const since = Date.now();
    const ok = await sh('e2e', 'npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out, CHROMIUM_PATH: which('chromium') });
    let passed = 0;
    let failed = ok ? 0 : 1;
    if (fs.existsSync(out)) {
      const s = JSON.parse(fs.readFileSync(out, 'utf8')).stats ?? {};
      passed = s.expected ?? 0;
      failed = (s.unexpected ?? 0) + (s.flaky ?? 0) + (ok || s.unexpected ? 0 : 1);
      const walk = (suite, file) => {
        for (const spec of suite.specs ?? []) {
          for (const t of spec.tests ?? []) {
            if (t.status === 'unexpected' || t.status === 'flaky') {
              const error = t.results?.find((r) => r.error)?.error;
              failures.push(`e2e › ${file ?? suite.file} › ${spec.title} (${t.status}): ${firstLine(error?.message)}`);
            }
          }
        }
        for (const child of suite.suites ?? []) walk(child, file ?? suite.file);
      };
      for (const suite of JSON.parse(fs.readFileSync(out, 'utf8')).suites ?? []) walk(suite);
    }
    results.push({ name: 'e2e', passed, failed });
    if (!ok) printAppWarnings(since);
  }

  const passed = results.reduce((a, r) => a + r.passed, 0);
  const failed = results.reduce((a, r) => a + r.failed, 0);
  console.log('\nSummary');
  for (const r of results) console.log(`  ${r.name.padEnd(12)} ${String(r.passed).padStart(5)} passed  ${String(r.failed).padStart(3)} failed`);
  console.log(`  took ${((Date.now() - started) / 60000).toFixed(1)} min\n`);
  if (failures.length) {
    console.log('Failed tests');
    for (const f of failures) console.log(`  ✘ ${f}`);
    console.log('');
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(`[test] FAILED: ${e.stack ?? e.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
