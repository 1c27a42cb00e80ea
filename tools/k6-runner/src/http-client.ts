// k6/http's asyncRequest on node:http: a VU's cookie jar, redirects, timeouts, multipart bodies, k6's response object
// and the built-in http_* metrics with k6's tags.
import http from 'node:http';
import https from 'node:https';
import { randomBytes } from 'node:crypto';
import { parseSetCookie } from './cookie-jar';
import type { Tags } from './metrics';
import { addSample, currentVu, InterruptedError, parseDuration, state, vuTags } from './runtime';
import { UnsupportedError } from './unsupported';

const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: Infinity }), 'https:': new https.Agent({ keepAlive: true, maxSockets: Infinity }) };

export class FileData {
  constructor(
    readonly data: string | ArrayBuffer | Uint8Array,
    readonly filename?: string,
    readonly content_type = 'application/octet-stream',
  ) {}
}

export interface ResponseCallback {
  (status: number): boolean;
}

export interface RequestParams {
  headers?: Record<string, string>;
  tags?: Tags;
  cookies?: Record<string, string | { value: string; replace?: boolean }>;
  redirects?: number;
  timeout?: string | number;
  responseType?: 'text' | 'binary' | 'none';
  responseCallback?: ResponseCallback | null;
}

const PARAMS = new Set(['headers', 'tags', 'cookies', 'redirects', 'timeout', 'responseType', 'responseCallback']);

/** Go's textproto.CanonicalMIMEHeaderKey: `retry-after` → `Retry-After`, as k6 shows response headers. */
export const canonicalHeader = (name: string) => name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());

const toBuffer = (d: string | ArrayBuffer | Uint8Array) => (typeof d === 'string' ? Buffer.from(d, 'utf8') : d instanceof Uint8Array ? Buffer.from(d) : Buffer.from(new Uint8Array(d)));

