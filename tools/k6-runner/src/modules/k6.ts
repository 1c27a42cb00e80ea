// The `k6` module: check, fail, sleep. `sleep` returns a promise here (the runner's VUs share one event loop); scripts
// write `await sleep(s)`, which k6 itself runs as a plain blocking sleep.
import { addSample, currentVu, interruptibleDelay, state, vuTags } from '../runtime';
import { strictModule, unsupported, UnsupportedError } from '../unsupported';

export function check<T>(val: T, sets: Record<string, ((v: T) => unknown) | unknown>, tags?: Record<string, string>): boolean {
  let all = true;
  for (const [name, fn] of Object.entries(sets)) {
    let ok: unknown;
    try {
      ok = typeof fn === 'function' ? fn(val) : fn;
    } catch {
      ok = false;
    }
    if (ok && typeof (ok as { then?: unknown }).then === 'function') throw new UnsupportedError(`check "${name}" returning a promise (k6 checks are synchronous)`);
    const pass = Boolean(ok);
    all &&= pass;
    addSample('checks', 'rate', pass ? 1 : 0, { ...vuTags(), ...(tags ?? {}), check: name });
    const entry = state.checks.get(name) ?? { passes: 0, fails: 0 };
    if (pass) entry.passes += 1;
    else entry.fails += 1;
    state.checks.set(name, entry);
  }
  return all;
}

export function fail(err?: string): never {
  throw new Error(err ?? 'fail() called');
}

export function sleep(seconds: number): Promise<void> {
  if (currentVu().phase === 'init') throw new Error('sleep() is not allowed in the init context (as in k6)');
  return interruptibleDelay(Math.max(0, seconds * 1000), currentVu().signal);
}

export const group = unsupported('k6.group (k6 documents that group does not work with async functions)');
export const randomSeed = unsupported('k6.randomSeed');

export default strictModule('k6', { check, fail, sleep, group, randomSeed });
