// Prometheus 9090 from Debian's `prometheus` package, the stack's own instance (not the system service): it scrapes every
// bank process and replica (bearer METRICS_TOKEN, or the development token), Keycloak's management /metrics, RabbitMQ, Jaeger,
// Alertmanager and itself every 5 s, evaluates the rules of infra/observability/rules/*.rules.yml and sends alerts to the stack's
// Alertmanager (scripts/stack/alertmanager.mjs). Config rendered from infra/observability/prometheus.local.yml into
// .stack/prometheus/; the bank targets from scripts/stack/apps.mjs's instance plan, rewritten at every `stack up` and whenever
// apps.mjs starts or stops an instance (refreshAppTargets).
//
//   node scripts/stack/prometheus.mjs check    promtool check config + check rules + test rules (no server started)
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, STACK_DIR, componentDir, ensureApt, localProcess, run, step, which } from './common.mjs';
import { ALERTMANAGER_PORT, alertmanager, disableSystemService, renderAlertmanagerConfig } from './alertmanager.mjs';
import { APP_PROCESSES, instancePlan, runningInstances } from './apps.mjs';
import { PROMETHEUS_METRICS_PORT as RABBITMQ_PROMETHEUS_PORT } from './rabbitmq.mjs';

export const PROMETHEUS_PORT = Number(process.env.PROMETHEUS_PORT ?? 9090);
const KEYCLOAK_MANAGEMENT_PORT = Number(process.env.KEYCLOAK_MANAGEMENT_PORT ?? 9000);
/** Jaeger's metrics port (JAEGER_METRICS_PORT of scripts/stack/jaeger.mjs). */
const JAEGER_METRICS_PORT = Number(process.env.JAEGER_METRICS_PORT ?? 14269);
/** The development bearer token of libs/platform/src/http/http.ts (DEV_METRICS_TOKEN), used when METRICS_TOKEN is unset. */
const DEV_METRICS_TOKEN = 'krt-local-metrics-token';

export const RULES_DIR = path.join(ROOT, 'infra/observability/rules');
const TEMPLATE = path.join(ROOT, 'infra/observability/prometheus.local.yml');
export const PROMETHEUS_URL = `http://127.0.0.1:${PROMETHEUS_PORT}`;

/**
 * One file-discovery group per bank process instance, labelled with its app and instance name: the instances of the
 * plan (replicas included) and every other instance that runs (a replica a scale test started with startInstance).
 */
export function appTargets(env = process.env) {
  const groups = [];
  for (const app of APP_PROCESSES) {
    const planned = instancePlan(env).get(app.name) ?? [];
    const extra = runningInstances(app).filter((r) => !planned.some((p) => p.name === r.name));
    for (const inst of [...planned, ...extra]) {
      if (inst.port) groups.push({ targets: [`127.0.0.1:${inst.port}`], labels: { app: app.name, process: inst.name } });
    }
  }
  return groups;
}

/** Writes `<dir>/targets/apps.json` (written then renamed: Prometheus watches the file and must never read half of it). */
function writeAppTargets(dir, env = process.env) {
  const targetsDir = path.join(dir, 'targets');
  fs.mkdirSync(targetsDir, { recursive: true });
  const targets = path.join(targetsDir, 'apps.json');
  fs.writeFileSync(`${targets}.tmp`, `${JSON.stringify(appTargets(env), null, 2)}\n`);
  fs.renameSync(`${targets}.tmp`, targets);
  return targetsDir;
}

/**
 * Called by scripts/stack/apps.mjs after an instance started or stopped: the stack's Prometheus (when it has been set up
 * here) sees the change through file discovery, without a reload.
 */
export function refreshAppTargets(env = process.env) {
  const dir = path.join(STACK_DIR, 'prometheus');
  if (fs.existsSync(path.join(dir, 'prometheus.yml'))) writeAppTargets(dir, env);
}

/** Writes prometheus.yml, the token file and targets/apps.json into `dir`; returns the config's path. */
export function renderConfig(dir, env = process.env) {
  const targetsDir = writeAppTargets(dir, env);
  const tokenFile = path.join(dir, 'metrics-token');
  fs.writeFileSync(tokenFile, env.METRICS_TOKEN || DEV_METRICS_TOKEN, { mode: 0o600 });
  const values = {
    RULES_DIR,
    TARGETS_DIR: targetsDir,
    TOKEN_FILE: tokenFile,
    ALERTMANAGER_PORT: String(ALERTMANAGER_PORT),
    PROMETHEUS_PORT: String(PROMETHEUS_PORT),
    KEYCLOAK_MANAGEMENT_PORT: String(KEYCLOAK_MANAGEMENT_PORT),
    JAEGER_METRICS_PORT: String(JAEGER_METRICS_PORT),
    RABBITMQ_PROMETHEUS_PORT: String(RABBITMQ_PROMETHEUS_PORT),
  };
  const text = fs.readFileSync(TEMPLATE, 'utf8').replace(/\$\{([A-Z_]+)\}/g, (m, k) => {
    if (!(k in values)) throw new Error(`prometheus: unknown placeholder ${m} in ${TEMPLATE}`);
    return values[k];
  });
  // The rules' digest heads the config, so a changed rule file changes the config and ensureSetup reloads it.
  const rules = createHash('sha256');
  for (const f of fs.readdirSync(RULES_DIR).filter((f) => f.endsWith('.rules.yml')).sort()) rules.update(f).update(fs.readFileSync(path.join(RULES_DIR, f)));
  const config = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(config, `# rules sha256 ${rules.digest('hex')}\n${text}`);
  return config;
}

