// The executors the scenarios use, with k6's meaning: constant-vus, ramping-vus, ramping-arrival-rate,
// constant-arrival-rate, per-vu-iterations, shared-iterations. Anything else is refused.
import { setMaxListeners } from 'node:events';
import { CookieJar } from './cookie-jar';
import { abortTest, addSample, als, InterruptedError, parseDuration, state, type ScenarioInfo, type VuContext } from './runtime';
import { UnsupportedError } from './unsupported';

type Fn = (data: unknown) => unknown;

interface Vu {
  id: number;
  jar: CookieJar;
  iterations: number;
}

const COMMON = ['executor', 'startTime', 'gracefulStop', 'exec', 'tags'];
const KEYS: Record<string, string[]> = {
  'constant-vus': ['vus', 'duration'],
  'ramping-vus': ['startVUs', 'stages', 'gracefulRampDown'],
  'ramping-arrival-rate': ['startRate', 'timeUnit', 'preAllocatedVUs', 'maxVUs', 'stages'],
  'constant-arrival-rate': ['rate', 'timeUnit', 'duration', 'preAllocatedVUs', 'maxVUs'],
  'per-vu-iterations': ['vus', 'iterations', 'maxDuration'],
  'shared-iterations': ['vus', 'iterations', 'maxDuration'],
};

export interface Stage {
  durationMs: number;
  target: number;
}

export interface ScenarioPlan {
  name: string;
  executor: string;
  startMs: number;
  gracefulStopMs: number;
  exec: string;
  tags: Record<string, string>;
  config: Record<string, unknown>;
  stages: Stage[];
  /** The longest the scenario can run, graceful stop included (for the progress line). */
  maxVus: number;
}

const num = (v: unknown, what: string, dflt?: number): number => {
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new UnsupportedError(`${what} = ${JSON.stringify(v)} (a number ≥ 0 is needed)`);
  return v;
};

export function planScenario(name: string, raw: Record<string, unknown>): ScenarioPlan {
  const executor = String(raw.executor);
  const allowed = KEYS[executor];
  if (!allowed) throw new UnsupportedError(`executor "${executor}" (scenario "${name}"; supported: ${Object.keys(KEYS).join(', ')})`);
  for (const k of Object.keys(raw)) if (!COMMON.includes(k) && !allowed.includes(k)) throw new UnsupportedError(`scenario option "${k}" for executor ${executor} (scenario "${name}")`);
  const stages = Array.isArray(raw.stages)
    ? (raw.stages as Array<{ duration: string; target: number }>).map((s, i) => ({ durationMs: parseDuration(s.duration, `${name}.stages[${i}].duration`), target: num(s.target, `${name}.stages[${i}].target`) }))
    : [];
  let maxVus = 0;
  if (executor === 'constant-vus' || executor === 'per-vu-iterations' || executor === 'shared-iterations') maxVus = num(raw.vus, `${name}.vus`, 1);
  if (executor === 'ramping-vus') maxVus = Math.max(num(raw.startVUs, `${name}.startVUs`, 1), ...stages.map((s) => s.target));
  if (executor.endsWith('arrival-rate')) {
    const pre = num(raw.preAllocatedVUs, `${name}.preAllocatedVUs`);
    maxVus = Math.max(pre, num(raw.maxVUs, `${name}.maxVUs`, pre));
  }
  return {
    name,
    executor,
    startMs: raw.startTime === undefined ? 0 : parseDuration(raw.startTime, `${name}.startTime`),
    gracefulStopMs: raw.gracefulStop === undefined ? 30_000 : parseDuration(raw.gracefulStop, `${name}.gracefulStop`),
    exec: raw.exec === undefined ? 'default' : String(raw.exec),
    tags: (raw.tags as Record<string, string>) ?? {},
    config: raw,
    stages,
    maxVus,
  };
}

/** Planned length of a scenario without graceful stop (0 when it ends by iteration count). */
export function plannedMs(p: ScenarioPlan): number {
  if (p.executor === 'constant-vus' || p.executor === 'constant-arrival-rate') return parseDuration(p.config.duration, `${p.name}.duration`);
  if (p.stages.length) return p.stages.reduce((a, s) => a + s.durationMs, 0);
  return p.config.maxDuration === undefined ? 600_000 : parseDuration(p.config.maxDuration, `${p.name}.maxDuration`);
}

