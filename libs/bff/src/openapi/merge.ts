// The public API description: the BFF's own routes plus each upstream's /openapi.json, with upstream paths moved under
// /api (only those the BFF actually forwards) and their component names prefixed so two services cannot collide.
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
      if (!routeFor(sample(publicPath))) continue;
      const rewritten = rewriteRefs(item, prefix) as Json;
      for (const op of Object.values(rewritten)) {
        if (op && typeof op === 'object' && !Array.isArray(op)) {
          const o = op as Json;
          o.tags = Array.isArray(o.tags) && o.tags.length ? o.tags : [upstream];
        }
      }
      paths[publicPath] = rewritten;
    }
    for (const [kind, entries] of Object.entries((doc.components as Record<string, Json> | undefined) ?? {})) {
      if (kind === 'securitySchemes') continue; // the browser authenticates with the session cookie, not bearer tokens
      components[kind] ??= {};
      for (const [name, schema] of Object.entries(entries)) components[kind]![`${prefix}${name}`] = rewriteRefs(schema, prefix);
    }
  }

  return {
    ...own,
    paths,
    components,
    ...(missing.length ? { 'x-missing-upstreams': missing } : {}),
  };
}
