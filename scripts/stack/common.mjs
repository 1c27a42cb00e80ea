// Shared helpers for the local stack: paths, detached processes with pid files, waiting, apt installs.
// Plain Node (no dependencies) so it runs before `npm install` where needed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const STACK_DIR = path.resolve(process.env.KRT_STACK_DIR ?? path.join(ROOT, '.stack'));
export const TOOLS_DIR = path.join(STACK_DIR, 'tools');
/** dist/node path of a source entry, relative to the root (the production build writes the bundles there): apps/bff/src/main.ts → dist/node/apps/bff/src/main.js */
export const compiledEntry = (entry) => `dist/node/${entry.replace(/\.ts$/, '.js')}`;

export function componentDir(name) {
  const dir = path.join(STACK_DIR, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function logPath(name) {
  return path.join(componentDir(name), `${name}.log`);
}

export function step(message) {
  const t = new Date().toISOString().slice(11, 19);
  process.stdout.write(`[stack ${t}] ${message}\n`);
}

export class StackError extends Error {
  constructor(component, message, log) {
    super(`${component}: ${message}${log ? ` (log: ${log})` : ''}`);
    this.component = component;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it resolves truthy or the deadline passes. */
export async function waitFor(what, check, { timeoutMs = 60_000, intervalMs = 500, isAlive } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (isAlive && !isAlive()) throw new Error(`${what}: the process exited during start-up`);
    try {
      if (await check()) return;
    } catch (e) {
      lastError = e;
    }
    await sleep(intervalMs);
  }
  throw new Error(`${what}: not healthy after ${Math.round(timeoutMs / 1000)} s${lastError ? ` (${lastError.message})` : ''}`);
}

export function isPidAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return e.code === 'EPERM';
  }
  // A process that exited but was not yet reaped by its parent (a zombie) answers signal 0: it is not alive.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

export function readPid(file) {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').split('\n')[0].trim(), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Starts a long-running process detached from this one, output appended to `log`, pid written to `pidFile`. */
export function spawnDetached(cmd, args, { log, pidFile, env, cwd, uid, gid }) {
  const out = fs.openSync(log, 'a');
  const child = spawn(cmd, args, {
    cwd: cwd ?? ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', out, out],
    uid,
    gid,
  });
  fs.closeSync(out);
  child.unref();
  if (pidFile) fs.writeFileSync(pidFile, `${child.pid}\n`);
  return child.pid;
}

/** Sends SIGTERM to a process group (or process), then SIGKILL after `graceMs`. */
export async function stopPid(pid, { graceMs = 15_000, group = true } = {}) {
  if (!isPidAlive(pid)) return false;
  const target = group ? -pid : pid;
  try {
    process.kill(target, 'SIGTERM');
  } catch {
    try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && isPidAlive(pid)) await sleep(200);
  if (isPidAlive(pid)) {
    try { process.kill(target, 'SIGKILL'); } catch { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    // Return only once it is gone, so a start right after never finds the old process "already running".
    const killDeadline = Date.now() + 5000;
    while (Date.now() < killDeadline && isPidAlive(pid)) await sleep(100);
  }
  return true;
}

export function portOpen(port, host = '127.0.0.1', timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.error) throw r.error;
  return r;
}

export function runOrThrow(component, cmd, args, opts = {}) {
  const r = run(cmd, args, opts);
  if (r.status !== 0) {
    throw new StackError(component, `\`${cmd} ${args.join(' ')}\` failed: ${(r.stderr || r.stdout || '').trim().slice(-800)}`);
  }
  return r.stdout;
}

export function which(bin) {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

let aptUpdated = false;
/** Installs Debian packages when `probe()` says they are missing (the machine runs as root). */
export function ensureApt(component, packages, probe) {
  if (probe()) return;
  step(`${component}: installing ${packages.join(' ')} with apt-get (first run only)`);
  const sudo = process.getuid && process.getuid() !== 0 ? ['sudo'] : [];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'update', '-qq'], { env, stdio: 'inherit' });
    aptUpdated = true;
  }
  const args = ['install', '-y', '-qq', '--no-install-recommends', ...packages];
  const r = sudo.length ? run('sudo', ['apt-get', ...args], { env, stdio: 'inherit' }) : run('apt-get', args, { env, stdio: 'inherit' });
  if (r.status !== 0 || !probe()) throw new StackError(component, `could not install ${packages.join(' ')} with apt-get`);
}

export function tail(file, lines = 20) {
  try {
    const text = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return '(no log yet)';
  }
}

/**
 * The parts every stack component run as one local process shares: `name`, `ports`, `pid()` (from
 * `.stack/<name>/<name>.pid`, alive only), `stop()`, `portTaken()` (any of its ports answers), and `spawn(cmd, args,
 * opts)`, which starts it detached (log in `.stack/<name>/`) and waits until the component's own `healthy()` says so.
 * A component spreads it and adds `healthy`, `install` and `start`.
 */
export function localProcess(name, { ports, graceMs = 10_000, startTimeoutMs = 30_000, intervalMs = 300 }) {
  const pidFile = () => path.join(componentDir(name), `${name}.pid`);
  return {
    name,
    ports,
    pid() {
      const pid = readPid(pidFile());
      return isPidAlive(pid) ? pid : undefined;
    },
    async stop() {
      return stopPid(this.pid(), { graceMs });
    },
    async portTaken() {
      for (const port of ports) if (await portOpen(port)) return true;
      return false;
    },
    async spawn(cmd, args, opts = {}) {
      const pid = spawnDetached(cmd, args, { log: logPath(name), pidFile: pidFile(), ...opts });
      await waitFor(name, () => this.healthy(), { timeoutMs: startTimeoutMs, intervalMs, isAlive: () => isPidAlive(pid) });
      return pid;
    },
  };
}
