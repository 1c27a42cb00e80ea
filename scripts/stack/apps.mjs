// The bank's own processes (APIs, BFF, consumers, workers): started from source with tsx, or (KRT_APPS_RUNTIME=compiled,
// implied by KRT_PROFILE=load) as the production bundles in dist/node with plain node, as the Dockerfile runs them.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, STACK_DIR, compiledEntry, componentDir, isPidAlive, logPath, portOpen, readPid, spawnDetached, step, stopPid, tail, waitFor } from './common.mjs';
import { postgresReplica, replicaDatabaseUrl } from './postgres-replica.mjs';
import { JAEGER_OTLP_ENDPOINT, jaeger } from './jaeger.mjs';
// A cycle (prometheus.mjs reads the instance plan): only used inside functions, never while the modules load.
import { refreshAppTargets } from './prometheus.mjs';

/** Every process `npm start` runs. `port` is where /health and /ready answer. */
export const APP_PROCESSES = [
  { name: 'payments', entry: 'apps/payments/src/main.ts', port: 5002 },
  // The outbox relay and the PIX deadline sweeper, apart from the API (safe with replicas: PAYMENTS_RELAY_REPLICAS).
  { name: 'payments-relay', entry: 'apps/payments/src/workers/relay.main.ts', port: 5024 },
  { name: 'onboarding', entry: 'apps/onboarding/src/main.ts', port: 5001 },
  { name: 'onboarding-relay', entry: 'apps/onboarding/src/workers/relay.main.ts', port: 5025 },
  { name: 'bff', entry: 'apps/bff/src/main.ts', port: 5000 },
  { name: 'payments-account-consumer', entry: 'apps/payments/src/workers/account-consumer.main.ts', port: 5021 },
  { name: 'payments-fraud-consumer', entry: 'apps/payments/src/workers/fraud-consumer.main.ts', port: 5022 },
  { name: 'payments-payment-consumer', entry: 'apps/payments/src/workers/payment-consumer.main.ts', port: 5023 },
  { name: 'notifications', entry: 'apps/notifications/src/api.main.ts', port: 5003 },
  { name: 'notification-consumer', entry: 'apps/notifications/src/consumer.main.ts', port: 5031 },
  { name: 'notification-worker', entry: 'apps/notifications/src/worker.main.ts', port: 5032 },
];

const MAX_REPLICAS = 9;
const PORT_STRIDE = 10;
/** Infrastructure ports an extra instance must never take. */
const RESERVED_PORTS = [5433, 5434, 5435, 5672, 6380, 8080, 9000, 9092, 9093, 15672];

/** `payments-payment-consumer` → `PAYMENTS_PAYMENT_CONSUMER`: the prefix of a process's environment variables. */
export const envPrefix = (name) => name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

/** How many instances of `app` to run: `<NAME>_REPLICAS` (e.g. PAYMENTS_REPLICAS=2), 1 by default, at most 9. */
export function replicaCount(app, env = process.env) {
  const n = Number.parseInt(env[`${envPrefix(app.name)}_REPLICAS`] ?? '1', 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, MAX_REPLICAS) : 1;
}

const instanceName = (app, index) => (index === 1 ? app.name : `${app.name}-${index}`);

/**
 * Every instance of every app for the replica counts in `env`. The first instance keeps the app's name and port
 * (payments, 5002); instance i > 1 is `<name>-<i>` on the next free port of the series port + 10, port + 20…
 * (payments-2 on 5012; a port that is another app's own or an infrastructure port is skipped), with its own pid file and log.
 */
export function instancePlan(env = process.env) {
  const taken = new Set([...RESERVED_PORTS, ...APP_PROCESSES.map((a) => a.port).filter(Boolean)]);
  const plan = new Map();
  for (const app of APP_PROCESSES) {
    const list = [];
    for (let index = 1; index <= replicaCount(app, env); index += 1) {
      let port = app.port;
      if (index > 1 && app.port) {
        port = app.port + PORT_STRIDE;
        while (taken.has(port)) port += PORT_STRIDE;
        taken.add(port);
      }
      list.push({ app, index, name: instanceName(app, index), port });
    }
    plan.set(app.name, list);
  }
  return plan;
}

/** The instances of one app (see instancePlan). */
export const instancesOf = (app, env = process.env) => instancePlan(env).get(app.name) ?? [];

/** Every instance of `app` with a live process, whatever the current replica counts (port read from its port file). */
export function runningInstances(app) {
  const found = [];
  for (let index = 1; index <= MAX_REPLICAS; index += 1) {
    const name = instanceName(app, index);
    if (!appPid(name)) continue;
    const port = Number.parseInt(fs.existsSync(portFile(name)) ? fs.readFileSync(portFile(name), 'utf8') : '', 10);
    found.push({ app, index, name, port: Number.isFinite(port) ? port : index === 1 ? app.port : undefined });
  }
  return found;
}

