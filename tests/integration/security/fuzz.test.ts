// Hostile input against every public operation of the merged OpenAPI description (GET /api/docs): fast-check builds
// bodies, query strings, path ids and headers from each operation's schema and mixes in malformed JSON, wrong types,
// huge/negative numbers, 3-decimal amounts, unicode and control characters, SQL and script payloads. Sent through the
// BFF with a signed-in session and X-CSRF, and straight to the services' own ports with a bearer token.
// Every answer: never a 5xx, never a stack trace or source path, errors always in the problem+json shape.
import { passwordGrant } from '@krt/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BffClient, closeTestKit, newBankCustomer, PASSWORD, startBff, type TestBff } from '../bff/bff-test-kit';
import { bodyFor, encodeAny, endpoints, hostileString, judge, rawHttp, type Endpoint, type OpenApiDoc } from './fuzz-kit';

/** Operations not fuzzed here: the event stream never ends, logout would end the fuzzing session (it has no input). */
const SKIP = new Set(['GET /api/v1/events', 'POST /auth/logout']);
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

const SERVICES: Array<[RegExp, string]> = [
  [/^\/api\/v1\/(accounts|pix|admin\/deposits)/, 'http://127.0.0.1:5002'],
  [/^\/api\/v1\/(registrations|customers|admin\/kyc)/, 'http://127.0.0.1:5001'],
  [/^\/api\/v1\/notifications/, 'http://127.0.0.1:5003'],
];

/**
 * A header value that can travel over HTTP/1.1 (latin-1, no control characters but tab); undefined otherwise. Node's
 * HTTP parser refuses control characters in header values before any handler runs (400, connection closed), which
 * fetch reports as a network error rather than a response, so such values are not sent.
 */
function headerSafe(v: string): string | undefined {
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(v)) return undefined;
  try {
    new Headers({ x: v });
    return v;
  } catch {
    return undefined;
  }
}

interface Request {
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: string;
}

