#!/usr/bin/env node
// The bank's infrastructure as local processes (no Docker needed):
//   node scripts/stack.mjs up [component...]   start what is not running, wait for real health
//   node scripts/stack.mjs down [component...] stop what this stack started (by pid)
//   node scripts/stack.mjs status              one line per component
//   node scripts/stack.mjs logs [component]    the last lines of each log (or one)
import fs from 'node:fs';
import path from 'node:path';
import { STACK_DIR, logPath, step, tail } from './stack/common.mjs';
import { postgres } from './stack/postgres.mjs';
import { postgresReplica } from './stack/postgres-replica.mjs';
import { redis } from './stack/redis.mjs';
import { rabbitmq } from './stack/rabbitmq.mjs';
import { kafka } from './stack/kafka.mjs';
import { keycloak } from './stack/keycloak.mjs';
import { smtp } from './stack/smtp.mjs';
import { alertmanager } from './stack/alertmanager.mjs';
import { prometheus } from './stack/prometheus.mjs';
import { jaeger } from './stack/jaeger.mjs';
import { apps } from './stack/apps.mjs';

export const COMPONENTS = [postgres, redis, rabbitmq, kafka, keycloak, postgresReplica, smtp, jaeger, alertmanager, prometheus];
const byName = new Map(COMPONENTS.map((c) => [c.name, c]));

function select(names) {
  if (!names.length) return COMPONENTS;
  return names.map((n) => {
    const c = byName.get(n);
    if (!c) throw new Error(`unknown component "${n}" (known: ${[...byName.keys()].join(', ')})`);
    return c;
  });
}

async function healthyQuietly(c) {
  try {
    return await c.healthy();
  } catch {
    return false;
  }
}

async function upOne(c) {
  const started = Date.now();
  if (c.pid() && (await healthyQuietly(c))) {
    step(`${c.name}: already running (pid ${c.pid()})`);
    // What start() sets up after the server is healthy (Kafka's topics) may be missing if an earlier `up` failed.
    await c.ensureSetup?.();
    return;
  }
  if (!c.pid() && (await c.portTaken())) {
    throw new Error(`${c.name}: port ${c.ports[0]} is taken by a process this stack did not start; stop it or set the port variable`);
  }
  c.install();
  if (!c.pid()) {
    step(`${c.name}: starting (log: ${path.relative(process.cwd(), logPath(c.name))})`);
    try {
      await c.start();
    } catch (e) {
      throw new Error(`${e.message}\n--- last lines of ${logPath(c.name)} ---\n${tail(logPath(c.name), 25)}`);
    }
  } else {
    step(`${c.name}: running but not healthy yet, waiting`);
    const { waitFor } = await import('./stack/common.mjs');
    await waitFor(c.name, () => c.healthy(), { timeoutMs: 120_000, intervalMs: 1000 });
  }
  step(`${c.name}: healthy (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

export async function up(names = []) {
  fs.mkdirSync(STACK_DIR, { recursive: true });
  const wanted = select(names);
  // Installs first, one after another: they are synchronous (apt, Maven downloads) and would otherwise block the
  // event loop while other components' health waits run out of time on a fresh machine.
  for (const c of wanted) c.install();
  const first = wanted.filter((c) => c.name === 'postgres' || c.name === 'redis');
  const rest = wanted.filter((c) => !first.includes(c));
  for (const c of first) await upOne(c);
  // Keycloak needs PostgreSQL; RabbitMQ, Kafka and Keycloak start side by side.
  const results = await Promise.allSettled(rest.map((c) => upOne(c)));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) throw new Error(failed.map((f) => f.reason.message).join('\n'));
}

export async function down(names = []) {
  if (!names.length) await apps.stopAll();
  for (const c of select(names).reverse()) {
    const stopped = await c.stop();
    step(`${c.name}: ${stopped ? 'stopped' : 'was not running'}`);
  }
}

export async function status() {
  let allUp = true;
  for (const c of COMPONENTS) {
    const pid = c.pid();
    const ok = pid ? await healthyQuietly(c) : false;
    allUp &&= ok;
    console.log(`${c.name.padEnd(10)} ${pid ? `pid ${String(pid).padEnd(8)}` : 'stopped     '} ${ok ? 'healthy' : pid ? 'NOT HEALTHY' : '-'}  ports ${c.ports.join(',')}  log ${path.relative(process.cwd(), logPath(c.name))}`);
  }
  await apps.status();
  return allUp;
}

function logs(names) {
  for (const c of names.length ? names : [...COMPONENTS.map((x) => x.name), ...apps.names()]) {
    console.log(`==> ${logPath(c)} <==`);
    console.log(tail(logPath(c), 40));
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const [cmd = 'status', ...args] = process.argv.slice(2);
  const actions = { up: () => up(args), down: () => down(args), status: async () => { if (!(await status())) process.exitCode = 1; }, logs: () => logs(args) };
  const action = actions[cmd];
  if (!action) {
    console.error(`usage: stack.mjs up|down|status|logs [component...]`);
    process.exit(2);
  }
  action().then(
    () => { if (cmd === 'up') step('all components healthy'); },
    (e) => {
      console.error(`\n[stack] FAILED: ${e.message}`);
      process.exit(1);
    },
  );
}
