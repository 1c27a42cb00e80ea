// The supervisor's policy with a scripted consumer (kafkajs' own crash semantics are covered against the real Kafka in
// tests/integration/infra/consumer-supervision.test.ts): what counts as a stall, and what it does about one.
import type { Consumer, ConsumerRunConfig } from 'kafkajs';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { superviseConsumer } from './consumer';
import { createLogger } from '../telemetry/logger';

const EVENTS = {
  FETCH_START: 'consumer.fetch_start',
  HEARTBEAT: 'consumer.heartbeat',
  GROUP_JOIN: 'consumer.group_join',
  START_BATCH_PROCESS: 'consumer.start_batch_process',
  END_BATCH_PROCESS: 'consumer.end_batch_process',
  CRASH: 'consumer.crash',
} as const;

/** A consumer that only emits what the test tells it to, and counts stop() and run(). */
function scripted(opts: { stopHangs?: boolean } = {}) {
  const emitter = new EventEmitter();
  const calls = { stop: 0, run: 0 };
  const consumer = {
    events: EVENTS,
    on: (event: string, listener: (e: unknown) => void) => {
      emitter.on(event, listener);
      return () => emitter.off(event, listener);
    },
    stop: async () => {
      calls.stop += 1;
      if (opts.stopHangs) await new Promise(() => undefined);
    },
    run: async () => {
      calls.run += 1;
    },
  } as unknown as Pick<Consumer, 'on' | 'events' | 'run' | 'stop'>;
  return { consumer, calls, emit: (event: string, payload: unknown = {}) => emitter.emit(event, { payload }) };
}

const log = createLogger('supervision-spec', { level: 'silent' });
const config: ConsumerRunConfig = {};

describe('consumer supervision', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('when a consumer shows no sign of life for the stall time, then it is stopped and run again, once', async () => {
    const c = scripted();
    const s = superviseConsumer(c.consumer, config, log, 'g', { stallMs: 3000 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(c.calls).toEqual({ stop: 0, run: 0 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(c.calls).toEqual({ stop: 1, run: 1 });
    // Running again counts as a sign of life: the next restart only after another whole stall time of silence.
    await vi.advanceTimersByTimeAsync(1500);
    expect(c.calls).toEqual({ stop: 1, run: 1 });
    await vi.advanceTimersByTimeAsync(1500);
    expect(c.calls).toEqual({ stop: 2, run: 2 });
    s.stop();
  });

  it('when it fetches regularly, or a batch takes longer than the stall time, then it is left alone', async () => {
    const c = scripted();
    const s = superviseConsumer(c.consumer, config, log, 'g', { stallMs: 3000 });
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      c.emit(EVENTS.FETCH_START);
    }
    c.emit(EVENTS.START_BATCH_PROCESS);
    await vi.advanceTimersByTimeAsync(20_000); // a slow handler, still at work
    expect(c.calls).toEqual({ stop: 0, run: 0 });
    c.emit(EVENTS.END_BATCH_PROCESS);
    await vi.advanceTimersByTimeAsync(4000); // silent after the batch: now it is a stall
    expect(c.calls).toEqual({ stop: 1, run: 1 });
    s.stop();
  });

  it('when kafkajs will not restart a crashed consumer, then it is run again after a pause that grows and resets on a join', async () => {
    const c = scripted();
    const s = superviseConsumer(c.consumer, config, log, 'g', { firstDelayMs: 100, stallMs: 60_000 });
    c.emit(EVENTS.CRASH, { restart: true, error: new Error('retriable') });
    await vi.advanceTimersByTimeAsync(1000);
    expect(c.calls.run).toBe(0); // kafkajs restarts that one itself
    c.emit(EVENTS.CRASH, { restart: false, error: new TypeError('bug') });
    await vi.advanceTimersByTimeAsync(99);
    expect(c.calls.run).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(c.calls.run).toBe(1);
    c.emit(EVENTS.CRASH, { restart: false, error: new TypeError('bug') });
    await vi.advanceTimersByTimeAsync(150);
    expect(c.calls.run).toBe(1); // the second pause is 200 ms
    await vi.advanceTimersByTimeAsync(50);
    expect(c.calls.run).toBe(2);
    expect(s.crashes).toBe(2);
    c.emit(EVENTS.GROUP_JOIN);
    expect(s.crashes).toBe(0);
    s.stop();
  });

  it('when a stalled consumer does not stop in time, then it is not run twice, and the next stall tries again', async () => {
    const c = scripted({ stopHangs: true });
    const s = superviseConsumer(c.consumer, config, log, 'g', { stallMs: 3000, stopTimeoutMs: 2000 });
    await vi.advanceTimersByTimeAsync(3000);
    expect(c.calls).toEqual({ stop: 1, run: 0 });
    await vi.advanceTimersByTimeAsync(2000); // the stop gave up
    expect(c.calls.run).toBe(0);
    await vi.advanceTimersByTimeAsync(4000);
    expect(c.calls.stop).toBe(2);
    s.stop();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(c.calls.stop).toBe(2); // stopped supervisors do nothing
  });
});
