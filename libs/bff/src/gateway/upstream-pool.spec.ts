import { createLogger } from '@krt/platform/telemetry';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamPool } from './upstream-pool';

describe('upstream pool breaker: only the upstream’s failures count', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const status = req.url === '/fail' ? 500 : req.url === '/bad' ? 422 : 200;
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const pool = () =>
    new UpstreamPool({ name: 'test', urls: [url], timeoutMs: 2000, breakerThreshold: 3, halfOpenAfterMs: 60_000, healthIntervalMs: 0, logger: createLogger('test', { level: 'silent' }) });

  it('when requests the HTTP client refuses to send (CONNECT, an upgrade or expect header) or 4xx answers repeat, then 400 / the 4xx, and the breaker stays closed', async () => {
    const p = pool();
    for (let i = 0; i < 10; i++) {
      await expect(p.request({ method: 'CONNECT', path: '/ok', headers: new Headers() })).rejects.toMatchObject({ status: 400, code: 'BAD_REQUEST' });
      await expect(p.request({ method: 'GET', path: '/ok', headers: new Headers({ upgrade: 'websocket' }) })).rejects.toMatchObject({ status: 400, code: 'BAD_REQUEST' });
      await expect(p.request({ method: 'GET', path: '/ok', headers: new Headers({ expect: '100-continue' }) })).rejects.toMatchObject({ status: 400, code: 'BAD_REQUEST' });
      expect((await p.request({ method: 'GET', path: '/bad', headers: new Headers() })).status).toBe(422);
    }
    expect(p.breakerState).toBe('closed');
    expect((await p.request({ method: 'GET', path: '/ok', headers: new Headers() })).status).toBe(200);
  });

  it('when the upstream answers 5xx or cannot be reached, then those count and the breaker opens', async () => {
    const p = pool();
    for (let i = 0; i < 3; i++) expect((await p.request({ method: 'GET', path: '/fail', headers: new Headers() })).status).toBe(500);
    expect(p.breakerState).toBe('open');
    await expect(p.request({ method: 'GET', path: '/ok', headers: new Headers() })).rejects.toMatchObject({ status: 503 });

    const dead = new UpstreamPool({ name: 'dead', urls: ['http://127.0.0.1:1'], timeoutMs: 2000, breakerThreshold: 2, halfOpenAfterMs: 60_000, healthIntervalMs: 0, logger: createLogger('test', { level: 'silent' }) });
    for (let i = 0; i < 2; i++) await expect(dead.request({ method: 'GET', path: '/', headers: new Headers() })).rejects.toMatchObject({ status: 503 });
    expect(dead.breakerState).toBe('open');
  });
});

describe('upstream pool: a connection broken by a replica', () => {
  let dropping: Server;
  let healthy: Server;
  const seen: string[] = [];
  const listen = (server: Server) => new Promise<string>((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
  let urls: string[];
  beforeAll(async () => {
    // One replica closes every connection without answering (as one shutting down may); the other answers.
    dropping = createServer((req) => {
      seen.push(`dropped ${req.method} ${req.headers['idempotency-key'] ?? '-'}`);
      req.socket.destroy();
    });
    healthy = createServer((req, res) => {
      seen.push(`answered ${req.method} ${req.headers['idempotency-key'] ?? '-'}`);
      res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
    });
    urls = [await listen(dropping), await listen(healthy)];
  });
  afterAll(async () => {
    await Promise.all([dropping, healthy].map((s) => new Promise<void>((r) => s.close(() => r()))));
  });

  const pool = () =>
    new UpstreamPool({ name: 'test', urls, timeoutMs: 2000, breakerThreshold: 50, halfOpenAfterMs: 60_000, healthIntervalMs: 0, logger: createLogger('test', { level: 'silent' }) });

  it('when a write carries an Idempotency-Key, then it is sent again to the other replica; without one it is not (503), since it may have been applied', async () => {
    const p = pool();
    let resent = 0;
    let refused = 0;
    for (let i = 0; i < 6; i++) {
      seen.length = 0;
      const keyed = await p.request({ method: 'POST', path: '/v1/pix/transfers', headers: new Headers({ 'idempotency-key': `k${i}`, 'content-type': 'application/json' }), body: new TextEncoder().encode('{}') });
      expect(keyed.status).toBe(202);
      if (seen[0]?.startsWith('dropped')) {
        resent++;
        expect(seen).toEqual([`dropped POST k${i}`, `answered POST k${i}`]);
      }
      seen.length = 0;
      const bare = p.request({ method: 'POST', path: '/v1/things', headers: new Headers({ 'content-type': 'application/json' }), body: new TextEncoder().encode('{}') });
      if ((await bare.then(() => 'ok', (e: { status?: number }) => e.status)) === 503) {
        refused++;
        expect(seen).toEqual(['dropped POST -']);
      }
    }
    // Round-robin over the two replicas: both cases met the dropping one at least once.
    expect(resent).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});