function installPrometheus() {
  const had = Boolean(which('prometheus') && which('promtool'));
  ensureApt('prometheus', ['prometheus'], () => Boolean(which('prometheus') && which('promtool')));
  if (!had) disableSystemService('prometheus');
}

async function ready() {
  const res = await fetch(`${PROMETHEUS_URL}/-/ready`, { signal: AbortSignal.timeout(2000) });
  return res.ok;
}

export const prometheus = {
  ...localProcess('prometheus', { ports: [PROMETHEUS_PORT] }),
  healthy: ready,
  install: installPrometheus,
  async start() {
    const dir = componentDir('prometheus');
    const config = renderConfig(dir);
    await this.spawn(which('prometheus'), [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      '--storage.tsdb.retention.time=3d',
      '--storage.tsdb.retention.size=1GB',
      `--web.listen-address=127.0.0.1:${PROMETHEUS_PORT}`,
      '--web.enable-lifecycle',
    ]);
  },
  /** Already running: the targets follow the current replica counts, the rules and config the repository's. */
  async ensureSetup() {
    const dir = componentDir('prometheus');
    const before = fs.existsSync(path.join(dir, 'prometheus.yml')) ? fs.readFileSync(path.join(dir, 'prometheus.yml'), 'utf8') : '';
    // The targets file is watched by Prometheus; the config itself needs a reload, only when it changed (a reload
    // briefly empties the discovered Alertmanagers and targets).
    if (fs.readFileSync(renderConfig(dir), 'utf8') !== before) {
      await fetch(`${PROMETHEUS_URL}/-/reload`, { method: 'POST', signal: AbortSignal.timeout(5000) }).catch(() => undefined);
    }
  },
};

/**
 * The static checks of `npm test` (no server): the rendered config and the rules are valid (`promtool check config`,
 * which also checks every rule file it loads; `promtool check rules`), the rules' unit tests with synthetic series
 * pass (`promtool test rules infra/observability/rules/*.test.yml`) and Alertmanager's rendered config is valid
 * (`amtool check-config`); docker-compose's Prometheus and Alertmanager configs too. Resolves true when all pass.
 */
export async function checkRules() {
  installPrometheus();
  alertmanager.install();
  const promtool = which('promtool');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'krt-prometheus-'));
  try {
    const ruleFiles = fs.readdirSync(RULES_DIR).filter((f) => f.endsWith('.rules.yml')).map((f) => path.join(RULES_DIR, f));
    const testFiles = fs.readdirSync(RULES_DIR).filter((f) => f.endsWith('.test.yml')).map((f) => path.join(RULES_DIR, f));
    if (!ruleFiles.length || !testFiles.length) {
      console.error(`promtool: no rules (*.rules.yml) or no rule tests (*.test.yml) in ${RULES_DIR}`);
      return false;
    }
    let ok = true;
    const compose = path.join(ROOT, 'infra/observability/prometheus.yml');
    for (const args of [['check', 'config', renderConfig(dir)], ['check', 'config', compose], ['check', 'rules', ...ruleFiles], ['test', 'rules', ...testFiles]]) {
      step(`promtool ${args.slice(0, 2).join(' ')}${args[1] === 'config' ? ` ${path.relative(ROOT, args[2])}` : ''}`);
      const r = run(promtool, args, { cwd: RULES_DIR, stdio: 'inherit', timeout: 120_000 });
      ok &&= r.status === 0;
    }
    for (const config of [renderAlertmanagerConfig(dir), path.join(ROOT, 'infra/observability/alertmanager.compose.yml')]) {
      step(`amtool check-config ${path.relative(ROOT, config)}`);
      ok &&= run(which('amtool'), ['check-config', config], { stdio: 'inherit', timeout: 60_000 }).status === 0;
    }
    return ok;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const [cmd] = process.argv.slice(2);
  if (cmd !== 'check') {
    console.error('usage: prometheus.mjs check');
    process.exit(2);
  }
  process.exit((await checkRules()) ? 0 : 1);
}
