// What the machine's processes cost during a phase of the bench, read from /proc: CPU seconds per component (each bank
// process by name, the stack's servers by their .stack folder, everything else by command name) and the resident
// memory of every bank process. Linux only; elsewhere the readings are empty.
import fs from 'node:fs';
import path from 'node:path';

const STACK_DIR = path.resolve('.stack');
const TICKS_PER_SECOND = 100; // USER_HZ on Linux (getconf CLK_TCK)

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number;
}

function readProcs(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');
      // after the command: state(0) ppid(1) … utime(11) stime(12)
      out.set(Number(e), { pid: Number(e), ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      /* the process ended while we read */
    }
  }
  return out;
}

const readPid = (file: string): number | undefined => {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').split('\n')[0]!.trim(), 10);
    return Number.isFinite(pid) && fs.existsSync(`/proc/${pid}`) ? pid : undefined;
  } catch {
    return undefined;
  }
};

/** Every live process the stack started, by its .stack folder name (bank apps, their replicas, the servers). */
export function stackPids(): Map<string, number> {
  const found = new Map<string, number>();
  let dirs: string[] = [];
  try {
    dirs = fs.readdirSync(STACK_DIR);
  } catch {
    return found;
  }
  for (const name of dirs) {
    const pid = readPid(path.join(STACK_DIR, name, `${name}.pid`)) ?? readPid(path.join(STACK_DIR, name, 'data', 'postmaster.pid'));
    if (pid) found.set(name, pid);
  }
  return found;
}

/** The bank entry a node process runs (`payments/src/main.ts`, from source or compiled), for processes the stack did not start (an A/B run). */
function appEntry(pid: number): string | undefined {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const m = /apps\/([\w-]+\/src\/[\w./-]+)\.(ts|js)/.exec(cmdline);
    return m ? `${m[1]}.ts` : undefined;
  } catch {
    return undefined;
  }
}

export interface CpuSampler {
  /** Takes a last reading and returns CPU-seconds per component since the sampler started, largest first. */
  stop(): { seconds: number; components: Array<{ name: string; seconds: number }> };
}

/**
 * CPU seconds spent per component while the sampler runs, read from /proc once a second (so that short-lived processes,
 * such as the PostgreSQL backends of pgbench's connections, are counted up to their last second). A process counts for
 * the nearest ancestor that is a known root (a .stack process, or one of `extraRoots`), else for its command name.
 */
export function cpuSampler(extraRoots: Map<number, string> = new Map(), intervalMs = 1000): CpuSampler {
  const started = Date.now();
  const roots = new Map<number, string>(extraRoots);
  for (const [name, pid] of stackPids()) roots.set(pid, name);
  const first = readProcs();
  const last = new Map<number, Proc>(first);
  const labels = new Map<number, string>();
  const sums = new Map<string, number>();
  const labelOf = (procs: Map<number, Proc>, pid: number): string => {
    if (procs.get(pid)?.comm === 'pgbench') return 'pgbench (client)';
    const seen = new Set<number>();
    let p = procs.get(pid);
    while (p && !seen.has(p.pid)) {
      const root = roots.get(p.pid);
      if (root) return root;
      seen.add(p.pid);
      p = procs.get(p.ppid);
    }
    const entry = appEntry(pid);
    return entry ? `other: ${entry}` : `other: ${procs.get(pid)?.comm ?? '?'}`;
  };
  const sample = () => {
    const now = readProcs();
    for (const [pid, p] of now) {
      const before = last.get(pid);
      // A pid not seen before started inside the window: all of its CPU time belongs here.
      const ticks = before && before.comm === p.comm ? p.ticks - before.ticks : before ? 0 : p.ticks;
      last.set(pid, p);
      if (ticks <= 0) continue;
      let label = labels.get(pid);
      if (!label) labels.set(pid, (label = labelOf(now, pid)));
      sums.set(label, (sums.get(label) ?? 0) + ticks / TICKS_PER_SECOND);
    }
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return {
        seconds: (Date.now() - started) / 1000,
        components: [...sums].map(([name, seconds]) => ({ name, seconds })).sort((x, y) => y.seconds - x.seconds),
      };
    },
  };
}

export interface ProcessMemory {
  name: string;
  pid: number;
  rssMb: number;
  peakMb: number;
}

function status(pid: number): { rssKb: number; hwmKb: number } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** VmRSS (and the peak, VmHWM) of every running instance of the given bank processes and of their child processes. */
export function bankMemory(bankNames: string[]): ProcessMemory[] {
  const procs = readProcs();
  const running = stackPids();
  const rows: ProcessMemory[] = [];
  const add = (name: string, pid: number) => {
    const s = status(pid);
    if (s) rows.push({ name, pid, rssMb: s.rssKb / 1024, peakMb: s.hwmKb / 1024 });
  };
  for (const [name, pid] of running) {
    const base = name.replace(/-\d+$/, '');
    if (!bankNames.includes(name) && !bankNames.includes(base)) continue;
    add(name, pid);
    const stack = [pid];
    while (stack.length) {
      const parent = stack.pop()!;
      for (const p of procs.values()) {
        if (p.ppid !== parent) continue;
        add(`${name} (child ${p.comm})`, p.pid);
        stack.push(p.pid);
      }
    }
  }
  return rows;
}
