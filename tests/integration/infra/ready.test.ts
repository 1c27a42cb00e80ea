import { describe, expect, it } from 'vitest';

describe('GET /ready on every app (processes started by the stack)', () => {
  it('the BFF lists postgres, redis, rabbitmq, kafka and keycloak as up', async () => {
    const res = await fetch('http://127.0.0.1:5000/ready');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { checks: Record<string, string> };
    for (const component of ['postgres', 'redis', 'rabbitmq', 'kafka', 'keycloak', 'payments', 'onboarding']) {
      expect(body.checks[component], component).toBe('up');
    }
  });

  it.each([
    ['payments', 5002, ['postgres', 'redis', 'kafka', 'keycloak']],
    ['onboarding', 5001, ['postgres', 'redis', 'kafka', 'keycloak']],
  ])('%s answers /health and checks its own dependencies in /ready', async (service, port, deps) => {
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await health.json()).toEqual({ status: 'ok', service });
    const ready = await fetch(`http://127.0.0.1:${port}/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { checks: Record<string, string> };
    expect(Object.keys(body.checks).sort()).toEqual([...deps].sort());
  });
});