const pidFile = (name) => path.join(componentDir(name), `${name}.pid`);
const portFile = (name) => path.join(componentDir(name), `${name}.port`);

function appPid(name) {
  if (!fs.existsSync(path.join(STACK_DIR, name))) return undefined;
  const pid = readPid(pidFile(name));
  return isPidAlive(pid) && isStackApp(pid) ? pid : undefined;
}

/**
 * Whether `pid` runs one of the stack's apps (every one loads the telemetry register): a pid file left by an app that
 * died with the machine can name a process that reused its number, which must be neither "already running" nor stopped.
 */
function isStackApp(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('telemetry.register');
  } catch {
    return true; // no /proc (not Linux): trust the pid
  }
}

async function ready(port) {
  const res = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(3000) });
  return res.ok;
}

/**
 * Environment every app process gets from the stack (each only when the caller's environment does not set it):
 * - `<NAME>_URLS` for every HTTP process, listing all its instances (the BFF balances over PAYMENTS_URLS and ONBOARDING_URLS);
 * - `PAYMENTS_READ_DATABASE_URL` / `ONBOARDING_READ_DATABASE_URL` on the read replica (5434) when it is running;
 * - `OTEL_EXPORTER_OTLP_ENDPOINT` on the stack's Jaeger (4318) when it is running: spans go there and to the span
 *   files (`OTEL_TRACES_FILE`, kept as the fallback and for trace-view), both exporters side by side.
 */
export async function stackEnv(env = process.env) {
  const derived = {};
  for (const [name, list] of instancePlan(env)) {
    if (!list[0]?.port) continue;
    derived[`${envPrefix(name)}_URLS`] = list.map((i) => `http://127.0.0.1:${i.port}`).join(',');
  }
  if (postgresReplica.pid() && (await postgresReplica.healthy().catch(() => false))) {
    derived.PAYMENTS_READ_DATABASE_URL = replicaDatabaseUrl('payments');
    derived.ONBOARDING_READ_DATABASE_URL = replicaDatabaseUrl('onboarding');
  }
  if (jaeger.pid() && (await jaeger.healthy().catch(() => false))) derived.OTEL_EXPORTER_OTLP_ENDPOINT = JAEGER_OTLP_ENDPOINT;
  for (const key of Object.keys(derived)) if (env[key] !== undefined) delete derived[key];
  return derived;
}

/** Loaded before every app (`--import`): the OpenTelemetry SDK must patch http/pg/ioredis/amqplib before the app imports them. */
const TELEMETRY_REGISTER_SOURCE = 'libs/platform/src/telemetry/telemetry.register.ts';

/**
 * How the stack runs the bank's processes:
 * - `source` (the default, for development): TypeScript through tsx, so an edit needs only a restart;
 * - `compiled`: the production bundles (dist/node, built first when missing or stale) with plain node, exactly as the
 *   Dockerfile and the Kubernetes manifests run them. The load profile (`KRT_PROFILE=load npm start`) implies it, so a
 *   load run measures the code production runs: under tsx every require() made at run time is resolved again (kafkajs
 *   requires a protocol module for each fetch and offset commit), 5-8 % of each Kafka consumer's CPU in a profile of
 *   the bench (2026-12-07).
 * Read from the launcher's own environment (`KRT_APPS_RUNTIME`), not from the environment handed to the processes.
 */
export function appsRuntime(env = process.env) {
  const runtime = env.KRT_APPS_RUNTIME || (env.KRT_PROFILE === 'load' ? 'compiled' : 'source');
  if (runtime !== 'source' && runtime !== 'compiled') throw new Error(`KRT_APPS_RUNTIME must be "source" or "compiled", got "${runtime}"`);
  return runtime;
}

/** The command line (after `node`) that runs `entry` in `runtime`. */
export function appArgs(entry, runtime = appsRuntime()) {
  if (runtime === 'compiled') return ['--import', pathToFileURL(path.join(ROOT, compiledEntry(TELEMETRY_REGISTER_SOURCE))).href, path.join(ROOT, compiledEntry(entry))];
  return ['--import', 'tsx', '--import', pathToFileURL(path.join(ROOT, TELEMETRY_REGISTER_SOURCE)).href, entry];
}

