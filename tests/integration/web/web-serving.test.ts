// The BFF's web serving (apps/bff/src/web.ts) with a stand-in build on disk: static files, server rendering through
// the bundle's renderPage, redirects, the client-shell fallback, and what must never be served or rendered.
import { createServiceApp } from '@krt/platform/http';
import { createLogger } from '@krt/platform/telemetry';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountWeb } from '../../../apps/bff/src/web';

const logger = createLogger('web-serving-test');
let root: string;
let dist: string;

// A server bundle with the same export as apps/web/src/main.server.ts.
const FAKE_SERVER_BUNDLE = `
export async function renderPage(opts) {
  const url = new URL(opts.url);
  if (url.pathname === '/redirecione') return { html: '', status: 200, redirect: '/entrar?returnUrl=%2Fredirecione' };
  if (url.pathname === '/quebra') throw new Error('render failed');
  return { html: '<html>rendered ' + url.pathname + url.search + ' cookie=' + opts.cookie + ' css=' + opts.inlineCriticalCss + '</html>', status: url.pathname === '/nao-existe' ? 404 : 200 };
}`;

function appWith(distDir: string) {
  const app = createServiceApp({ service: 'bff', logger, readiness: [] });
  app.get('/api/v1/ping', (c) => c.json({ pong: true }));
  mountWeb(app, { distDir, logger });
  return app;
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'krt-web-'));
  dist = path.join(root, 'dist');
  mkdirSync(path.join(dist, 'browser'), { recursive: true });
  mkdirSync(path.join(dist, 'server'), { recursive: true });
  writeFileSync(path.join(dist, 'browser', 'index.html'), '<html>client shell</html>');
  writeFileSync(path.join(dist, 'browser', 'main-ABCD1234.js'), 'console.log(1)');
  writeFileSync(path.join(dist, 'browser', 'favicon.svg'), '<svg/>');
  writeFileSync(path.join(dist, 'server', 'main.server.mjs'), FAKE_SERVER_BUNDLE);
  writeFileSync(path.join(root, 'secret.txt'), 'do not serve');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('web serving from the BFF', () => {
  it('when there is no web build, then pages fall through to the 404 problem', async () => {
    const res = await appWith(path.join(root, 'missing')).request('/inicio');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND');
  });

  it('when a hashed build file is requested, then it is served with a year of immutable caching; other files briefly', async () => {
    const app = appWith(dist);
    const js = await app.request('/main-ABCD1234.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log(1)');
    const icon = await app.request('/favicon.svg');
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(icon.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('when a path tries to leave the browser folder, then nothing outside it is served', async () => {
    const app = appWith(dist);
    for (const p of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/..%2f..%2fsecret.txt']) {
      const res = await app.request(p);
      expect(await res.text(), p).not.toContain('do not serve');
    }
  });

  it('when a page is requested, then the server bundle renders it with the visitor cookie, never cached, without critical-CSS inline handlers', async () => {
    const res = await appWith(dist).request('/extrato?tipo=1', { headers: { cookie: 'krt-session=abc' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('<html>rendered /extrato?tipo=1 cookie=krt-session=abc css=false</html>');
  });

  it('when the app answers a status (a page that does not exist), then the response carries it', async () => {
    const res = await appWith(dist).request('/nao-existe');
    expect(res.status).toBe(404);
  });

  it('when rendering sends the visitor elsewhere (no session), then the answer is a redirect', async () => {
    const res = await appWith(dist).request('/redirecione');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/entrar?returnUrl=%2Fredirecione');
  });

  it('when rendering fails, then the client-side shell is served instead of an error', async () => {
    const res = await appWith(dist).request('/quebra');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<html>client shell</html>');
  });

  it('when an API, auth or missing asset path is requested, then it is never rendered as a page', async () => {
    const app = appWith(dist);
    expect(await (await app.request('/api/v1/ping')).json()).toEqual({ pong: true });
    for (const p of ['/api/v1/nada', '/auth/nada', '/chunk-MISSING1.js']) {
      const res = await app.request(p);
      expect(res.status, p).toBe(404);
      expect(await res.text(), p).not.toContain('rendered');
    }
  });
});
