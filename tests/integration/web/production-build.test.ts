// The production path: `npm run build` output started with plain node (no TypeScript at run time) against the real
// stack — a compiled payments API and a compiled BFF in front of it, on their own ports beside the development stack.
// The BFF must server-render the sign-in page compressed for a browser, and serve the build's precompressed assets.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServices, buildWeb, compiledEntry } from '../../../scripts/build.mjs';
import { PASSWORD, closeTestKit, newBankCustomer } from '../bff/bff-test-kit';

const PAYMENTS_PORT = 5192;
const BFF_PORT = 5190;
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';
const TELEMETRY = `./${compiledEntry('libs/platform/src/telemetry/telemetry.register.ts')}`;
const tracesFile = path.resolve('tmp/production-build/payments.traces.jsonl');
const children: ChildProcess[] = [];

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A GET that leaves the body as the server sent it (fetch would decode it). */
function rawGet(urlPath: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: BFF_PORT, path: urlPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error(`GET ${urlPath} timed out`)));
  });
}

function decode(res: RawResponse): Buffer {
  const coding = res.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(res.body);
  if (coding === 'gzip') return gunzipSync(res.body);
  if (coding) throw new Error(`unexpected content-encoding ${coding}`);
  return res.body;
}

function startCompiled(entry: string, env: Record<string, string>, log: string): ChildProcess {
  const out = fs.openSync(log, 'w');
  const child = spawn(process.execPath, ['--enable-source-maps', '--import', TELEMETRY, compiledEntry(entry)], {
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', out, out],
  });
  children.push(child);
  return child;
}

async function waitReady(port: number, child: ChildProcess, log: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${fs.readFileSync(log, 'utf8').slice(-3000)}`);
    const ok = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`port ${port} not ready in 60 s:\n${fs.readFileSync(log, 'utf8').slice(-3000)}`);
}

async function assertPortFree(port: number) {
  const taken = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) }).then(() => true, () => false);
  if (taken) throw new Error(`port ${port} is taken by another process: this test starts its own compiled processes there`);
}

beforeAll(async () => {
  await assertPortFree(PAYMENTS_PORT);
  await assertPortFree(BFF_PORT);
  // `npm test` has built the web app already (then this is a no-op); the services bundle takes well under a second.
  await buildWeb();
  await buildServices({ force: true });
  fs.mkdirSync(path.dirname(tracesFile), { recursive: true });
  fs.rmSync(tracesFile, { force: true });
  const paymentsLog = path.resolve('tmp/production-build/payments.log');
  // Every trace recorded (as npm test sets it; the BFF too, as it starts the trace), whatever the caller's sampling.
  const payments = startCompiled('apps/payments/src/main.ts', { PORT: String(PAYMENTS_PORT), OTEL_SERVICE_NAME: 'payments-compiled', OTEL_TRACES_FILE: tracesFile, OTEL_TRACES_SAMPLER: 'parentbased_always_on' }, paymentsLog);
  await waitReady(PAYMENTS_PORT, payments, paymentsLog);
  const bffLog = path.resolve('tmp/production-build/bff.log');
  const bff = startCompiled(
    'apps/bff/src/main.ts',
    {
      PORT: String(BFF_PORT),
      PUBLIC_URL: `http://localhost:${BFF_PORT}`,
      PAYMENTS_URLS: `http://127.0.0.1:${PAYMENTS_PORT}`,
      // Its own sessions and rate-limit counters: other suites' traffic from 127.0.0.1 must not spend this BFF's budget.
      REDIS_KEY_PREFIX: 'bff-compiled-test:',
      OTEL_SERVICE_NAME: 'bff-compiled',
      OTEL_TRACES_FILE: path.resolve('tmp/production-build/bff.traces.jsonl'),
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
    },
    bffLog,
  );
  await waitReady(BFF_PORT, bff, bffLog);
}, 180_000);

afterAll(async () => {
  await closeTestKit();
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
        }),
    ),
  );
});

