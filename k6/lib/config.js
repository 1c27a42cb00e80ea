// Configuration of every scenario, from environment variables (`k6 run -e NAME=value` or the environment).
//
//   BASE_URL           the BFF, as a browser reaches it (default http://127.0.0.1:5000)
//   SCALE              0 < SCALE ≤ 1 shrinks VUs, arrival rates and durations for a small machine (default 1: the seed's shapes)
//   TIME_SCALE         optional: scales durations alone (default SCALE), e.g. SCALE=1 TIME_SCALE=0.2 → 1,000 VUs for a fifth of the time
//   POOL_SIZE          overrides the scenario's pool size
//   OPERATOR_USER / OPERATOR_PASSWORD   the operator (realm role admin) who requests the pool's deposits (default: the development operator)
//   SUPERVISOR_USER / SUPERVISOR_PASSWORD   the second operator (realm role admin) who approves them (dual control; default: the development supervisor)
//   SUMMARY_DIR        where handleSummary writes <scenario>-summary.json and .html (default k6/results)

export const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:5000').replace(/\/$/, '');
export const OPERATOR_USER = __ENV.OPERATOR_USER || 'operador';
export const OPERATOR_PASSWORD = __ENV.OPERATOR_PASSWORD || 'Operador@2026';
export const SUPERVISOR_USER = __ENV.SUPERVISOR_USER || 'supervisora';
export const SUPERVISOR_PASSWORD = __ENV.SUPERVISOR_PASSWORD || 'Supervisora@2026';
export const SUMMARY_DIR = (__ENV.SUMMARY_DIR || 'k6/results').replace(/\/$/, '');

function factor(name, fallback) {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!(v > 0 && v <= 1)) throw new Error(`${name} must be a number in (0, 1], got "${raw}"`);
  return v;
}

export const SCALE = factor('SCALE', 1);
export const TIME_SCALE = factor('TIME_SCALE', SCALE);

/** VUs (or an arrival rate) scaled, never below `min`. */
export function vus(n, min = 1) {
  return Math.max(min, Math.round(n * SCALE));
}

/** A duration such as "18m" or "1m30s" scaled, never below one second. */
export function dur(d) {
  const units = { ms: 0.001, s: 1, m: 60, h: 3600 };
  let seconds = 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let m;
  while ((m = re.exec(d)) !== null) seconds += Number(m[1]) * units[m[2]];
  return `${Math.max(1, Math.round(seconds * TIME_SCALE))}s`;
}

/** Stages with targets and durations scaled. */
export function stages(list, min = 0) {
  return list.map((s) => ({ duration: dur(s.duration), target: s.target === 0 ? 0 : vus(s.target, Math.max(1, min)) }));
}

export function poolSize(seedSize) {
  return __ENV.POOL_SIZE ? Math.max(2, Number(__ENV.POOL_SIZE)) : seedSize;
}

/**
 * The seed's traffic mix (§8): 40 % balance, 25 % statement, 20 % dashboard, 10 % PIX, 5 % new account.
 * @type {Array<[string, number]>}
 */
export const MIX = [
  ['balance', 40],
  ['statement', 25],
  ['dashboard', 20],
  ['pix', 10],
  ['register', 5],
];

/** Think time between a VU's iterations, seconds (a person reading the screen). */
export const THINK_MIN = Number(__ENV.THINK_MIN || 1);
export const THINK_MAX = Number(__ENV.THINK_MAX || 3);
