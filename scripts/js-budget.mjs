#!/usr/bin/env node
// The JavaScript a first visit of a page loads, gzipped, against its budget. Read from the production build itself:
// the entry scripts of index.html (polyfills, main), every chunk they import statically, and the lazy chunk of the
// page's route with its own static imports (from esbuild's metafile, `ng build --stats-json`). Chunks behind a
// dynamic import that the page does not need for its first render (an `@defer` block, another route) are not counted.
// Exits 1 when a page is over budget; `npm test` runs it after the web build. Writes tmp/js-budget.json.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT } from './stack/common.mjs';

/** Route → the component its lazy chunk comes from (apps/web/src/app/app.routes.ts); budgets in kB (1 kB = 1000 bytes), gzipped. */
export const PAGES = [
  { page: '/entrar', component: 'apps/web/src/app/features/login/login.component.ts', budgetKb: 110 },
  { page: '/inicio', component: 'apps/web/src/app/features/dashboard/dashboard.component.ts', budgetKb: 170 },
];

const WEB = path.join(ROOT, 'dist/apps/web');

/** Static-import closure of `start` over the metafile's browser outputs. */
function closure(outputs, start) {
  const seen = new Set();
  const queue = [start];
  while (queue.length) {
    const file = queue.shift();
    if (seen.has(file) || !outputs[file]) continue;
    seen.add(file);
    for (const imp of outputs[file].imports) if (imp.kind === 'import-statement') queue.push(imp.path);
  }
  return seen;
}

const gzipSize = (file) => zlib.gzipSync(fs.readFileSync(path.join(WEB, 'browser', file)), { level: 9 }).length;

export function measure({ webDir = WEB } = {}) {
  const stats = JSON.parse(fs.readFileSync(path.join(webDir, 'stats.json'), 'utf8'));
  const outputs = Object.fromEntries(Object.entries(stats.outputs).filter(([file]) => !file.startsWith('server/') && file.endsWith('.js')));
  const html = fs.readFileSync(path.join(webDir, 'browser', 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<script[^>]*\ssrc="([^"]+\.js)"/g)].map((m) => m[1].replace(/^\//, ''));
  if (!entries.length) throw new Error('index.html loads no script: is this a web build?');
  const initial = new Set(entries.flatMap((e) => [...closure(outputs, e)]));
  return PAGES.map(({ page, component, budgetKb }) => {
    const routeChunk = Object.keys(outputs).find((file) => outputs[file].entryPoint === component);
    if (!routeChunk) throw new Error(`${page}: no chunk for ${component} in the build (has the route changed?)`);
    const files = new Set([...initial, ...closure(outputs, routeChunk)]);
    const gzipBytes = [...files].reduce((a, f) => a + gzipSize(f), 0);
    const rawBytes = [...files].reduce((a, f) => a + outputs[f].bytes, 0);
    return { page, files: files.size, rawBytes, gzipBytes, budgetBytes: budgetKb * 1000, ok: gzipBytes <= budgetKb * 1000 };
  });
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  try {
    const results = measure();
    for (const r of results) {
      console.log(
        `${r.ok ? 'ok  ' : 'OVER'} ${r.page.padEnd(8)} ${(r.gzipBytes / 1000).toFixed(1).padStart(6)} kB gzipped ` +
          `(${(r.rawBytes / 1000).toFixed(0)} kB raw, ${r.files} files); budget ${(r.budgetBytes / 1000).toFixed(0)} kB`,
      );
    }
    fs.mkdirSync(path.join(ROOT, 'tmp'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'tmp', 'js-budget.json'), `${JSON.stringify(results, null, 2)}\n`);
    if (results.some((r) => !r.ok)) process.exit(1);
  } catch (e) {
    console.error(`[js-budget] FAILED: ${e.message}`);
    process.exit(1);
  }
}
