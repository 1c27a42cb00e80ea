// Fault schedule for the bank-invariant run: acts on the REAL local processes (pid files, stack components) and
// always puts everything back (`restoreAll`).
//
// Schedule syntax (comma-separated): `<action>[=<target>][:<seconds>]@<at>`, `at` in seconds from the start of the load.
//   kill-payments[=payments-2]         SIGKILL a payments API instance, start it again after <seconds> (default 2)
//   kill-consumer[=<process>]          SIGKILL a consumer/worker (default payments-payment-consumer), restart after <seconds>
//   kafka-stop:20                      stop Kafka for <seconds> (default 20), then start it
//   redis-restart                      stop and start Redis
//   rabbitmq-restart                   stop and start RabbitMQ
//   keycloak-stop:20                   stop Keycloak for <seconds> (default 20), then start it
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPONENTS } from '../../../scripts/stack.mjs';
import { APP_PROCESSES, envPrefix, instancesOf, stackEnv, startInstance, type AppInstance } from '../../../scripts/stack/apps.mjs';
import type { FaultRecord } from './history';

export type FaultAction = 'kill-payments' | 'kill-consumer' | 'kafka-stop' | 'redis-restart' | 'rabbitmq-restart' | 'keycloak-stop';

export interface FaultSpec {
  action: FaultAction;
  target?: string;
  /** Seconds after the load started. */
  at: number;
  /** Seconds the component stays down. */
  seconds: number;
}

const DEFAULT_SECONDS: Record<FaultAction, number> = {
  'kill-payments': 2,
  'kill-consumer': 2,
  'kafka-stop': 20,
  'redis-restart': 0,
  'rabbitmq-restart': 0,
  'keycloak-stop': 20,
};

export const FULL_SCHEDULE = 'kill-payments@8,kafka-stop:20@20,redis-restart@50,kill-consumer@65,rabbitmq-restart@80,keycloak-stop:20@100';

export function parseSchedule(text: string): FaultSpec[] {
  if (!text.trim()) return [];
  return text.split(',').map((part) => {
    const m = /^\s*([a-z-]+)(?:=([a-z0-9-]+))?(?::(\d+(?:\.\d+)?))?@(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!m || !(m[1]! in DEFAULT_SECONDS)) throw new Error(`bad fault "${part}" (expected action[=target][:seconds]@at, actions: ${Object.keys(DEFAULT_SECONDS).join(', ')})`);
    const action = m[1] as FaultAction;
    return { action, target: m[2], at: Number(m[4]), seconds: m[3] !== undefined ? Number(m[3]) : DEFAULT_SECONDS[action] };
  });
}

