// What every scenario shares: options (scenario + thresholds), setup() making the pool, the iteration that plays the
// seed's mix, and handleSummary writing the text summary, JSON and an HTML report.
import exec from 'k6/execution';
import { sleep } from 'k6';
import { MIX, SUMMARY_DIR, THINK_MAX, THINK_MIN, TIME_SCALE, SCALE, BASE_URL } from './config.js';
import { balance, dashboard, pix, register, statement } from './journeys.js';
import { currentSession, useSession } from './bff.js';
import { createPool } from './pool.js';
import { htmlReport, textSummary } from './summary.js';

/** p95 per step (ms): what a customer notices. Looser bounds for heavier scenarios come from `overrides`. */
const P95 = {
  bank_login_duration: 1500,
  bank_register_duration: 3000,
  bank_balance_duration: 500,
  bank_statement_duration: 800,
  bank_dashboard_duration: 1200,
  bank_pix_duration: 5000,
};

/**
 * @param {string} name
 * @param {Record<string, any>} scenario
 * @param {{ p95?: Record<string, number>, failedRate?: number, checksRate?: number, extraThresholds?: Record<string, any[]> }} [tuning]
 */
export function scenarioOptions(name, scenario, tuning = {}) {
  const { p95 = {}, failedRate = 0.01, checksRate = 0.99, extraThresholds = {} } = tuning;
  /** @type {Record<string, any[]>} */
  const thresholds = {
    http_req_failed: [`rate<${failedRate}`],
    checks: [`rate>${checksRate}`],
    'bank_rate_limited{phase:journey}': ['count==0'],
    ...extraThresholds,
  };
  // p95 per step, unless the scenario set that step's thresholds itself (breakpoint's abortOnFail bounds).
  for (const [metric, ms] of Object.entries({ ...P95, ...p95 })) if (!thresholds[metric]) thresholds[metric] = [`p(95)<${ms}`];
  if (scenario.executor === 'ramping-arrival-rate' || scenario.executor === 'constant-arrival-rate') thresholds.dropped_iterations = thresholds.dropped_iterations || ['count==0'];
  return {
    scenarios: { [name]: scenario },
    thresholds,
    setupTimeout: '15m',
    teardownTimeout: '1m',
    // The VU keeps its session between iterations (a browser does); sessions come from setup().
    noCookiesReset: true,
    summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max', 'count'],
  };
}

export function poolSetup(size) {
  return async function setup() {
    return { pool: await createPool(size), startedAt: Date.now() };
  };
}

/** The mix as a cycle of 20 steps (8 balance, 5 statement, 4 dashboard, 2 PIX, 1 account), interleaved: exact shares, every step seen in any 20 iterations. */
const CYCLE = ['balance', 'statement', 'dashboard', 'balance', 'pix', 'balance', 'statement', 'dashboard', 'balance', 'statement', 'register', 'balance', 'dashboard', 'statement', 'balance', 'pix', 'dashboard', 'balance', 'statement', 'balance'];
for (const [step, pct] of MIX) {
  if (CYCLE.filter((s) => s === step).length !== (pct * CYCLE.length) / 100) throw new Error(`the cycle does not match the mix for ${step}`);
}

export function stepFor(iterationInTest) {
  return CYCLE[iterationInTest % CYCLE.length];
}

export async function journey(data, { replayPix = false } = {}) {
  const pool = data.pool;
  const user = pool[(exec.vu.idInTest - 1) % pool.length];
  if (!currentSession(user.session.name)) useSession(user.session);
  const step = stepFor(exec.scenario.iterationInTest);
  if (step === 'balance') await balance(user);
  else if (step === 'statement') await statement(user);
  else if (step === 'dashboard') await dashboard(user);
  else if (step === 'pix') {
    const others = pool.length - 1;
    const recipient = pool[(pool.indexOf(user) + 1 + Math.floor(Math.random() * others)) % pool.length];
    await pix(user, recipient, { replay: replayPix });
  } else await register();
  // Closed-model scenarios pace themselves with a person's think time; arrival-rate scenarios are paced by the executor.
  if (!exec.scenario.executor.endsWith('arrival-rate')) await sleep(THINK_MIN + Math.random() * (THINK_MAX - THINK_MIN));
}

export function summaryFor(name, data) {
  const context = { scenario: name, baseUrl: BASE_URL, scale: SCALE, timeScale: TIME_SCALE };
  return {
    stdout: textSummary(data, context),
    [`${SUMMARY_DIR}/${name}-summary.json`]: JSON.stringify({ context, ...data }, null, 2),
    [`${SUMMARY_DIR}/${name}-report.html`]: htmlReport(data, context),
  };
}
