// Which headers cross the BFF in each direction. Cookies never go upstream, upstream cookies never reach the browser,
// and the access token travels only upstream.

const REQUEST_HEADERS = ['accept', 'accept-language', 'content-type', 'idempotency-key', 'if-match', 'if-none-match', 'traceparent', 'tracestate'];
// `idempotent-replayed`: a replayed PIX answer must be told from a first one in the browser too (API contract).
const RESPONSE_HEADERS = ['content-type', 'content-disposition', 'content-language', 'cache-control', 'etag', 'idempotent-replayed', 'last-modified', 'location', 'retry-after', 'vary'];

export interface UpstreamContext {
  accessToken?: string;
  correlationId: string;
  clientIp: string;
  /** `http` or `https`, as the browser reached the BFF. */
  proto: string;
  host?: string;
}

export function upstreamRequestHeaders(incoming: Headers, ctx: UpstreamContext): Headers {
  const out = new Headers();
  for (const name of REQUEST_HEADERS) {
    const v = incoming.get(name);
    if (v !== null) out.set(name, v);
  }
  if (ctx.accessToken) out.set('authorization', `Bearer ${ctx.accessToken}`);
  out.set('x-correlation-id', ctx.correlationId);
  out.set('x-forwarded-for', ctx.clientIp);
  out.set('x-forwarded-proto', ctx.proto);
  if (ctx.host) out.set('x-forwarded-host', ctx.host);
  return out;
}

export function browserResponseHeaders(upstream: Headers): Headers {
  const out = new Headers();
  for (const name of RESPONSE_HEADERS) {
    const v = upstream.get(name);
    if (v === null) continue;
    // Upstream locations are upstream paths (`/v1/...`); the browser knows them under `/api`.
    out.set(name, name === 'location' && v.startsWith('/v1/') ? `/api${v}` : v);
  }
  return out;
}
