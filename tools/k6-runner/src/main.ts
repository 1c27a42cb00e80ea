// k6-compatible runner: `node --import tsx tools/k6-runner/src/main.ts [run] [-e NAME=value]... script.js`.
// Executes a k6 script under Node with exactly the k6 API the scripts in k6/ use (see k6/README.md), and exits as k6
// does: 0, 99 when a threshold was crossed, 104 for a configuration it does not support, 107 for a script error,
// 108 when the script called test.abort().
import fs from 'node:fs';
import path from 'node:path';
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { iterationErrors, planScenario, plannedMs, ScenarioRun, type ScenarioPlan } from './executors';
import { abortTest, als, currentVu, formatDuration, parseDuration, state, type VuContext } from './runtime';
import { defaultTextSummary, summaryData } from './summary';
import { UnsupportedError } from './unsupported';
import { CookieJar } from './cookie-jar';

const EXIT = { thresholds: 99, setupTimeout: 100, config: 104, script: 107, aborted: 108 } as const;
const SUPPORTED_OPTIONS = new Set(['scenarios', 'thresholds', 'setupTimeout', 'teardownTimeout', 'summaryTrendStats', 'noCookiesReset', 'discardResponseBodies', 'maxRedirects', 'vus', 'duration', 'iterations']);
const MODULES = ['k6', 'k6/http', 'k6/metrics', 'k6/execution'];

class ExitError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function parseArgs(argv: string[]) {
  const env: Record<string, string> = {};
  let script: string | undefined;
  let quiet = false;
  const args = argv[0] === 'run' ? argv.slice(1) : argv;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-e' || a === '--env') {
      const kv = args[++i] ?? '';
      const eq = kv.indexOf('=');
      if (eq < 1) throw new ExitError(EXIT.config, `-e needs NAME=value, got "${kv}"`);
      env[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (a === '-q' || a === '--quiet') quiet = true;
    else if (a.startsWith('-')) throw new ExitError(EXIT.config, `k6-runner: command-line flag "${a}" is not supported (supported: -e/--env NAME=value, -q/--quiet)`);
    else if (script) throw new ExitError(EXIT.config, 'k6-runner: one script at a time');
    else script = a;
  }
  if (!script) throw new ExitError(EXIT.config, 'usage: npm run k6 -- [run] [-e NAME=value]... k6/<scenario>.js');
  return { env, script: path.resolve(script), quiet };
}

function installGlobals() {
  const g = globalThis as Record<string, unknown>;
  g.__ENV = state.env;
  Object.defineProperty(globalThis, '__VU', { get: () => currentVu().id, configurable: true });
  Object.defineProperty(globalThis, '__ITER', { get: () => currentVu().iterationInInstance, configurable: true });
  g.open = () => {
    throw new UnsupportedError('open() (embed small files in the script instead)');
  };
}

function scenarioPlans(options: Record<string, unknown>): ScenarioPlan[] {
  for (const k of Object.keys(options)) if (!SUPPORTED_OPTIONS.has(k)) throw new UnsupportedError(`option "${k}"`);
  const scenarios = options.scenarios as Record<string, Record<string, unknown>> | undefined;
  if (scenarios) return Object.entries(scenarios).map(([name, s]) => planScenario(name, s));
  if (options.duration !== undefined) return [planScenario('default', { executor: 'constant-vus', vus: options.vus ?? 1, duration: options.duration })];
  return [planScenario('default', { executor: 'shared-iterations', vus: options.vus ?? 1, iterations: options.iterations ?? 1 })];
}

const BUILTIN: Array<[string, 'counter' | 'gauge' | 'rate' | 'trend', 'default' | 'time' | 'data']> = [
  ['checks', 'rate', 'default'],
  ['data_received', 'counter', 'data'],
  ['http_reqs', 'counter', 'default'],
  ['http_req_duration', 'trend', 'time'],
  ['http_req_waiting', 'trend', 'time'],
  ['http_req_failed', 'rate', 'default'],
  ['iterations', 'counter', 'default'],
  ['iteration_duration', 'trend', 'time'],
  ['dropped_iterations', 'counter', 'default'],
  ['vus', 'gauge', 'default'],
  ['vus_max', 'gauge', 'default'],
];

async function withTimeout<T>(p: Promise<T>, ms: number, what: string, code: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new ExitError(code, `${what} timed out after ${formatDuration(ms)}`)), ms);
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

