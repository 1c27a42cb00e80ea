// The bank's own processes (APIs, BFF, consumers, workers), started from source with tsx.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, componentDir, isPidAlive, logPath, portOpen, readPid, spawnDetached, step, stopPid, tail, waitFor } from './common.mjs';

/** Every process `npm start` runs. `port` is where /health and /ready answer. */
export const APP_PROCESSES = [
  { name: 'payments', entry: 'apps/payments/src/main.ts', port: 5002 },
  { name: 'onboarding', entry: 'apps/onboarding/src/main.ts', port: 5001 },
  { name: 'bff', entry: 'apps/bff/src/main.ts', port: 5000 },
];

const pidFile = (name) => path.join(componentDir(name), `${name}.pid`);

function appPid(name) {
  const pid = readPid(pidFile(name));
  return isPidAlive(pid) ? pid : undefined;
}

async function ready(port) {
  const res = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(3000) });
  return res.ok;
}

export const apps = {
  names: () => APP_PROCESSES.map((a) => a.name),
  async startAll(env = {}) {
    for (const app of APP_PROCESSES) {
      if (!fs.existsSync(path.join(ROOT, app.entry))) continue;
      if (appPid(app.name)) {
        step(`${app.name}: already running (pid ${appPid(app.name)})`);
        continue;
      }
      if (app.port && (await portOpen(app.port))) throw new Error(`${app.name}: port ${app.port} is taken by another process`);
      step(`${app.name}: starting on ${app.port ?? '-'} (log: ${path.relative(process.cwd(), logPath(app.name))})`);
      const pid = spawnDetached(process.execPath, ['--import', 'tsx', app.entry], {
        log: logPath(app.name),
        pidFile: pidFile(app.name),
        env: { NODE_ENV: process.env.NODE_ENV ?? 'development', PORT: String(app.port ?? ''), ...env },
      });
      try {
        if (app.port) await waitFor(app.name, () => ready(app.port), { timeoutMs: 90_000, intervalMs: 500, isAlive: () => isPidAlive(pid) });
      } catch (e) {
        throw new Error(`${e.message}\n--- last lines of ${logPath(app.name)} ---\n${tail(logPath(app.name), 30)}`);
      }
      step(`${app.name}: ready`);
    }
  },
  async stopAll() {
    for (const app of [...APP_PROCESSES].reverse()) {
      const pid = appPid(app.name);
      if (pid) {
        await stopPid(pid, { graceMs: 15_000 });
        step(`${app.name}: stopped`);
      }
    }
  },
  async status() {
    for (const app of APP_PROCESSES) {
      const pid = appPid(app.name);
      let ok = false;
      if (pid && app.port) ok = await ready(app.port).catch(() => false);
      console.log(`${app.name.padEnd(10)} ${pid ? `pid ${String(pid).padEnd(8)}` : 'stopped     '} ${ok ? 'ready' : pid ? 'NOT READY' : '-'}  port ${app.port ?? '-'}  log ${path.relative(process.cwd(), logPath(app.name))}`);
    }
  },
};