function encodeBody(body: unknown, headers: Record<string, string>): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof ArrayBuffer || body instanceof Uint8Array) return toBuffer(body);
  if (typeof body !== 'object') throw new UnsupportedError(`a request body of type ${typeof body}`);
  const entries = Object.entries(body as Record<string, unknown>);
  if (entries.some(([, v]) => v instanceof FileData)) {
    const boundary = `----k6runner${randomBytes(12).toString('hex')}`;
    const parts: Buffer[] = [];
    for (const [name, v] of entries) {
      if (v instanceof FileData) {
        parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${v.filename ?? name}"\r\nContent-Type: ${v.content_type}\r\n\r\n`));
        parts.push(toBuffer(v.data), Buffer.from('\r\n'));
      } else {
        parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${String(v)}\r\n`));
      }
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
    return Buffer.concat(parts);
  }
  headers['content-type'] ??= 'application/x-www-form-urlencoded';
  return Buffer.from(new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString());
}

/** k6's Response.json(selector): the body parsed, or one value by a dotted path (`items.0.id`). */
function jsonSelect(body: unknown, selector?: string): unknown {
  if (typeof body !== 'string') throw new Error('response body is not text (responseType "none" or "binary")');
  const parsed: unknown = JSON.parse(body);
  if (selector === undefined) return parsed;
  if (!/^[\w-]+(\.[\w-]+)*$/.test(selector)) throw new UnsupportedError(`Response.json("${selector}") (only dotted paths)`);
  let v: unknown = parsed;
  for (const key of selector.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

interface RawResult {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  waitingMs: number;
  durationMs: number;
  error?: string;
  errorCode?: number;
}

function once(method: string, url: URL, headers: Record<string, string>, body: Buffer | undefined, timeoutMs: number, signal: AbortSignal, retried = false): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstByte = 0;
    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request(url, { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) }, agent: agents[url.protocol as 'http:'], signal });
    const timer = setTimeout(() => req.destroy(new Error(`request timeout after ${timeoutMs} ms`)), timeoutMs);
    req.on('response', (res) => {
      firstByte = performance.now();
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        const end = performance.now();
        resolve({ status: res.statusCode ?? 0, statusText: `${res.statusCode} ${res.statusMessage ?? ''}`.trim(), headers: res.headers, body: Buffer.concat(chunks), waitingMs: firstByte - started, durationMs: end - started });
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        resolve({ status: 0, statusText: '', headers: {}, body: Buffer.alloc(0), waitingMs: 0, durationMs: performance.now() - started, error: err.message, errorCode: 1000 });
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (signal.aborted) return reject(new InterruptedError());
      // A kept-alive connection the server closed just as it was reused: nothing reached the server, so the request is
      // sent again on a new connection (Node's documented pattern; Go's client, k6's, does the same).
      if (req.reusedSocket && err.code === 'ECONNRESET' && !retried) return resolve(once(method, url, headers, body, timeoutMs, signal, true));
      const code = /timeout/.test(err.message) ? 1050 : err.code === 'ECONNREFUSED' ? 1212 : err.code === 'ECONNRESET' ? 1220 : 1000;
      resolve({ status: 0, statusText: '', headers: {}, body: Buffer.alloc(0), waitingMs: 0, durationMs: performance.now() - started, error: err.message, errorCode: code });
    });
    if (body) req.end(body);
    else req.end();
  });
}

export interface K6Response {
  status: number;
  status_text: string;
  url: string;
  proto: string;
  body: string | ArrayBuffer | null;
  headers: Record<string, string>;
  cookies: Record<string, ReturnType<typeof parseSetCookie>[]>;
  timings: { duration: number; blocked: number; connecting: number; tls_handshake: number; sending: number; waiting: number; receiving: number };
  error: string;
  error_code: number;
  request: { method: string; url: string; headers: Record<string, string[]>; body: string; cookies: Record<string, Array<{ name: string; value: string; replace: boolean }>> };
  json(selector?: string): unknown;
  html(): never;
}

export async function asyncRequest(method: string, urlIn: string | { url: string }, body?: unknown, params?: RequestParams | null): Promise<K6Response> {
  const vu = currentVu();
  const p = params ?? {};
  for (const k of Object.keys(p)) if (!PARAMS.has(k)) throw new UnsupportedError(`k6/http request parameter "${k}"`);
  if (vu.phase === 'init') throw new Error('k6/http requests are not allowed in the init context (as in k6)');
  const signal = vu.signal;
  const reqHeaders: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.headers ?? {})) reqHeaders[k.toLowerCase()] = String(v);
  const payload = encodeBody(body, reqHeaders);
  const timeoutMs = p.timeout === undefined ? 60_000 : parseDuration(p.timeout, 'request timeout');
  const maxRedirects = p.redirects ?? (typeof state.options.maxRedirects === 'number' ? state.options.maxRedirects : 10);
  let url = new URL(typeof urlIn === 'string' ? urlIn : urlIn.url);
  let verb = method.toUpperCase();
  let sentBody = payload;
  let redirects = 0;
  for (;;) {
    const headers = { ...reqHeaders };
    if (!sentBody) delete headers['content-type'];
    const jarCookies = vu.jar.cookiesFor(url);
    const explicit = Object.entries(p.cookies ?? {}).map(([name, v]) => (typeof v === 'string' ? { name, value: v, replace: false } : { name, value: v.value, replace: Boolean(v.replace) }));
    const cookiePairs = [...jarCookies.filter((c) => !explicit.some((e) => e.replace && e.name === c.name)).map((c) => `${c.name}=${c.value}`), ...explicit.map((e) => `${e.name}=${e.value}`)];
    if (cookiePairs.length) headers.cookie = [headers.cookie, ...cookiePairs].filter(Boolean).join('; ');
    headers['user-agent'] ??= 'k6-runner (k6-compatible; +k6/README.md)';
    const raw = await once(verb, url, headers, sentBody, timeoutMs, signal);
    const setCookies = ([] as string[]).concat(raw.headers['set-cookie'] ?? []);
    vu.jar.storeFromResponse(url, setCookies);
    const responseType = p.responseType ?? (state.options.discardResponseBodies ? 'none' : 'text');
    const res = buildResponse(raw, url, verb, headers, sentBody, setCookies, responseType);
    emitMetrics(res, raw, verb, url, p);
    const location = raw.headers.location;
    if (raw.status >= 300 && raw.status < 400 && location && raw.status !== 304 && redirects < maxRedirects) {
      redirects += 1;
      url = new URL(location, url);
      if (raw.status === 303 || ((raw.status === 301 || raw.status === 302) && verb !== 'GET' && verb !== 'HEAD')) {
        verb = 'GET';
        sentBody = undefined;
      }
      continue;
    }
    return res;
  }
}

function buildResponse(raw: RawResult, url: URL, method: string, headers: Record<string, string>, body: Buffer | undefined, setCookies: string[], responseType: string): K6Response {
  const outHeaders: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw.headers)) if (v !== undefined) outHeaders[canonicalHeader(k)] = Array.isArray(v) ? v.join(', ') : v;
  const cookies: K6Response['cookies'] = {};
  for (const sc of setCookies) {
    const c = parseSetCookie(sc);
    if (c) (cookies[c.name] ??= []).push(c);
  }
  const text = responseType === 'none' ? null : responseType === 'binary' ? raw.body.buffer.slice(raw.body.byteOffset, raw.body.byteOffset + raw.body.length) : raw.body.toString('utf8');
  return {
    status: raw.status,
    status_text: raw.statusText,
    url: url.toString(),
    proto: 'HTTP/1.1',
    body: text as string | ArrayBuffer | null,
    headers: outHeaders,
    cookies,
    timings: { duration: raw.durationMs, blocked: 0, connecting: 0, tls_handshake: 0, sending: 0, waiting: raw.waitingMs, receiving: raw.durationMs - raw.waitingMs },
    error: raw.error ?? '',
    error_code: raw.errorCode ?? (raw.status >= 400 ? 1000 + raw.status : 0),
    request: {
      method,
      url: url.toString(),
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [canonicalHeader(k), [v]])),
      body: body ? body.toString('utf8') : '',
      cookies: {},
    },
    json(selector?: string) {
      return jsonSelect(text, selector);
    },
    html(): never {
      throw new UnsupportedError('Response.html()');
    },
  };
}

function emitMetrics(res: K6Response, raw: RawResult, method: string, url: URL, p: RequestParams) {
  const callback = p.responseCallback === undefined ? state.responseCallback : p.responseCallback;
  const expected = callback ? callback(raw.status) : true;
  const tags: Tags = { ...vuTags(), method, url: url.toString(), name: p.tags?.name ?? url.toString(), status: String(raw.status), expected_response: String(expected), ...(p.tags ?? {}) };
  if (raw.errorCode) tags.error_code = String(res.error_code);
  addSample('http_reqs', 'counter', 1, tags);
  addSample('http_req_duration', 'trend', raw.durationMs, tags, 'time');
  addSample('http_req_waiting', 'trend', raw.waitingMs, tags, 'time');
  if (callback) addSample('http_req_failed', 'rate', expected ? 0 : 1, tags);
  addSample('data_received', 'counter', raw.body.length, tags, 'data');
}