function requestArb(doc: OpenApiDoc, e: Endpoint): fc.Arbitrary<Request> {
  const params = e.op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const json = e.op.requestBody?.content['application/json'];
  const hasBody = Boolean(e.op.requestBody);
  return fc.record({
    ids: fc.tuple(...pathParams.map(() => fc.oneof(hostileString, fc.uuid()))),
    query: fc.tuple(...queryParams.map(() => fc.option(hostileString, { nil: undefined }))),
    idem: fc.oneof(fc.uuid(), hostileString),
    body: hasBody
      ? fc.oneof(
          { weight: 5, arbitrary: bodyFor(doc, json?.schema).map((b) => JSON.stringify(b)) },
          // malformed JSON
          { weight: 2, arbitrary: fc.constantFrom('{', '{"amount": }', '{"key": "a",}', "{'key': 1}", 'null', '[]', '"x"', '\u0000', '{"amount": 1e999999}', '{"amount": 123456789012345678901234567890}', '{"__proto__": {"admin": true}}') },
          { weight: 1, arbitrary: hostileString },
        )
      : fc.constant(undefined),
  }).map(({ ids, query, idem, body }) => {
    let path = e.path;
    pathParams.forEach((p, i) => (path = path.replace(`{${p.name}}`, encodeAny(ids[i] as string))));
    const qs = queryParams.map((p, i) => (query[i] === undefined ? undefined : `${encodeAny(p.name)}=${encodeAny(query[i] as string)}`)).filter(Boolean);
    const headers: Record<string, string> = {};
    if (params.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key')) {
      const v = headerSafe(idem);
      if (v !== undefined) headers['idempotency-key'] = v;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    return { path, query: qs.length ? `?${qs.join('&')}` : '', headers, body };
  });
}

describe('hostile input against every operation in the OpenAPI description', () => {
  let bff: TestBff;
  let client: BffClient;
  let token: string;
  let doc: OpenApiDoc;

  beforeAll(async () => {
    bff = await startBff({ RATE_LIMIT_API_PER_SESSION: '100000', RATE_LIMIT_API_PER_IP: '100000', RATE_LIMIT_AUTH_PER_IP: '100000', RATE_LIMIT_SIGNIN_PER_IP: '100000', RATE_LIMIT_REGISTRATION_PER_IP: '100000' });
    const c = await newBankCustomer();
    client = new BffClient(bff);
    expect((await client.signIn(c.cpf)).status).toBe(204);
    token = (await passwordGrant(c.cpf, PASSWORD)).access_token;
    const docs = await client.get<OpenApiDoc>('/api/docs');
    expect(docs.status).toBe(200);
    doc = docs.body;
  });
  afterAll(async () => {
    await bff?.close();
    await closeTestKit();
  });

  it('when every operation gets hostile bodies, ids, query strings and headers through the BFF, then no answer is a 5xx, leaks a stack trace, or breaks the problem shape', async () => {
    const ops = endpoints(doc).filter((e) => !SKIP.has(`${e.method} ${e.path}`));
    expect(ops.length).toBeGreaterThan(30);
    const failures: string[] = [];
    let sent = 0;
    for (const e of ops) {
      const result = await fc.check(
        fc.asyncProperty(requestArb(doc, e), async (r) => {
          const res = await fetch(`${bff.url}${r.path}${r.query}`, {
            method: e.method,
            headers: { ...r.headers, 'x-csrf': '1', cookie: client.cookieHeader() },
            body: r.body,
            redirect: 'manual',
          });
          sent++;
          const text = await res.text();
          const problems = judge({ status: res.status, contentType: res.headers.get('content-type') ?? '', text });
          if (problems.length) throw new Error(`${res.status}: ${problems.join('; ')} — ${text.slice(0, 300)}`);
        }),
        { numRuns: e.path.startsWith('/auth/session') ? 4 : RUNS, seed: SEED },
      );
      if (result.failed) failures.push(`${e.method} ${e.path}: ${(result.errorInstance as Error | undefined)?.message ?? 'failed'} (counterexample ${JSON.stringify(result.counterexample)?.slice(0, 300)}, seed ${result.seed})`);
    }
    // The session survived it all (nothing in the fuzzing logged it out or broke it).
    expect((await client.get('/auth/me')).body.authenticated).toBe(true);
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(ops.length * 4);
  }, 150_000);

  it("when the same hostile input goes straight to the services' own ports with a bearer token, then they hold the same line", async () => {
    const ops = endpoints(doc).filter((e) => SERVICES.some(([re]) => re.test(e.path)));
    const failures: string[] = [];
    for (const e of ops) {
      const base = SERVICES.find(([re]) => re.test(e.path))![1];
      const result = await fc.check(
        fc.asyncProperty(requestArb(doc, e), async (r) => {
          const res = await fetch(`${base}${r.path.replace(/^\/api/, '')}${r.query}`, {
            method: e.method,
            headers: { ...r.headers, authorization: `Bearer ${token}` },
            body: r.body,
          });
          const text = await res.text();
          const problems = judge({ status: res.status, contentType: res.headers.get('content-type') ?? '', text });
          if (problems.length) throw new Error(`${res.status}: ${problems.join('; ')} — ${text.slice(0, 300)}`);
        }),
        { numRuns: Math.ceil(RUNS / 2), seed: SEED },
      );
      if (result.failed) failures.push(`${base} ${e.method} ${e.path}: ${(result.errorInstance as Error | undefined)?.message ?? 'failed'} (counterexample ${JSON.stringify(result.counterexample)?.slice(0, 300)}, seed ${result.seed})`);
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('when a body is over the limit, a header is enormous, or the URL is huge, then 413 / 431 — never a 5xx, and the process keeps serving', async () => {
    const port = bff.server.port;
    const cookie = client.cookieHeader();
    const big = JSON.stringify({ key: 'a'.repeat(200_000), amount: '1.00' });
    const overBody = await rawHttp(
      port,
      `POST /api/v1/pix/transfers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nX-CSRF: 1\r\nCookie: ${cookie}\r\nIdempotency-Key: x\r\nContent-Length: ${Buffer.byteLength(big)}\r\nConnection: close\r\n\r\n`,
      big,
    );
    expect(overBody.status).toBe(413);
    expect(overBody.raw).toContain('PAYLOAD_TOO_LARGE');
    // A body that lies about its length (chunked, no Content-Length) is cut at the limit too.
    const chunk = 'a'.repeat(100_000);
    const chunked = await rawHttp(
      port,
      `POST /api/v1/pix/transfers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nX-CSRF: 1\r\nCookie: ${cookie}\r\nIdempotency-Key: y\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
      `${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
    );
    expect(chunked.status).toBe(413);

    // Node's HTTP parser refuses headers (and request lines) over 16 KB with 431 before any middleware runs.
    const hugeHeader = await rawHttp(port, `GET /api/v1/accounts/me/balance HTTP/1.1\r\nHost: localhost\r\nX-CSRF: 1\r\nX-Junk: ${'j'.repeat(40_000)}\r\n\r\n`);
    expect(hugeHeader.status).toBe(431);
    const hugeUrl = await rawHttp(port, `GET /api/v1/accounts/me/statement?q=${'q'.repeat(30_000)} HTTP/1.1\r\nHost: localhost\r\nX-CSRF: 1\r\n\r\n`);
    expect(hugeUrl.status).toBe(431);
    for (const svc of [5002, 5001, 5003]) {
      const r = await rawHttp(svc, `GET /v1/notifications HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nX-Junk: ${'j'.repeat(40_000)}\r\n\r\n`);
      expect(r.status, `port ${svc}`).toBe(431);
    }
    // A 5 MB JSON body straight to payments, with a valid token: refused, not a 5xx.
    const bigService = JSON.stringify({ key: 'k'.repeat(5_000_000), amount: '1.00' });
    const overService = await rawHttp(
      5002,
      `POST /v1/pix/transfers HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nIdempotency-Key: big-${Date.now()}\r\nContent-Length: ${Buffer.byteLength(bigService)}\r\nConnection: close\r\n\r\n`,
      bigService,
    );
    expect(overService.status).toBeGreaterThanOrEqual(400);
    expect(overService.status).toBeLessThan(500);

    // Still alive and answering normally.
    expect((await client.get('/api/v1/accounts/me/balance')).status).toBe(200);
    expect((await fetch('http://127.0.0.1:5002/health')).status).toBe(200);
  });

  it('when a cookie or the session id itself is garbage, then 401 in the problem shape, never a 5xx', async () => {
    for (const cookie of ['krt-session=', 'krt-session=%00%ff', `krt-session=${'A'.repeat(4000)}`, 'krt-session=../../etc', 'krt-session="\\"', 'krt-session=a; krt-session=b', '=;=;=']) {
      const r = await fetch(`${bff.url}/api/v1/accounts/me/balance`, { headers: { 'x-csrf': '1', cookie } });
      const text = await r.text();
      expect(r.status, cookie).toBe(401);
      expect(judge({ status: r.status, contentType: r.headers.get('content-type') ?? '', text }), cookie).toEqual([]);
    }
  });
});
