// A replica started outside `stack up` (startInstance, as the scale tests do) becomes a Prometheus target at once and
// leaves the targets when it stops: scripts/stack/apps.mjs rewrites the file-discovery targets of the stack's Prometheus.
import { afterAll, describe, expect, it } from 'vitest';
import { APP_PROCESSES, instancePlan, instancesOf, stackEnv, startInstance, stopInstance, type AppInstance } from '../../scripts/stack/apps.mjs';
import { PROMETHEUS_URL } from '../../scripts/stack/prometheus.mjs';

const payments = APP_PROCESSES.find((a) => a.name === 'payments')!;
const extra = instancesOf(payments, { PAYMENTS_REPLICAS: '2' })[1] as AppInstance;

interface Target {
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
}

async function bankTargets(): Promise<Target[]> {
  const res = await fetch(`${PROMETHEUS_URL}/api/v1/targets?state=active`, { signal: AbortSignal.timeout(5000) });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { data: { activeTargets: Target[] } };
  return body.data.activeTargets.filter((t) => t.scrapePool === 'krt-apps');
}

/** Polls the targets until `done` holds (file discovery sees a rewrite within a second or two; one scrape every 5 s). */
async function waitForTargets(done: (targets: Target[]) => boolean, timeoutMs: number): Promise<Target[]> {
  const deadline = Date.now() + timeoutMs;
  let targets = await bankTargets();
  while (!done(targets) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    targets = await bankTargets();
  }
  return targets;
}

describe('Prometheus targets follow the replicas that run', () => {
  afterAll(async () => {
    await stopInstance(extra.name);
  });

  it('when a payments replica is started and stopped outside `stack up`, then it becomes an up target and then leaves the targets', async () => {
    // Not part of the stack's plan: only startInstance can make Prometheus know it.
    expect(instancePlan(process.env).get('payments')!.map((i) => i.name)).not.toContain(extra.name);
    expect((await bankTargets()).map((t) => t.labels.process)).not.toContain(extra.name);

    await startInstance(extra, await stackEnv());
    const isUp = (ts: Target[]) => ts.some((t) => t.labels.process === extra.name && t.health === 'up');
    const up = await waitForTargets(isUp, 20_000);
    expect(up.find((t) => t.labels.process === extra.name)).toMatchObject({
      scrapeUrl: `http://127.0.0.1:${extra.port}/metrics`,
      labels: { app: 'payments', process: extra.name },
      health: 'up',
    });

    expect(await stopInstance(extra.name)).toBe(true);
    const gone = await waitForTargets((ts) => !ts.some((t) => t.labels.process === extra.name), 15_000);
    expect(gone.map((t) => t.labels.process)).not.toContain(extra.name);
    // The planned processes stay.
    expect(gone.map((t) => t.labels.process)).toContain('payments');
  });
});
