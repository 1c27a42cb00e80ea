// The /api paths the web app calls, read from its source (apps/web/src): a `${...}` in a path becomes one segment and
// the query is cut, so each can be matched against the allow-list and the OpenAPI document's path templates.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const WEB_SRC = path.resolve(__dirname, '../../apps/web/src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every /api path the web app calls, as written in its source: `${...}` becomes one segment, the query is cut. */
export function webApiPaths(): string[] {
  const found = new Set<string>();
  for (const file of tsFiles(WEB_SRC)) {
    const text = readFileSync(file, 'utf8');
    const prefixes = Object.fromEntries([...text.matchAll(/const (\w+) = '(\/api\/v1[^']*)'/g)].map((m) => [m[1]!, m[2]!]));
    for (const m of text.matchAll(/['`](\/api\/v1[^'`]*|\$\{(\w+)\}[^'`]*)['`]/g)) {
      let p = m[1]!;
      if (m[2]) {
        if (!prefixes[m[2]]) continue;
        p = prefixes[m[2]] + p.slice(m[2].length + 3);
      }
      p = p.replace(/\$\{[^}]*\}/g, 'x').split('?')[0]!;
      if (p !== '/api/v1/admin') found.add(p);
    }
  }
  return [...found].sort();
}

