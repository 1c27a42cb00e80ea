import { describe, expect, it } from 'vitest';
import { BrokenCircuitError, CircuitState, TaskCancelledError, callWithBreaker, createBreaker, isUnavailableError } from './resilience';

const failing = () => Promise.reject(new Error('connection refused'));

describe('createBreaker + callWithBreaker', () => {
  it('when the dependency fails N times in a row, then the breaker opens and fails fast without calling it', async () => {
    const breaker = createBreaker({ name: 'test', consecutiveFailures: 2, halfOpenAfterMs: 60_000 });
    await expect(callWithBreaker(breaker, 1000, failing)).rejects.toThrow('connection refused');
    await expect(callWithBreaker(breaker, 1000, failing)).rejects.toThrow('connection refused');
    expect(breaker.state).toBe(CircuitState.Open);
    let called = false;
    const err = await callWithBreaker(breaker, 1000, async () => {
      called = true;
      return 1;
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokenCircuitError);
    expect(isUnavailableError(err)).toBe(true);
    expect(called).toBe(false);
  });

  it('when the half-open delay has passed and the trial call succeeds, then the breaker closes again', async () => {
    const breaker = createBreaker({ name: 'test', consecutiveFailures: 1, halfOpenAfterMs: 20 });
    await expect(callWithBreaker(breaker, 1000, failing)).rejects.toThrow();
    expect(breaker.state).toBe(CircuitState.Open);
    await new Promise((r) => setTimeout(r, 40));
    await expect(callWithBreaker(breaker, 1000, async () => 'ok')).resolves.toBe('ok');
    expect(breaker.state).toBe(CircuitState.Closed);
  });

  it('when the call takes longer than the timeout, then it is cancelled and its signal is aborted', async () => {
    const breaker = createBreaker({ name: 'test' });
    let aborted = false;
    const err = await callWithBreaker(breaker, 20, (signal) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(new Error('aborted'));
        });
      }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskCancelledError);
    expect(aborted).toBe(true);
  });

  it('when isFailure says an error is not the dependency failing, then it does not open the breaker', async () => {
    const breaker = createBreaker({ name: 'test', consecutiveFailures: 1, isFailure: (e) => e.message !== 'client error' });
    await expect(callWithBreaker(breaker, 1000, () => Promise.reject(new Error('client error')))).rejects.toThrow('client error');
    expect(breaker.state).toBe(CircuitState.Closed);
  });
});
