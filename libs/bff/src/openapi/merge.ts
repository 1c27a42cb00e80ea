// The public API description: the BFF's own routes plus each upstream's /openapi.json, with upstream paths moved under
// /api (only the paths and methods the BFF actually forwards) and their component names prefixed so two services cannot
// collide. Each forwarded operation also lists what the gateway itself can answer (anti-forgery header, session, body
// limit, media type, rate limits, an unavailable or slow upstream), so the document names every status a client sees.
import { routeFor } from '../gateway/allow-list';

type Json = Record<string, unknown>;

export interface UpstreamDoc {
  upstream: string;
  doc: Json | undefined;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function rewriteRefs(value: unknown, prefix: string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, prefix));
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value as Json)) {
      out[k] = k === '$ref' && typeof v === 'string' ? v.replace(/^#\/components\/([^/]+)\/(.+)$/, `#/components/$1/${prefix}$2`) : rewriteRefs(v, prefix);
    }
    return out;
  }
  return value;
}

/** `{id}`-style templates become concrete enough for the allow-list check. */
const sample = (path: string) => path.replace(/\{[^}]+\}/g, 'x');

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const problemRef = { $ref: '#/components/schemas/Problem' };
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: problemRef } } });

/** The `X-CSRF: 1` header every /api call needs (403 without it). */
export const CSRF_PARAMETER = {
  name: 'X-CSRF',
  in: 'header',
  required: true,
  schema: { type: 'string', const: '1' },
  description: 'Anti-forgery header; without it: 403 CSRF_HEADER_MISSING.',
};

/** Node's HTTP parser refuses a request line plus headers over 16 KB before any route runs: no body. */
export const REQUEST_TOO_LARGE = { description: 'Request Header Fields Too Large: the address and headers exceed 16 KB (query values far over their maxLength); no body' };

/** What the gateway answers on its own for a forwarded operation, besides the service's statuses. */
function gatewayResponses(op: Json, isPublic: boolean, takesParams: boolean): Record<string, unknown> {
  const body = Boolean(op.requestBody);
  return {
    ...(body ? { 400: problem('BAD_REQUEST: the body is not well-formed JSON') } : {}),
    ...(isPublic ? {} : { 401: problem('UNAUTHENTICATED: no session, or the session has ended') }),
    403: problem('CSRF_HEADER_MISSING, or the signed-in user may not use this operation (FORBIDDEN, NOT_A_CUSTOMER)'),
    ...(body ? { 413: problem('PAYLOAD_TOO_LARGE') } : {}),
    ...(body ? { 415: problem('UNSUPPORTED_MEDIA_TYPE: send the body as the media type listed') } : {}),
    ...(body || takesParams ? { 422: problem('VALIDATION_FAILED: field errors in `errors`') } : {}),
    ...(takesParams ? { 431: REQUEST_TOO_LARGE } : {}),
    429: problem('Rate limited (per session and per IP); see Retry-After and RateLimit-*'),
    503: problem('SERVICE_UNAVAILABLE: the service behind this operation is down or its breaker is open; see Retry-After'),
    504: problem('UPSTREAM_TIMEOUT: the service took too long'),
  };
}

const ref = (path: string, method: string) => `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`;

/**
 * OpenAPI links between forwarded operations (public path, method, status → links), so a client (or a stateful
 * fuzzer) knows where an answer's ids lead: a created transfer to its detail, a registered key to its deletion, a page
 * to the next one.
 */