/** The value of a stage profile (VUs or rate) `t` ms after the start: linear between stage targets, as k6 ramps. */
export function stageValue(start: number, stages: Stage[], t: number): number {
  let from = start;
  let at = 0;
  for (const s of stages) {
    if (t < at + s.durationMs) return s.durationMs ? from + ((s.target - from) * (t - at)) / s.durationMs : s.target;
    at += s.durationMs;
    from = s.target;
  }
  return from;
}

/** How many iterations a piecewise-linear rate profile has started by `t` ms (rate per `unitMs`). */
export function startedBy(start: number, stages: Stage[], unitMs: number, t: number): number {
  let from = start;
  let at = 0;
  let total = 0;
  for (const s of stages) {
    const span = Math.min(Math.max(t - at, 0), s.durationMs);
    if (s.durationMs > 0) total += (from * span + ((s.target - from) * span * span) / (2 * s.durationMs)) / unitMs;
    at += s.durationMs;
    from = s.target;
    if (t <= at) break;
  }
  return total;
}

let nextVuId = 1;
const errorCounts = new Map<string, number>();

function logIterationError(err: unknown) {
  const msg = err instanceof Error ? (err.stack ?? err.message).split('\n').slice(0, 3).join(' | ') : String(err);
  const n = (errorCounts.get(msg) ?? 0) + 1;
  errorCounts.set(msg, n);
  if (n <= 3) console.error(`ERRO uncaught error in an iteration: ${msg}${n === 3 ? ' (further copies of this message are counted, not printed)' : ''}`);
}

