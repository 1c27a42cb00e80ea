import { createLogger } from '@krt/platform/logger';
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