describe('the production build, started with node', () => {
  it('when the processes run, then they run bundled JavaScript from dist/node and TypeScript is nowhere in their command line', () => {
    for (const child of children) {
      const cmdline = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline.join(' ')).not.toMatch(/tsx|\.ts\b/);
      expect(cmdline.at(-2) ?? '').toMatch(/^dist\/node\/apps\/.+\.js$/);
    }
  });

  it('when a browser opens /, then the compiled BFF answers the server-rendered sign-in page in brotli with Vary: Accept-Encoding', async () => {
    const root = await rawGet('/', { 'accept-encoding': BROWSER_ACCEPT_ENCODING });
    expect(root.status).toBe(302);
    const location = root.headers.location!;
    expect(location).toMatch(/^\/entrar/);
    const page = await rawGet(location, { 'accept-encoding': BROWSER_ACCEPT_ENCODING });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-encoding']).toBe('br');
    expect(String(page.headers.vary)).toMatch(/\bAccept-Encoding\b/i);
    expect(String(page.headers.vary)).toMatch(/\bCookie\b/i);
    const html = decode(page).toString('utf8');
    expect(html).toContain('Entrar na sua conta');
    expect(html).toMatch(/<a[^>]*href="\/auth\/login\?returnUrl=[^"]*"[^>]*>\s*Entrar\s*<\/a>/);
    expect(page.body.length).toBeLessThan(html.length / 2);

    const plain = await rawGet(location);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toContain('Entrar na sua conta');
  });

  it('when a JS asset is fetched with brotli, with gzip and with neither, then all three decode to the same bytes, cached for a year', async () => {
    const html = decode(await rawGet('/entrar', { 'accept-encoding': 'br' })).toString('utf8');
    const script = /<script[^>]*src="\/?(main-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    expect(script, 'the page loads a hashed main script').toBeDefined();
    const br = await rawGet(`/${script}`, { 'accept-encoding': 'br, gzip' });
    const gz = await rawGet(`/${script}`, { 'accept-encoding': 'gzip' });
    const identity = await rawGet(`/${script}`, { 'accept-encoding': 'identity' });
    expect([br.status, gz.status, identity.status]).toEqual([200, 200, 200]);
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(identity.headers['content-encoding']).toBeUndefined();
    for (const res of [br, gz, identity]) {
      expect(res.headers.vary).toBe('Accept-Encoding');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
    }
    expect(decode(br).equals(identity.body)).toBe(true);
    expect(decode(gz).equals(identity.body)).toBe(true);
    expect(br.body.length).toBeLessThan(gz.body.length);
    expect(identity.body.equals(fs.readFileSync(path.join('dist/apps/web/browser', script!)))).toBe(true);
  });

  it('when a customer signs in at the compiled BFF, then their balance comes from the compiled payments API, which traces its PostgreSQL queries', async () => {
    const customer = await newBankCustomer();
    const bff = `http://127.0.0.1:${BFF_PORT}`;
    const signIn = await fetch(`${bff}/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf': '1' },
      body: JSON.stringify({ cpf: customer.cpf, password: PASSWORD }),
    });
    expect(signIn.status).toBe(204);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const account = await fetch(`${bff}/api/v1/accounts/me`, { headers: { cookie, 'x-csrf': '1', 'accept-encoding': 'br' } });
    expect(account.status).toBe(200);
    expect(((await account.json()) as { accountId: string }).accountId).toBe(customer.accountId);
    // OpenTelemetry instruments pg from node_modules exactly as in development (the bundles leave npm packages
    // external), and the span of this request's query is in the compiled payments process's trace file.
    const deadline = Date.now() + 15_000;
    let spans = '';
    while (Date.now() < deadline) {
      spans = fs.existsSync(tracesFile) ? fs.readFileSync(tracesFile, 'utf8') : '';
      if (/"db\.system(\.name)?":"postgresql"/.test(spans) && spans.includes('/v1/accounts/me')) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(spans).toContain('/v1/accounts/me');
    expect(spans).toMatch(/"db\.system(\.name)?":"postgresql"/);
  });
});