/** The runtime a running instance was started in (from its command line), or undefined when it is not running. */
export function runtimeOf(name) {
  const pid = appPid(name);
  if (!pid) return undefined;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('/dist/node/') ? 'compiled' : 'source';
  } catch {
    return undefined;
  }
}
/** Where each process writes its spans as JSON lines when no OTLP collector is configured (readable with `jq`). */
export const tracesFile = (name) => path.join(STACK_DIR, 'traces', `${name}.jsonl`);

/** Starts one instance (detached, pid file, log) and waits until its /ready answers 200. */
export async function startInstance(inst, env = {}, { runtime = appsRuntime() } = {}) {
  if (appPid(inst.name)) {
    step(`${inst.name}: already running (pid ${appPid(inst.name)})`);
    return appPid(inst.name);
  }
  if (inst.port && (await portOpen(inst.port))) throw new Error(`${inst.name}: port ${inst.port} is taken by another process`);
  step(`${inst.name}: starting on ${inst.port ?? '-'}${runtime === 'compiled' ? ' (compiled, dist/node)' : ''} (log: ${path.relative(process.cwd(), logPath(inst.name))})`);
  if (inst.port) fs.writeFileSync(portFile(inst.name), `${inst.port}\n`);
  const pid = spawnDetached(process.execPath, appArgs(inst.app.entry, runtime), {
    log: logPath(inst.name),
    pidFile: pidFile(inst.name),
    // PORT, and <NAME>_PORT for processes that read their own variable (NOTIFICATION_CONSUMER_PORT…), so instances never collide.
    env: {
      // A stack process is a running bank, even when a test runner (NODE_ENV=test) starts it: info logs, dev settings.
      NODE_ENV: process.env.NODE_ENV === 'test' ? 'development' : (process.env.NODE_ENV ?? 'development'),
      LOG_LEVEL: process.env.KRT_APPS_LOG_LEVEL ?? 'info',
      PORT: String(inst.port ?? ''),
      ...(inst.port ? { [`${envPrefix(inst.app.name)}_PORT`]: String(inst.port) } : {}),
      KRT_INSTANCE: inst.name,
      OTEL_SERVICE_NAME: inst.app.name,
      OTEL_TRACES_FILE: process.env.OTEL_TRACES_FILE ?? tracesFile(inst.name),
      ...env,
    },
  });
  try {
    if (inst.port) await waitFor(inst.name, () => ready(inst.port), { timeoutMs: 90_000, intervalMs: 500, isAlive: () => isPidAlive(pid) });
  } catch (e) {
    throw new Error(`${e.message}\n--- last lines of ${logPath(inst.name)} ---\n${tail(logPath(inst.name), 30)}`);
  }
  step(`${inst.name}: ready`);
  // Prometheus scrapes it from now on (its targets file follows what runs).
  refreshAppTargets();
  return pid;
}

/** Stops one instance by its pid file: SIGTERM (the process drains and exits), SIGKILL after `graceMs`. */
export async function stopInstance(name, { graceMs = 25_000 } = {}) {
  const pid = appPid(name);
  if (!pid) return false;
  await stopPid(pid, { graceMs });
  step(`${name}: stopped`);
  refreshAppTargets();
  return true;
}

export const apps = {
  names: () => APP_PROCESSES.flatMap((a) => [a.name, ...runningInstances(a).map((i) => i.name).filter((n) => n !== a.name)]),
  async startAll(env = {}) {
    const shared = { ...(await stackEnv()), ...env };
    if (appsRuntime() === 'compiled') {
      // Imported here: build.mjs reads APP_PROCESSES from this module while it loads.
      const { buildServices } = await import('../build.mjs');
      await buildServices();
    }
    for (const app of APP_PROCESSES) {
      if (!fs.existsSync(path.join(ROOT, app.entry))) continue;
      for (const inst of instancesOf(app)) await startInstance(inst, shared);
    }
  },
  async stopAll() {
    for (const app of [...APP_PROCESSES].reverse()) {
      for (const inst of runningInstances(app).reverse()) await stopInstance(inst.name);
    }
  },
  async status() {
    for (const app of APP_PROCESSES) {
      const running = runningInstances(app);
      for (const inst of running.length ? running : instancesOf(app).slice(0, 1)) {
        const pid = appPid(inst.name);
        let ok = false;
        if (pid && inst.port) ok = await ready(inst.port).catch(() => false);
        console.log(`${inst.name.padEnd(10)} ${pid ? `pid ${String(pid).padEnd(8)}` : 'stopped     '} ${ok ? 'ready' : pid ? 'NOT READY' : '-'}  port ${inst.port ?? '-'}  log ${path.relative(process.cwd(), logPath(inst.name))}`);
      }
    }
  },
};