export const describeFault = (f: FaultSpec) => `${f.action}${f.target ? `=${f.target}` : ''}${f.seconds ? `:${f.seconds}s` : ''}@${f.at}s`;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const STACK_DIR = path.resolve(process.env.KRT_STACK_DIR ?? path.join(ROOT, '.stack'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const component = (name: string) => {
  const c = COMPONENTS.find((x) => x.name === name);
  if (!c) throw new Error(`no stack component ${name}`);
  return c;
};

/** The instance called `name` (payments, payments-2, payments-payment-consumer…), whatever the current replica counts. */
function instanceNamed(name: string): AppInstance {
  for (const app of APP_PROCESSES) {
    const found = instancesOf(app, { [`${envPrefix(app.name)}_REPLICAS`]: '9' }).find((i) => i.name === name);
    if (found) return found;
  }
  throw new Error(`no app instance ${name}`);
}

function livePid(name: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(path.join(STACK_DIR, name, `${name}.pid`), 'utf8'), 10);
    if (!Number.isFinite(pid)) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Runs faults and remembers what it touched, so that `restoreAll` can bring every piece back. */
export class FaultInjector {
  readonly records: FaultRecord[] = [];
  private readonly touchedComponents = new Set<string>();
  private readonly touchedInstances = new Set<string>();

  constructor(
    private readonly t0: number,
    private readonly log: (line: string) => void,
  ) {}

  private now() {
    return Date.now() - this.t0;
  }

  /** Runs the schedule; resolves when the last fault is over. `stopped()` cuts waiting short. */
  async run(schedule: FaultSpec[], stopped: () => boolean): Promise<void> {
    await Promise.all(
      schedule.map(async (f) => {
        while (this.now() < f.at * 1000) {
          if (stopped()) return;
          await sleep(100);
        }
        await this.inject(f);
      }),
    );
  }

  async inject(f: FaultSpec): Promise<void> {
    const rec: FaultRecord = { name: describeFault(f), startedAt: this.now(), endedAt: 0, ok: false };
    this.records.push(rec);
    this.log(`fault ${rec.name}: begins at ${(rec.startedAt / 1000).toFixed(1)} s`);
    try {
      rec.detail = await this.act(f);
      rec.ok = true;
    } catch (e) {
      rec.detail = (e as Error).message.split('\n')[0];
    } finally {
      rec.endedAt = this.now();
      this.log(`fault ${rec.name}: ${rec.ok ? 'done' : 'FAILED'} at ${(rec.endedAt / 1000).toFixed(1)} s (${rec.detail ?? ''})`);
    }
  }

  private async act(f: FaultSpec): Promise<string> {
    switch (f.action) {
      case 'kill-payments':
      case 'kill-consumer': {
        const name = f.target ?? (f.action === 'kill-payments' ? 'payments' : 'payments-payment-consumer');
        const inst = instanceNamed(name);
        const pid = livePid(name);
        if (!pid) throw new Error(`${name} is not running`);
        this.touchedInstances.add(name);
        process.kill(pid, 'SIGKILL');
        await sleep(f.seconds * 1000);
        const started = Date.now();
        const { pid: newPid, crashes } = await this.restart(inst);
        return `kill -9 ${name} (pid ${pid}); restarted as pid ${newPid}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s${crashes ? ` after ${crashes} crash(es) at start-up` : ''}`;
      }
      case 'kafka-stop':
      case 'keycloak-stop':
      case 'redis-restart':
      case 'rabbitmq-restart': {
        const name = f.action.split('-')[0]!;
        const c = component(name);
        this.touchedComponents.add(name);
        const stopping = Date.now();
        await c.stop();
        const downAt = Date.now();
        await sleep(f.seconds * 1000);
        const starting = Date.now();
        await c.start();
        const s = (from: number, to: number) => `${((to - from) / 1000).toFixed(1)} s`;
        return `${name} stopped in ${s(stopping, downAt)}, kept down ${s(downAt, starting)}, healthy again ${s(starting, Date.now())} later`;
      }
    }
  }

  /**
   * Starts an instance again, as a supervisor would: a process that exits during start-up (e.g. a consumer that
   * cannot reach Kafka while Kafka is down in an overlapping fault) is started again, up to 5 times.
   */
  private async restart(inst: AppInstance): Promise<{ pid: number; crashes: number }> {
    for (let crashes = 0; ; crashes++) {
      try {
        return { pid: await startInstance(inst, await stackEnv()), crashes };
      } catch (e) {
        if (crashes >= 5) throw e;
        this.log(`${inst.name} exited during start-up (${(e as Error).message.split('\n')[0]}); starting it again`);
        await sleep(3000);
      }
    }
  }

  /** Starts every component and instance this injector touched that is not running (always call it, in finally). */
  async restoreAll(): Promise<string[]> {
    const restored: string[] = [];
    for (const name of this.touchedComponents) {
      const c = component(name);
      if (!c.pid()) {
        await c.start();
        restored.push(name);
      }
    }
    for (const name of this.touchedInstances) {
      if (!livePid(name)) {
        await this.restart(instanceNamed(name));
        restored.push(name);
      }
    }
    return restored;
  }
}
