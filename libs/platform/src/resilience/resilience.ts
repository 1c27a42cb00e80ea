// HTTP resilience for calls to other processes (Keycloak, upstream services): a circuit breaker plus a timeout,
// a small wrapper around cockatiel so every caller (onboarding, BFF) configures them the same way.
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleAll,
  handleWhen,
  timeout as cockatielTimeout,
  wrap,
  type CircuitBreakerPolicy,
  type TimeoutPolicy,
} from 'cockatiel';
import type { Logger } from '../telemetry/logger';
import { observeBreaker } from '../telemetry/metrics';

export { BrokenCircuitError, CircuitState, TaskCancelledError };

export interface BreakerOptions {
  /** Shown in logs (`breaker: keycloak-admin`). */
  name: string;
  /** How long the breaker stays open before it lets one trial call through. Default 5 s. */
  halfOpenAfterMs?: number;
  /** Consecutive failures that open the breaker. Default 5. */
  consecutiveFailures?: number;
  /** Which errors count as failures of the dependency (a timeout always does). Default: every error. */
  isFailure?: (err: Error) => boolean;
  logger?: Logger;
}

/** A circuit breaker that logs its state changes. */
export function createBreaker(opts: BreakerOptions): CircuitBreakerPolicy {
  const isFailure = opts.isFailure;
  const policy = circuitBreaker(isFailure ? handleWhen((e) => e instanceof TaskCancelledError || isFailure(e)) : handleAll, {
    halfOpenAfter: opts.halfOpenAfterMs ?? 5000,
    breaker: new ConsecutiveBreaker(opts.consecutiveFailures ?? 5),
  });
  observeBreaker(opts.name, policy); // circuit_breaker_state{breaker=name}
  if (opts.logger) {
    const log = opts.logger;
    policy.onStateChange((state) => {
      const level = state === CircuitState.Open ? 'warn' : 'info';
      log[level]({ breaker: opts.name, state: CircuitState[state] }, 'circuit breaker state changed');
    });
  }
  return policy;
}

/** A timeout that aborts the call's `AbortSignal` (pass it to `fetch`) when it fires. */
export function timeout(ms: number): TimeoutPolicy {
  return cockatielTimeout(ms, TimeoutStrategy.Aggressive);
}

/**
 * Runs `fn` through the breaker with a per-call timeout: a timeout counts as a failure of the dependency,
 * an open breaker fails at once with `BrokenCircuitError`.
 * Read the response body INSIDE `fn`: cockatiel aborts `signal` as soon as `fn` settles, so a body read
 * afterwards fails with an AbortError.
 */
export function callWithBreaker<T>(breaker: CircuitBreakerPolicy, timeoutMs: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return wrap(breaker, timeout(timeoutMs)).execute(async ({ signal }) => {
    try {
      return await fn(signal);
    } catch (err) {
      // fetch rejects with its own AbortError when the timeout aborts it: report it as the timeout it is.
      if (signal.aborted) throw new TaskCancelledError(`timed out after ${timeoutMs} ms`);
      throw err;
    }
  });
}

/** True when the call failed because the dependency is unavailable (open breaker or timeout), not because of its answer. */
export function isUnavailableError(err: unknown): boolean {
  return err instanceof BrokenCircuitError || err instanceof TaskCancelledError;
}
