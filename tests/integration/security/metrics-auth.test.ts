// /metrics on the running stack: every process (the BFF on its public port included) refuses a scrape without the
// metrics bearer token, and answers the one Prometheus is configured with.
import { DEV_METRICS_TOKEN } from '@krt/platform/http';
import { describe, expect, it } from 'vitest';
import { runningInstances } from '../observability/stack-kit';

describe('who may read /metrics on the stack', () => {
  it('when any process is asked for /metrics without the token or with a wrong one, then 401 METRICS_UNAUTHENTICATED; with the token, the metrics', async () => {
    const instances = runningInstances();
    expect(instances.map((i) => i.app)).toEqual(expect.arrayContaining(['bff', 'payments', 'onboarding', 'notifications', 'payments-payment-consumer', 'notification-worker']));
    for (const { name, port } of instances) {
      for (const headers of [{}, { authorization: 'Bearer not-the-metrics-token' }] as Record<string, string>[]) {
        const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers });
        expect(res.status, name).toBe(401);
        const body = (await res.json()) as { code: string };
        expect(body.code, name).toBe('METRICS_UNAUTHENTICATED');
      }
      const ok = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${DEV_METRICS_TOKEN}` } });
      expect(ok.status, name).toBe(200);
      expect(await ok.text(), name).toContain('process_cpu_seconds_total');
    }
  });
});