async function run(): Promise<number> {
  const { env, script, quiet } = parseArgs(process.argv.slice(2));
  state.env = { ...(process.env as Record<string, string>), ...env };
  installGlobals();
  const here = path.dirname(new URL(import.meta.url).pathname);
  const moduleUrls = Object.fromEntries(MODULES.map((m) => [m, pathToFileURL(path.join(here, 'modules', `${m.replace('/', '-')}.ts`)).href]));
  register('./loader-hooks.mjs', import.meta.url, { data: { modules: moduleUrls } });

  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(script).href)) as Record<string, unknown>;
  } catch (err) {
    const m = /The requested module '([^']+)' does not provide an export named '([^']+)'/.exec((err as Error).message);
    if (m && m[1]!.startsWith('k6')) throw new ExitError(EXIT.config, new UnsupportedError(`${m[1]}.${m[2]}`).message);
    throw err;
  }
  const options = (mod.options ?? {}) as Record<string, unknown>;
  state.options = options;
  const plans = scenarioPlans(options);
  for (const p of plans) if (typeof mod[p.exec] !== 'function') throw new ExitError(EXIT.config, `scenario "${p.name}": the script exports no function "${p.exec}"`);
  for (const [name, type, contains] of BUILTIN) state.registry.get(name, type, contains);
  for (const [key, exprs] of Object.entries((options.thresholds ?? {}) as Record<string, Array<string | { threshold: string }>>)) {
    state.registry.addThresholds(key, Array.isArray(exprs) ? exprs : [exprs], (d) => parseDuration(d, 'delayAbortEval'));
  }

  const special = (phase: VuContext['phase']): VuContext => ({ id: 0, phase, iterationInInstance: 0, iterationInScenario: 0, jar: new CookieJar(), signal: state.abortController.signal });
  state.startedAt = Date.now();
  const planned = Math.max(...plans.map((p) => p.startMs + plannedMs(p)));
  if (!quiet) console.error(`k6-runner: ${path.relative(process.cwd(), script)} — ${plans.map((p) => `${p.name} (${p.executor}, up to ${p.maxVus} VUs)`).join(', ')}, about ${formatDuration(planned)} plus setup`);

  let data: unknown;
  if (typeof mod.setup === 'function') {
    const setupFn = mod.setup as () => unknown;
    const ms = options.setupTimeout === undefined ? 60_000 : parseDuration(options.setupTimeout, 'setupTimeout');
    const result = await withTimeout(als.run(special('setup'), async () => setupFn()), ms, 'setup()', EXIT.setupTimeout);
    data = result === undefined ? undefined : JSON.parse(JSON.stringify(result));
  }

  // Thresholds with abortOnFail are evaluated while the test runs (k6 does so every 2 s); progress every 10 s.
  const runStart = Date.now();
  let runs: ScenarioRun[] = [];
  let lastProgress = Date.now();
  const ticker = setInterval(() => {
    const elapsed = (Date.now() - runStart) / 1000;
    state.registry.get('vus', 'gauge').add(state.vusActive, {});
    state.registry.get('vus_max', 'gauge').add(state.vusMax, {});
    for (const m of state.registry.all()) {
      const aborting = m.thresholds.filter((t) => t.abortOnFail && Date.now() - runStart >= t.delayAbortEvalMs);
      if (!aborting.length) continue;
      m.evaluate(elapsed);
      const crossed = aborting.filter((t) => !t.ok);
      if (crossed.length) abortTest(`threshold ${m.name}: ${crossed.map((t) => t.source).join(', ')} crossed (abortOnFail)`);
    }
    if (!quiet && Date.now() - lastProgress >= 10_000) {
      lastProgress = Date.now();
      const done = runs.reduce((a, r) => a + r.completed, 0);
      console.error(`running (${formatDuration(Date.now() - runStart)}), ${state.vusActive}/${state.vusMax} VUs, ${done} complete and ${runs.reduce((a, r) => a + r.interrupted, 0)} interrupted iterations`);
    }
  }, 1000);
  try {
    runs = plans.map((p) => new ScenarioRun(p, mod[p.exec] as (d: unknown) => unknown, data));
    await Promise.all(runs.map((r) => r.run()));
  } finally {
    clearInterval(ticker);
  }

  if (typeof mod.teardown === 'function') {
    const teardownFn = mod.teardown as (d: unknown) => unknown;
    const ms = options.teardownTimeout === undefined ? 60_000 : parseDuration(options.teardownTimeout, 'teardownTimeout');
    await withTimeout(als.run({ ...special('teardown'), signal: new AbortController().signal }, async () => teardownFn(data)), ms, 'teardown()', 101);
  }

  if (state.unsupported) throw state.unsupported;
  const duration = Date.now() - state.startedAt;
  const failed: string[] = [];
  for (const m of state.registry.all()) for (const t of m.evaluate(duration / 1000)) failed.push(`${m.name}: ${t.source}`);
  const summary = summaryData(duration);
  if (typeof mod.handleSummary === 'function') {
    const out = (await als.run(special('summary'), async () => (mod.handleSummary as (d: unknown) => unknown)(summary))) as Record<string, string> | undefined;
    for (const [dest, content] of Object.entries(out ?? {})) {
      if (dest === 'stdout') process.stdout.write(String(content));
      else if (dest === 'stderr') process.stderr.write(String(content));
      else {
        fs.mkdirSync(path.dirname(path.resolve(dest)), { recursive: true });
        fs.writeFileSync(dest, String(content));
      }
    }
  } else {
    process.stdout.write(defaultTextSummary(summary));
  }
  const errors = iterationErrors();
  if (errors) console.error(`k6-runner: ${errors} iteration(s) ended with an uncaught error`);
  if (failed.length) {
    console.error(`ERRO thresholds on metrics crossed: ${failed.join('; ')}${state.abortReason ? ` (test aborted: ${state.abortReason})` : ''}`);
    return EXIT.thresholds;
  }
  if (state.abortReason) {
    console.error(`k6-runner: test aborted: ${state.abortReason}`);
    return EXIT.aborted;
  }
  return 0;
}

run().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ExitError) {
      console.error(err.message);
      process.exit(err.code);
    }
    if (err instanceof UnsupportedError) {
      console.error(err.message);
      process.exit(EXIT.config);
    }
    console.error(`k6-runner: script error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(EXIT.script);
  },
);
