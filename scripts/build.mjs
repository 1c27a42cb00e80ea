#!/usr/bin/env node
// `npm run build`: the production build.
//   web       Angular (browser + SSR bundle) into dist/apps/web, then every text asset precompressed (.br, .gz) so the
//             BFF serves them without compressing at request time.
//   services  every Node process bundled by esbuild into dist/node (ES modules, code shared between entry points split
//             into common chunks so that, e.g., the telemetry module loaded by --import is the same instance the app
//             uses). npm packages stay external: OpenTelemetry instruments pg, ioredis, amqplib and http as they are
//             imported from node_modules, exactly as in development. Started with plain `node`, no TypeScript at run time.
//
// `npm start` and `npm test` call buildWeb() (it builds only when the output is missing or older than its sources).
// Usage: node scripts/build.mjs [web|services|all] [--force]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { APP_PROCESSES } from './stack/apps.mjs';
import { ROOT, compiledEntry, step } from './stack/common.mjs';

export const WEB_DIST = path.join(ROOT, 'dist/apps/web');
export const NODE_DIST = path.join(ROOT, 'dist/node');
const WEB_STAMP = path.join(WEB_DIST, '.build-stamp');
const NODE_STAMP = path.join(NODE_DIST, '.build-stamp');

/** What the web build reads: a newer file here than the last build's stamp means the build is stale. */
const WEB_INPUTS = ['apps/web', 'libs/domain', 'libs/contracts', 'angular.json', 'tsconfig.base.json', 'package-lock.json'];
const NODE_INPUTS = ['apps/bff/src', 'apps/payments/src', 'apps/onboarding/src', 'apps/notifications/src', 'libs', 'tsconfig.base.json', 'package-lock.json'];

/** Entry points of the production processes: every process the stack runs, the telemetry preload and the DLQ tool. */
export const NODE_ENTRIES = [
  'libs/platform/src/telemetry/telemetry.register.ts',
  ...APP_PROCESSES.map((app) => app.entry),
  'apps/notifications/src/dlq.cli.ts',
];

export { compiledEntry };
/** The source entry a compiled one was built from (the inverse of compiledEntry), or undefined for other paths. */
export const sourceOfCompiled = (file) => (/^(\.\/)?dist\/node\/.+\.js$/.test(file) ? file.replace(/^(\.\/)?dist\/node\//, '').replace(/\.js$/, '.ts') : undefined);

/** Types worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt', '.map', '.webmanifest', '.xml', '.ico']);
/** Below this, compression saves less than the headers it costs. */
const MIN_COMPRESS_BYTES = 1024;

function newestMtime(rel) {
  const full = path.join(ROOT, rel);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(full, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(rel, entry.name)));
  }
  return newest;
}

/** Whether the output whose stamp is `stampFile` is missing or older than any of `inputs`. */
export function isStale(stampFile, inputs) {
  if (!fs.existsSync(stampFile)) return true;
  const built = fs.statSync(stampFile).mtimeMs;
  return inputs.some((rel) => newestMtime(rel) > built);
}

function run(cmd, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}`))));
  });
}

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

/**
 * Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9) beside every compressible file of `dir` above
 * 1 KiB, unless compression would not make it smaller. Returns the totals, for the build's progress line.
 */
export function precompress(dir) {
  let files = 0;
  let raw = 0;
  let br = 0;
  let gz = 0;
  for (const file of walk(dir)) {
    if (!COMPRESSIBLE.has(path.extname(file).toLowerCase())) continue;
    const body = fs.readFileSync(file);
    if (body.length < MIN_COMPRESS_BYTES) continue;
    const brotli = zlib.brotliCompressSync(body, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    });
    const gzip = zlib.gzipSync(body, { level: 9 });
    if (brotli.length < body.length) fs.writeFileSync(`${file}.br`, brotli);
    if (gzip.length < body.length) fs.writeFileSync(`${file}.gz`, gzip);
    files += 1;
    raw += body.length;
    br += Math.min(brotli.length, body.length);
    gz += Math.min(gzip.length, body.length);
  }
  return { files, raw, br, gz };
}

const kb = (n) => `${(n / 1024).toFixed(0)} KB`;

/** Builds the web app when its output is missing or stale (or always with `force`), then precompresses its assets. */
export async function buildWeb({ force = false } = {}) {
  if (!force && !isStale(WEB_STAMP, WEB_INPUTS)) {
    step('web: build is up to date (dist/apps/web)');
    return false;
  }
  step('web: building the Angular app (browser + server-side rendering) — about a minute on 2 cores');
  const started = Date.now();
  // Built beside the current build and swapped in when complete: a running BFF keeps serving the old one meanwhile.
  const next = `${WEB_DIST}.next`;
  fs.rmSync(next, { recursive: true, force: true });
  await run(process.execPath, [path.join(ROOT, 'node_modules/@angular/cli/bin/ng.js'), 'build', 'web', '--stats-json', `--output-path=${path.relative(ROOT, next)}`], {
    NG_CLI_ANALYTICS: 'false',
  });
  const totals = precompress(path.join(next, 'browser'));
  fs.writeFileSync(path.join(next, '.build-stamp'), `${new Date().toISOString()}\n`);
  fs.rmSync(WEB_DIST, { recursive: true, force: true });
  fs.renameSync(next, WEB_DIST);
  step(
    `web: built in ${((Date.now() - started) / 1000).toFixed(0)} s; ${totals.files} assets precompressed ` +
      `(${kb(totals.raw)} → brotli ${kb(totals.br)}, gzip ${kb(totals.gz)})`,
  );
  return true;
}

/** Bundles every Node process into dist/node with esbuild (see the header). */
export async function buildServices({ force = false } = {}) {
  if (!force && !isStale(NODE_STAMP, NODE_INPUTS)) {
    step('services: build is up to date (dist/node)');
    return false;
  }
  step(`services: bundling ${NODE_ENTRIES.length} entry points with esbuild`);
  const started = Date.now();
  const esbuild = await import('esbuild');
  fs.rmSync(NODE_DIST, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: NODE_ENTRIES,
    outdir: NODE_DIST,
    outbase: '.',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // npm packages are imported from node_modules at run time (instrumented by OpenTelemetry, licences intact);
    // the project's own @krt/* libraries are bundled (tsconfig paths).
    packages: 'external',
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    sourcemap: true,
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
    metafile: true,
  });
  // Anything the bundles left as an import of @krt/* would fail at run time: the aliases must have been resolved.
  const unresolved = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.path.startsWith('@krt/')).map((i) => i.path));
  if (unresolved.length) throw new Error(`services: bundles still import ${[...new Set(unresolved)].join(', ')}`);
  fs.writeFileSync(path.join(NODE_DIST, 'package.json'), `${JSON.stringify({ type: 'module', private: true })}\n`);
  fs.writeFileSync(NODE_STAMP, `${new Date().toISOString()}\n`);
  const bytes = Object.values(result.metafile.outputs).reduce((a, o) => a + o.bytes, 0);
  step(`services: bundled in ${((Date.now() - started) / 1000).toFixed(1)} s (${kb(bytes)} with source maps) → dist/node`);
  return true;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const what = args.find((a) => !a.startsWith('--')) ?? 'all';
  try {
    if (what === 'web' || what === 'all') await buildWeb({ force });
    if (what === 'services' || what === 'all') await buildServices({ force });
  } catch (e) {
    console.error(`[build] FAILED: ${e.message}`);
    process.exit(1);
  }
}
