// process_ready / process_ready_check: the /ready checks evaluated at scrape time (fake checks, no I/O).
import { describe, expect, it } from 'vitest';
import { observeReadiness, registry } from './metrics';

async function values(name: string) {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`${name} is not registered`);
  return (await metric.get()).values.map((v) => ({ labels: v.labels, value: v.value }));
}

describe('readiness gauges', () => {
  it('when every check passes, then process_ready is 1 and each check is 1', async () => {
    observeReadiness([
      { name: 'postgres', check: async () => undefined },
      { name: 'kafka', check: async () => undefined },
    ], { cacheMs: 0 });
    expect(await values('process_ready')).toEqual([{ labels: {}, value: 1 }]);
    expect(await values('process_ready_check')).toEqual([
      { labels: { check: 'postgres' }, value: 1 },
      { labels: { check: 'kafka' }, value: 1 },
    ]);
  });

  it('when a check fails, then process_ready is 0 and only that check is 0', async () => {
    observeReadiness([
      { name: 'postgres', check: async () => undefined },
      { name: 'redis', check: async () => { throw new Error('ECONNREFUSED'); } },
    ], { cacheMs: 0 });
    expect(await values('process_ready')).toEqual([{ labels: {}, value: 0 }]);
    expect(await values('process_ready_check')).toEqual([
      { labels: { check: 'postgres' }, value: 1 },
      { labels: { check: 'redis' }, value: 0 },
    ]);
  });

  it('when a dependency never answers, then the scrape ends at the check deadline and counts it down', async () => {
    observeReadiness([{ name: 'kafka', check: () => new Promise<void>(() => undefined) }], { timeoutMs: 50, cacheMs: 0 });
    const started = Date.now();
    expect(await values('process_ready')).toEqual([{ labels: {}, value: 0 }]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await values('process_ready_check')).toEqual([{ labels: { check: 'kafka' }, value: 0 }]);
  });

  it('when scrapes come close together, then the checks run once for both gauges and the result is reused until it is stale', async () => {
    let calls = 0;
    let up = true;
    observeReadiness([{ name: 'postgres', check: async () => { calls++; if (!up) throw new Error('down'); } }], { cacheMs: 200 });
    const [ready, checks] = await Promise.all([values('process_ready'), values('process_ready_check')]);
    expect(ready[0]?.value).toBe(1);
    expect(checks[0]?.value).toBe(1);
    expect(calls).toBe(1);
    up = false;
    expect((await values('process_ready'))[0]?.value).toBe(1); // cached
    expect(calls).toBe(1);
    await new Promise((r) => setTimeout(r, 250));
    expect((await values('process_ready'))[0]?.value).toBe(0);
    expect(calls).toBe(2);
  });

  it('when an app without checks is created after the process\'s own, then the process\'s checks are kept', async () => {
    observeReadiness([{ name: 'redis', check: async () => { throw new Error('down'); } }], { cacheMs: 0 });
    observeReadiness([]);
    expect((await values('process_ready'))[0]?.value).toBe(0);
  });
});
