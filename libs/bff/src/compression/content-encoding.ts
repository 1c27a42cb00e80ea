// Response compression for the BFF. Static assets are compressed once at build time (scripts/build.mjs writes .br and
// .gz beside each file) and only chosen here; dynamic HTML and JSON are compressed per response, off the event loop
// (zlib's thread pool). Hono's own compress middleware offers gzip and deflate only, and browsers prefer brotli.
import type { Context, MiddlewareHandler } from 'hono';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export type ContentCoding = 'br' | 'gzip';

/**
 * The best coding the client accepts among `available` (in the server's order of preference), per RFC 9110 §12.5.3:
 * q-values, `*`, `identity`; an explicit q=0 refuses a coding. Undefined: send the identity.
 */
export function negotiateEncoding(acceptEncoding: string | null | undefined, available: readonly ContentCoding[] = ['br', 'gzip']): ContentCoding | undefined {
  if (!acceptEncoding) return undefined;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) weight = Number.parseFloat(m[1]!);
    }
    q.set(name === 'x-gzip' ? 'gzip' : name, Number.isFinite(weight) ? weight : 0);
  }
  let best: ContentCoding | undefined;
  let bestQ = 0;
  for (const coding of available) {
    const weight = q.get(coding) ?? q.get('*') ?? 0;
    if (weight > bestQ) {
      best = coding;
      bestQ = weight;
    }
  }
  return best;
}

/** Adds `Accept-Encoding` to a Vary header value without repeating it. */
export function varyAcceptEncoding(vary: string | null | undefined): string {
  const parts = (vary ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  if (parts.some((p) => p === '*' || p.toLowerCase() === 'accept-encoding')) return parts.join(', ');
  return [...parts, 'Accept-Encoding'].join(', ');
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

export interface CompressOptions {
  /** Bodies smaller than this go as they are (default 1 KiB). */
  thresholdBytes?: number;
  /** Brotli quality for dynamic responses: 5 costs about what gzip 6 does and compresses better (default 5). */
  brotliQuality?: number;
}

/** Per request, the object whose bytes the response's body is (a cached answer's body): see `reuseEncodings`. */
const memoKeys = new WeakMap<Context, object>();
/** The encoded variants made for each such object, kept as long as the object lives (as long as the cache entry). */
const encodedVariants = new WeakMap<object, Map<ContentCoding, Uint8Array>>();

/**
 * Says that this response's body is the same bytes as every other response given `key` (e.g. the body of a cached
 * answer): the compression middleware then compresses it once per coding and reuses that, instead of compressing the
 * same bytes again on every request. The variants live as long as `key` does.
 */
export function reuseEncodings(c: Context, key: object): void {
  memoKeys.set(c, key);
}

const COMPRESSIBLE_TYPE = /^(text\/html|application\/(problem\+)?json|text\/csv|text\/plain)\b/i;

/**
 * Compresses dynamic responses (HTML, JSON, CSV) above the threshold with the client's preferred coding. Never touches
 * event streams, HEAD answers, empty or already-encoded bodies, or `Cache-Control: no-transform`; always says
 * `Vary: Accept-Encoding` for the types it may compress, so a shared cache keeps the variants apart.
 */
export function compressResponses(opts: CompressOptions = {}): MiddlewareHandler {
  const threshold = opts.thresholdBytes ?? 1024;
  const quality = opts.brotliQuality ?? 5;
  return async (c, next) => {
    await next();
    const res = c.res;
    const type = res.headers.get('content-type') ?? '';
    if (!COMPRESSIBLE_TYPE.test(type)) return;
    res.headers.set('vary', varyAcceptEncoding(res.headers.get('vary')));
    if (c.req.method === 'HEAD' || res.status === 204 || res.status === 304) return;
    if (res.headers.has('content-encoding') || /\bno-transform\b/i.test(res.headers.get('cache-control') ?? '')) return;
    const declared = Number.parseInt(res.headers.get('content-length') ?? '', 10);
    if (Number.isFinite(declared) && declared < threshold) return;
    const coding = negotiateEncoding(c.req.header('accept-encoding'));
    if (!coding) return;
    const memoKey = memoKeys.get(c);
    let encoded = memoKey && encodedVariants.get(memoKey)?.get(coding);
    // Only now the body, and only when not encoded already: asking for it turns @hono/node-server's lightweight
    // response into a full web Response.
    if (!encoded && !res.body) return;
    const headers = new Headers(res.headers);
    if (!encoded) {
      const body = Buffer.from(await res.arrayBuffer());
      if (body.length < threshold) {
        headers.set('content-length', String(body.length));
        replaceResponse(c, new Response(new Uint8Array(body), { status: res.status, statusText: res.statusText, headers }));
        return;
      }
      encoded = new Uint8Array(
        coding === 'br'
          ? await brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
          : await gzip(body, { level: 6 }),
      );
      if (memoKey) {
        const variants = encodedVariants.get(memoKey) ?? new Map<ContentCoding, Uint8Array>();
        variants.set(coding, encoded);
        encodedVariants.set(memoKey, variants);
      }
    }
    headers.set('content-encoding', coding);
    headers.set('content-length', String(encoded.length));
    // The bytes changed: a strong validator would now lie about them.
    const etag = headers.get('etag');
    if (etag && !etag.startsWith('W/')) headers.set('etag', `W/${etag}`);
    replaceResponse(c, new Response(encoded, { status: res.status, statusText: res.statusText, headers }));
  };
}

/** Hono's `c.res` setter merges the old response's headers into the new one (its Content-Length would win): clear first. */
function replaceResponse(c: Context, res: Response) {
  c.res = undefined;
  c.res = res;
}
