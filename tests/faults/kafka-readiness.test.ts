import { eventually } from '@krt/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { COMPONENTS } from '../../scripts/stack.mjs';

const kafka = COMPONENTS.find((c) => c.name === 'kafka')!;

async function ready(port: number) {
  const res = await fetch(`http://127.0.0.1:${port}/ready`);
  return { status: res.status, body: (await res.json()) as { down: string[] } };
}

describe('readiness follows Kafka down and up, without restarting any app', () => {
  afterAll(async () => {
    if (!kafka.pid()) await kafka.start();
  });

  it('when Kafka stops, /ready answers 503 naming kafka within 2 s; when it is back, /ready recovers', async () => {
    expect((await ready(5000)).status).toBe(200);
    await kafka.stop();
    const stoppedAt = Date.now();
    for (const port of [5002, 5001, 5000]) {
      const r = await ready(port);
      expect(r.status, `port ${port}`).toBe(503);
      expect(r.body.down).toContain('kafka');
    }
    expect(Date.now() - stoppedAt).toBeLessThan(2 * 3000); // three probes, each under two seconds
    const t0 = Date.now();
    await ready(5002);
    expect(Date.now() - t0).toBeLessThan(2000);

    await kafka.start();
    for (const port of [5002, 5001, 5000]) {
      await eventually(async () => (await ready(port)).status === 200, { timeoutMs: 30_000, what: `port ${port} ready again` });
    }
  });
});