const LINKS: Array<[string, string, string, Record<string, Json>]> = [
  ['/api/v1/pix/transfers', 'post', '202', { GetTransfer: { operationRef: ref('/api/v1/pix/transfers/{id}', 'get'), parameters: { id: '$response.body#/id' } } }],
  ['/api/v1/pix/transfers/{id}/refunds', 'post', '202', { GetRefund: { operationRef: ref('/api/v1/pix/transfers/{id}', 'get'), parameters: { id: '$response.body#/id' } } }],
  ['/api/v1/pix/keys', 'post', '201', { DeleteKey: { operationRef: ref('/api/v1/pix/keys/{id}', 'delete'), parameters: { id: '$response.body#/id' } } }],
  ['/api/v1/pix/transfers', 'get', '200', { NextPage: { operationRef: ref('/api/v1/pix/transfers', 'get'), parameters: { 'query.cursor': '$response.body#/nextCursor' } } }],
  ['/api/v1/accounts/me/statement', 'get', '200', { NextPage: { operationRef: ref('/api/v1/accounts/me/statement', 'get'), parameters: { 'query.cursor': '$response.body#/nextCursor' } } }],
  ['/api/v1/notifications', 'get', '200', { NextPage: { operationRef: ref('/api/v1/notifications', 'get'), parameters: { 'query.cursor': '$response.body#/nextCursor' } } }],
];

function addLinks(paths: Json) {
  for (const [path, method, status, links] of LINKS) {
    const response = (((paths[path] as Json | undefined)?.[method] as Json | undefined)?.responses as Json | undefined)?.[status] as Json | undefined;
    const [target] = Object.values(links).map((l) => String(l.operationRef).split('/paths/')[1]!.split('/').slice(0, -1).join('/').replace(/~1/g, '/').replace(/~0/g, '~'));
    if (response && target && paths[target]) response.links = { ...((response.links as Json | undefined) ?? {}), ...links };
  }
}

export function mergeOpenApi(own: Json, upstreams: UpstreamDoc[]): Json {
  const paths: Json = { ...((own.paths as Json | undefined) ?? {}) };
  const components: Record<string, Json> = {};
  for (const [kind, entries] of Object.entries((own.components as Record<string, Json> | undefined) ?? {})) components[kind] = { ...entries };
  const missing: string[] = [];

  for (const { upstream, doc } of upstreams) {
    if (!doc || typeof doc.paths !== 'object') {
      missing.push(upstream);
      continue;
    }
    const prefix = `${cap(upstream)}_`;
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      const publicPath = `/api${path}`;
      const route = routeFor(sample(publicPath));
      if (!route) continue;
      const rewritten = rewriteRefs(item, prefix) as Json;
      for (const [method, op] of Object.entries(rewritten)) {
        if (!METHODS.includes(method)) continue;
        // Only what the gateway forwards is public: an upstream method the allow-list lacks answers 405 here.
        if (!route.methods.includes(method.toUpperCase())) {
          delete rewritten[method];
          continue;
        }
        const o = op as Json;
        o.tags = Array.isArray(o.tags) && o.tags.length ? o.tags : [upstream];
        // The browser authenticates with the session cookie (the BFF holds the bearer token).
        if (route.public) delete o.security;
        else o.security = [{ session: [] }];
        const parameters = ((o.parameters as Json[] | undefined) ?? []).filter((p) => String(p.name).toLowerCase() !== 'x-csrf');
        const takesParams = parameters.length > 0;
        o.parameters = [...parameters, CSRF_PARAMETER];
        const responses = (o.responses as Json | undefined) ?? {};
        o.responses = { ...gatewayResponses(o, route.public, takesParams), ...responses };
      }
      if (Object.keys(rewritten).some((k) => METHODS.includes(k))) paths[publicPath] = rewritten;
    }
    for (const [kind, entries] of Object.entries((doc.components as Record<string, Json> | undefined) ?? {})) {
      if (kind === 'securitySchemes') continue; // the browser authenticates with the session cookie, not bearer tokens
      components[kind] ??= {};
      for (const [name, schema] of Object.entries(entries)) components[kind]![`${prefix}${name}`] = rewriteRefs(schema, prefix);
    }
  }

  addLinks(paths);
  return {
    ...own,
    paths,
    components,
    ...(missing.length ? { 'x-missing-upstreams': missing } : {}),
  };
}