export const iterationErrors = () => [...errorCounts.values()].reduce((a, b) => a + b, 0);

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ScenarioRun {
  readonly info: ScenarioInfo;
  /** Aborted at the end of the graceful stop, or when the whole test aborts. */
  private readonly hardStop = new AbortController();
  readonly signal: AbortSignal;
  active = 0;
  completed = 0;
  interrupted = 0;

  constructor(
    readonly plan: ScenarioPlan,
    private readonly fn: Fn,
    private readonly data: unknown,
  ) {
    this.info = { name: plan.name, executor: plan.executor, startTime: 0, iterationInTest: 0, tags: plan.tags };
    // Either the scenario's hard stop or the whole test's abort (AbortSignal.any without relying on lib typings).
    const either = new AbortController();
    const test = state.abortController.signal;
    if (test.aborted) either.abort();
    else test.addEventListener('abort', () => either.abort(), { once: true });
    this.hardStop.signal.addEventListener('abort', () => either.abort(), { once: true });
    this.signal = either.signal;
    // One listener per running iteration (and per request in flight): thousands with thousands of VUs.
    setMaxListeners(0, this.signal, this.hardStop.signal);
  }

  private newVu(): Vu {
    state.vusMax += 1;
    return { id: nextVuId++, jar: new CookieJar(), iterations: 0 };
  }

  private async iterate(vu: Vu, inScenario: number) {
    if (!state.options.noCookiesReset) vu.jar.reset();
    const ctx: VuContext = { id: vu.id, phase: 'vu', iterationInInstance: vu.iterations, iterationInScenario: inScenario, scenario: { ...this.info, iterationInTest: this.info.iterationInTest }, jar: vu.jar, signal: this.signal };
    this.info.iterationInTest += 1;
    vu.iterations += 1;
    this.active += 1;
    state.vusActive += 1;
    const t0 = performance.now();
    let interrupted = false;
    let onAbort = () => undefined as void;
    const stopped = new Promise<never>((_r, reject) => {
      onAbort = () => reject(new InterruptedError());
      if (this.signal.aborted) onAbort();
      else this.signal.addEventListener('abort', onAbort, { once: true });
    });
    stopped.catch(() => undefined);
    try {
      await Promise.race([als.run(ctx, async () => this.fn(this.data)), stopped]);
    } catch (err) {
      if (err instanceof UnsupportedError) {
        // Not a failing journey but a script this runner cannot run faithfully: the whole run stops and says why.
        state.unsupported ??= err;
        abortTest(err.message);
        interrupted = true;
      } else if (err instanceof InterruptedError || this.signal.aborted) interrupted = true;
      else logIterationError(err);
    } finally {
      this.signal.removeEventListener('abort', onAbort);
      this.active -= 1;
      state.vusActive -= 1;
    }
    if (interrupted) {
      this.interrupted += 1;
      return;
    }
    this.completed += 1;
    const tags = { scenario: this.plan.name, ...this.plan.tags };
    addSample('iterations', 'counter', 1, tags);
    addSample('iteration_duration', 'trend', performance.now() - t0, tags, 'time');
  }

  private get stopping() {
    return this.signal.aborted;
  }

  /** Waits for the loops, at most gracefulStop after `endAt`; then interrupts what still runs. */
  private async finish(loops: Promise<unknown>, endAt: number) {
    const grace = delay(Math.max(0, endAt - Date.now()) + this.plan.gracefulStopMs).then(() => 'timeout' as const);
    await Promise.race([loops, grace, new Promise((r) => this.signal.addEventListener('abort', r, { once: true }))]);
    this.hardStop.abort();
    await loops;
  }

  async run(): Promise<void> {
    if (this.plan.startMs) await Promise.race([delay(this.plan.startMs), new Promise((r) => state.abortController.signal.addEventListener('abort', r, { once: true }))]);
    if (this.stopping) return;
    const t0 = Date.now();
    this.info.startTime = t0;
    const c = this.plan.config;
    const endAt = t0 + plannedMs(this.plan);
    const before = () => Date.now() < endAt && !this.stopping;
    switch (this.plan.executor) {
      case 'constant-vus': {
        const loops = Promise.all(
          Array.from({ length: this.plan.maxVus }, async () => {
            const vu = this.newVu();
            for (let i = 0; before(); i++) await this.iterate(vu, i);
          }),
        );
        return this.finish(loops, endAt);
      }
      case 'ramping-vus': {
        const start = num(c.startVUs, 'startVUs', 1);
        const loops = Promise.all(
          Array.from({ length: this.plan.maxVus }, async (_v, index) => {
            let vu: Vu | undefined;
            let i = 0;
            while (before()) {
              const target = Math.round(stageValue(start, this.plan.stages, Date.now() - t0));
              if (index < target) {
                vu ??= this.newVu();
                await this.iterate(vu, i++);
              } else {
                await delay(100);
              }
            }
          }),
        );
        return this.finish(loops, endAt);
      }
      case 'per-vu-iterations':
      case 'shared-iterations': {
        const iterations = num(c.iterations, 'iterations', 1);
        let shared = 0;
        const loops = Promise.all(
          Array.from({ length: this.plan.maxVus }, async () => {
            const vu = this.newVu();
            for (let i = 0; before(); i++) {
              if (this.plan.executor === 'per-vu-iterations' ? i >= iterations : shared++ >= iterations) break;
              await this.iterate(vu, i);
            }
          }),
        );
        return this.finish(loops, endAt);
      }
      case 'ramping-arrival-rate':
      case 'constant-arrival-rate': {
        const unit = c.timeUnit === undefined ? 1000 : parseDuration(c.timeUnit, 'timeUnit');
        const constant = this.plan.executor === 'constant-arrival-rate';
        const startRate = constant ? num(c.rate, 'rate') : num(c.startRate, 'startRate', 0);
        const stages = constant ? [{ durationMs: endAt - t0, target: startRate }] : this.plan.stages;
        const idle: Vu[] = Array.from({ length: num(c.preAllocatedVUs, 'preAllocatedVUs') }, () => this.newVu());
        let allocated = idle.length;
        const inflight = new Set<Promise<void>>();
        let started = 0;
        const perVu = new Map<number, number>();
        const tags = { scenario: this.plan.name, ...this.plan.tags };
        while (before()) {
          const due = Math.floor(startedBy(startRate, stages, unit, Date.now() - t0));
          while (started < due) {
            started += 1;
            const vu = idle.pop() ?? (allocated < this.plan.maxVus ? (allocated++, this.newVu()) : undefined);
            if (!vu) {
              addSample('dropped_iterations', 'counter', 1, tags);
              continue;
            }
            const n = perVu.get(vu.id) ?? 0;
            perVu.set(vu.id, n + 1);
            const p: Promise<void> = this.iterate(vu, n).finally(() => {
              idle.push(vu);
              inflight.delete(p);
            });
            inflight.add(p);
          }
          await delay(10);
        }
        return this.finish(Promise.all([...inflight]), endAt);
      }
    }
  }
}
