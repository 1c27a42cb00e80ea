import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript, startServer, type TestServer } from './runner-kit';

let server: TestServer;

beforeAll(async () => {
  server = await startServer((req, body, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/login') {
      // Each VU gets its own cookie; a Secure cookie must not come back over plain http (Go's jar, which k6 uses).
      res.setHeader('set-cookie', [`session=vu-${url.searchParams.get('vu')}; Path=/; HttpOnly`, 'secret=1; Path=/; Secure']);
      res.end('ok');
    } else if (url.pathname === '/whoami') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ cookie: req.headers.cookie ?? '' }));
    } else if (url.pathname === '/slow') {
      setTimeout(() => res.end('slow'), 300);
    } else if (url.pathname === '/status') {
      res.statusCode = Number(url.searchParams.get('code'));
      res.setHeader('retry-after', '7');
      res.end();
    } else if (url.pathname === '/upload') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ type: req.headers['content-type'], body }));
    } else if (url.pathname === '/redirect') {
      res.statusCode = 303;
      res.setHeader('location', '/whoami');
      res.setHeader('set-cookie', 'hop=1; Path=/');
      res.end();
    } else {
      res.end('hello');
    }
  });
});

afterAll(async () => server.close());

// Each test starts a Node process (tsx): seconds on a loaded 2-core machine, so a generous per-test timeout.
describe('k6 runner', { timeout: 60_000 }, () => {
  it('when a threshold is crossed, then the run exits with k6’s code 99 and the summary marks it crossed', async () => {
    const r = await runScript(
      `import http from 'k6/http';
       export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 2, iterations: 3 } }, thresholds: { http_req_duration: ['p(95)<100'], http_reqs: ['count==6'] } };
       export default async function () { await http.asyncRequest('GET', __ENV.BASE + '/slow'); }
       export function handleSummary(d) { return { stdout: JSON.stringify(d.metrics) }; }`,
      { BASE: server.url },
    );
    expect(r.code).toBe(99);
    const metrics = JSON.parse(r.stdout);
    expect(metrics.http_req_duration.thresholds['p(95)<100'].ok).toBe(false);
    expect(metrics.http_req_duration.values['p(95)']).toBeGreaterThanOrEqual(250);
    expect(metrics.http_reqs.thresholds['count==6'].ok).toBe(true);
    expect(r.stderr).toMatch(/thresholds on metrics crossed: http_req_duration: p\(95\)<100/);
  });

  it('when every threshold holds, then the run exits 0', async () => {
    const r = await runScript(
      `import http from 'k6/http';
       import { check } from 'k6';
       export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 2, iterations: 2 } }, thresholds: { checks: ['rate==1'], http_req_failed: ['rate==0'], iterations: ['count==4'] } };
       export default async function () { const r = await http.asyncRequest('GET', __ENV.BASE + '/'); check(r, { 'hello': (x) => x.body === 'hello' }); }`,
      { BASE: server.url },
    );
    expect(r.stderr).not.toMatch(/ERRO/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ hello/);
  });

  it('when a check fails, then checks counts it (and a checks threshold fails the run)', async () => {
    const r = await runScript(
      `import http from 'k6/http';
       import { check } from 'k6';
       export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 1, iterations: 4 } }, thresholds: { checks: ['rate==1'] } };
       export default async function () {
         const r = await http.asyncRequest('GET', __ENV.BASE + '/status?code=429', null, { responseCallback: http.expectedStatuses(200, 429) });
         check(r, { 'is 200': (x) => x.status === 200, 'carries Retry-After': (x) => x.headers['Retry-After'] === '7' });
       }
       export function handleSummary(d) { return { stdout: JSON.stringify({ checks: d.root_group.checks, rate: d.metrics.checks.values, failed: d.metrics.http_req_failed.values }) }; }`,
      { BASE: server.url },
    );
    expect(r.code).toBe(99);
    const s = JSON.parse(r.stdout);
    expect(s.checks).toEqual([
      expect.objectContaining({ name: 'is 200', passes: 0, fails: 4 }),
      expect.objectContaining({ name: 'carries Retry-After', passes: 4, fails: 0 }),
    ]);
    expect(s.rate.rate).toBe(0.5);
    // 429 declared expected by the response callback: not a failed request.
    expect(s.failed.rate).toBe(0);
  });

  it('when VUs sign in, then each VU keeps its own cookies (with noCookiesReset) and Secure cookies stay off plain http', async () => {
    const r = await runScript(
      `import http from 'k6/http';
       import { check } from 'k6';
       import exec from 'k6/execution';
       export const options = { noCookiesReset: true, scenarios: { s: { executor: 'per-vu-iterations', vus: 3, iterations: 3 } }, thresholds: { checks: ['rate==1'] } };
       export default async function () {
         if (exec.vu.iterationInScenario === 0) { await http.asyncRequest('GET', __ENV.BASE + '/login?vu=' + __VU); return; }
         const r = await http.asyncRequest('GET', __ENV.BASE + '/whoami');
         check(r, { 'own session cookie only': (x) => x.json('cookie') === 'session=vu-' + __VU });
         check(http.cookieJar().cookiesForURL(__ENV.BASE), { 'jar API sees it': (c) => c.session[0] === 'vu-' + __VU && c.secret === undefined });
       }`,
      { BASE: server.url },
    );
    expect(r.stderr).not.toMatch(/ERRO/);
    expect(r.code).toBe(0);
    const whoami = server.requests.filter((q) => q.url === '/whoami');
    expect(new Set(whoami.map((q) => q.headers.cookie))).toEqual(new Set(['session=vu-1', 'session=vu-2', 'session=vu-3']));
  });

  it('when noCookiesReset is not set, then the jar is emptied before every iteration, as in k6', async () => {
    const r = await runScript(
      `import http from 'k6/http';
       import { check } from 'k6';
       export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 1, iterations: 2 } }, thresholds: { checks: ['rate==1'] } };
       export default async function () {
         if (__ITER === 0) { await http.asyncRequest('GET', __ENV.BASE + '/login?vu=' + __VU); return; }
         const r = await http.asyncRequest('GET', __ENV.BASE + '/whoami');
         check(r, { 'no cookie left from the previous iteration': (x) => x.json('cookie') === '' });
       }`,
      { BASE: server.url },
    );
    expect(r.code).toBe(0);
  });

  it('when a redirect sets a cookie and a multipart body carries a file, then the hop keeps the cookie and the parts arrive', async () => {
    const r = await runScript(
      `import http from 'k6/http';
       import { check } from 'k6';
       export const options = { thresholds: { checks: ['rate==1'] } };
       export default async function () {
         const hop = await http.asyncRequest('POST', __ENV.BASE + '/redirect', 'x');
         check(hop, { 'followed to the final answer with the hop cookie': (x) => x.status === 200 && x.json('cookie') === 'hop=1' });
         const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]).buffer;
         const up = await http.asyncRequest('POST', __ENV.BASE + '/upload', { name: 'Ana', photo: http.file(bytes, 'a.jpg', 'image/jpeg') });
         check(up, { 'multipart with both parts': (x) => /^multipart\\/form-data; boundary=/.test(x.json('type')) && x.json('body').includes('name="name"') && x.json('body').includes('filename="a.jpg"') && x.json('body').includes('\\u00ff\\u00d8\\u00ff\\u00e0') });
       }`,
      { BASE: server.url },
    );
    expect(r.stdout).toMatch(/checks\.+: 100\.00% ✓ 2 ✗ 0/);
    expect(r.code).toBe(0);
  });

  it('when a script uses k6 API the runner does not implement, then it refuses with a message naming it', async () => {
    const sync = await runScript(`import http from 'k6/http';\nexport default async function () { http.get('http://127.0.0.1:1/'); }\nexport const options = { thresholds: { checks: ['rate==1'] } };`);
    expect(sync.stderr).toMatch(/k6\/http\.get \(synchronous requests; use http\.asyncRequest/);
    expect(sync.code).toBe(104);
    const named = await runScript(`import { batch } from 'k6/http';\nexport default function () { batch([]); }`);
    expect(named.stderr).toMatch(/k6\/http\.batch is not supported by this runner/);
    expect(named.code).toBe(104);
    const mod = await runScript(`import ws from 'k6/ws';\nexport default function () { ws.connect(); }`);
    expect(mod.stderr).toMatch(/module "k6\/ws" is not supported by this runner/);
    const exe = await runScript(`export const options = { scenarios: { s: { executor: 'externally-controlled' } } };\nexport default function () {}`);
    expect(exe.stderr).toMatch(/executor "externally-controlled"/);
    expect(exe.code).toBe(104);
  });

  it('when a ramping-arrival-rate scenario has too few VUs, then the iterations it cannot start are dropped_iterations', async () => {
    const r = await runScript(
      `import http from 'k6/http';
       export const options = { scenarios: { s: { executor: 'ramping-arrival-rate', startRate: 20, timeUnit: '1s', preAllocatedVUs: 1, maxVUs: 2, stages: [{ duration: '2s', target: 20 }], gracefulStop: '2s' } } };
       export default async function () { await http.asyncRequest('GET', __ENV.BASE + '/slow'); }
       export function handleSummary(d) { return { stdout: JSON.stringify({ dropped: d.metrics.dropped_iterations.values.count, iterations: d.metrics.iterations.values.count, vusMax: d.metrics.vus_max ? d.metrics.vus_max.values.max : 0 }) }; }`,
      { BASE: server.url },
    );
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    // 40 iterations due in 2 s; 2 VUs at 300 ms each can start at most ~14 of them: the rest are dropped, not queued.
    expect(s.vusMax).toBe(2);
    expect(s.iterations).toBeGreaterThanOrEqual(4);
    expect(s.iterations).toBeLessThanOrEqual(20);
    expect(s.dropped).toBeGreaterThanOrEqual(15);
    expect(s.dropped + s.iterations).toBeGreaterThanOrEqual(30);
    expect(s.dropped + s.iterations).toBeLessThanOrEqual(41);
  });

  it('when a threshold with abortOnFail is crossed, then the test stops early, still runs teardown and handleSummary, and exits 99', async () => {
    const started = Date.now();
    const r = await runScript(
      `import http from 'k6/http';
       export const options = { scenarios: { s: { executor: 'constant-vus', vus: 2, duration: '30s' } }, thresholds: { http_req_failed: [{ threshold: 'rate<0.5', abortOnFail: true }] } };
       export default async function () { await http.asyncRequest('GET', __ENV.BASE + '/status?code=500'); }
       export function teardown() { console.log('teardown ran'); }
       export function handleSummary(d) { return { [__ENV.OUT + '/out/summary.json']: JSON.stringify(d.metrics.http_req_failed) }; }`,
      { BASE: server.url },
    );
    // The scenario would run 30 s (plus 30 s graceful stop) if the threshold did not abort it.
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(r.code).toBe(99);
    expect(r.stdout).toMatch(/teardown ran/);
    const written = JSON.parse(fs.readFileSync(path.join(r.dir, 'out/summary.json'), 'utf8'));
    expect(written.thresholds['rate<0.5'].ok).toBe(false);
  });
});
