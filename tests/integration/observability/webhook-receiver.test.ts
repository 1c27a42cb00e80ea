// docker-compose's Alertmanager webhook receiver (infra/observability/webhook-receiver.mjs), run here as it runs in its
// container (node, the script, host and port from the environment): each notification Alertmanager POSTs is one JSON
// line on stdout; a body that is not JSON is refused (400) and logged as an error line.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = path.resolve(__dirname, '../../../infra/observability/webhook-receiver.mjs');

/** A port of 5600–5699 nobody listens on (loopback). */
async function freePort(): Promise<number> {
  for (let port = 5600; port <= 5699; port += 1) {
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 5600-5699');
}

/** What Alertmanager 0.27 POSTs to a webhook_configs URL (version 4 of the webhook payload). */
const notification = {
  version: '4',
  groupKey: '{}:{alertname="KrtProcessDown", process="payments"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'oncall',
  groupLabels: { alertname: 'KrtProcessDown', process: 'payments' },
  commonLabels: { alertname: 'KrtProcessDown', process: 'payments', severity: 'critical' },
  commonAnnotations: { summary: 'payments is down' },
  externalURL: 'http://alertmanager:9093',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'KrtProcessDown', process: 'payments', severity: 'critical' },
      annotations: { summary: 'payments is down' },
      startsAt: '2026-12-06T23:00:00.000Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: '3f2a9c0d1e4b5a67',
    },
  ],
};

describe('Alertmanager webhook receiver of docker-compose', () => {
  let child: ChildProcess;
  let base: string;
  let stdout = '';
  const lines = () => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [SCRIPT], {
      env: { PATH: process.env.PATH, WEBHOOK_RECEIVER_HOST: '127.0.0.1', WEBHOOK_RECEIVER_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('webhook-receiver did not start within 10 s')), 10_000);
      child.once('exit', (code) => reject(new Error(`webhook-receiver exited (${code})`)));
      child.stderr!.on('data', (d: Buffer) => {
        if (d.toString().includes('listening')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  });
  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('when Alertmanager posts a notification, then it answers 200 and logs it as one JSON line', async () => {
    expect((await fetch(`${base}/health`, { signal: AbortSignal.timeout(3000) })).status).toBe(200);
    const res = await fetch(`${base}/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notification),
      signal: AbortSignal.timeout(3000),
    });
    expect(res.status).toBe(200);
    const deadline = Date.now() + 3000;
    while (!lines().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(lines()).toHaveLength(1);
    const [logged] = lines();
    expect(logged).toMatchObject({ path: '/alerts', body: notification });
    expect(Number.isNaN(Date.parse(String(logged!.receivedAt)))).toBe(false);
  });

  it('when the body is not JSON, then it answers 400 and logs an error line; other methods get 405', async () => {
    const before = lines().length;
    const res = await fetch(`${base}/alerts`, { method: 'POST', body: 'not json', signal: AbortSignal.timeout(3000) });
    expect(res.status).toBe(400);
    const deadline = Date.now() + 3000;
    while (lines().length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(lines().slice(before)).toEqual([expect.objectContaining({ path: '/alerts', error: 'body is not JSON', raw: 'not json' })]);
    expect((await fetch(`${base}/alerts`, { method: 'PUT', body: '{}', signal: AbortSignal.timeout(3000) })).status).toBe(405);
  });

  it('when it gets SIGTERM with a kept-alive connection open, then it exits at once with code 0', async () => {
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      const req = http.request(`${base}/alerts`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end(JSON.stringify(notification));
    });
    const started = Date.now();
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(2000);
    agent.destroy();
  });
});
