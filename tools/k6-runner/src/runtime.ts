// The state one test run shares between the engine and the k6 modules: metrics, the current VU (through
// AsyncLocalStorage, since every VU runs in this one process), and the abort switch.
import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';
import { CookieJar } from './cookie-jar';
import { Registry, type Tags } from './metrics';
import { UnsupportedError } from './unsupported';

export interface ScenarioInfo {
  name: string;
  executor: string;
  startTime: number;
  iterationInTest: number;
  tags: Tags;
}

export interface VuContext {
  /** 0 in the init context, setup() and teardown(), as in k6. */
  id: number;
  phase: 'init' | 'setup' | 'vu' | 'teardown' | 'summary';
  /** Iterations this VU started (across scenarios), k6's __ITER and vu.iterationInInstance. */
  iterationInInstance: number;
  iterationInScenario: number;
  scenario?: ScenarioInfo;
  jar: CookieJar;
  /** Aborted when the VU's iteration is interrupted (end of gracefulStop, test abort): its requests and sleeps end. */
  signal: AbortSignal;
}

export class TestAbortedError extends Error {
  constructor(readonly reason: string) {
    super(`test aborted: ${reason}`);
    this.name = 'TestAbortedError';
  }
}

export class InterruptedError extends Error {
  constructor() {
    super('iteration interrupted');
    this.name = 'InterruptedError';
  }
}

export const state = {
  registry: new Registry(),
  env: {} as Record<string, string>,
  options: {} as Record<string, unknown>,
  startedAt: 0,
  /** Set when the test must stop now (test.abort(), a threshold with abortOnFail). */
  abortReason: undefined as string | undefined,
  /** An unsupported k6 API met while VUs ran: the run ends with the configuration exit code. */
  unsupported: undefined as Error | undefined,
  abortController: ((c: AbortController) => (setMaxListeners(0, c.signal), c))(new AbortController()),
  /** Checks by name, for the summary's root group. */
  checks: new Map<string, { passes: number; fails: number }>(),
  vusActive: 0,
  vusMax: 0,
  /** Called by the HTTP module to decide `expected_response` (k6's default: 200–399). */
  responseCallback: (status: number) => status >= 200 && status < 400,
};

export const als = new AsyncLocalStorage<VuContext>();

const initContext: VuContext = { id: 0, phase: 'init', iterationInInstance: 0, iterationInScenario: 0, jar: new CookieJar(), signal: state.abortController.signal };

export function currentVu(): VuContext {
  return als.getStore() ?? initContext;
}

export function abortTest(reason: string) {
  if (state.abortReason) return;
  state.abortReason = reason;
  state.abortController.abort(new TestAbortedError(reason));
}

/** The tags every sample of the current VU carries (k6's default system tags `scenario`, plus the scenario's tags). */
export function vuTags(): Tags {
  const vu = currentVu();
  return vu.scenario ? { scenario: vu.scenario.name, ...vu.scenario.tags } : {};
}

export function addSample(name: string, type: 'counter' | 'gauge' | 'rate' | 'trend', value: number, tags: Tags, contains: 'default' | 'time' | 'data' = 'default') {
  state.registry.get(name, type, contains).add(value, tags);
}

/** k6 durations: "30s", "1m30s", "2h", "500ms", or a number of milliseconds. */
export function parseDuration(d: unknown, what = 'duration'): number {
  if (typeof d === 'number' && Number.isFinite(d) && d >= 0) return d;
  if (typeof d !== 'string' || !/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(d.trim())) throw new UnsupportedError(`${what} "${String(d)}" (use e.g. "90s", "1m30s", "2h")`);
  let ms = 0;
  for (const [, n, unit] of d.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    ms += Number(n) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
  }
  return ms;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms.toFixed(0)}ms`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s % 60 || (!h && !m) ? `${s % 60}s` : ''}`;
}

/** Resolves after `ms`, or rejects as soon as the VU's iteration is interrupted. */
export function interruptibleDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new InterruptedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
