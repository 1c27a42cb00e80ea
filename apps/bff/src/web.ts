// Serving the Angular SSR app from the BFF (same origin, no CORS): static files from `${distDir}/browser`, every
// other GET navigation rendered by the server bundle `${distDir}/server/main.server.mjs` (its `renderPage` runs
// Angular's CommonEngine). While rendering, the app's HttpClient calls this BFF's own /api and /auth over loopback
// with the visitor's Cookie header and X-CSRF (see apps/web/src/app/core/interceptors.ts): signed-in pages come
// out of the server with their data, and the browser reuses it through the HTTP transfer cache.
//
// A no-op (falls through to 404) while there is no web build; a new build is picked up without a restart.
import { negotiateEncoding, type ContentCoding } from '@krt/bff';
import type { AppEnv } from '@krt/platform/http';
import type { Logger } from '@krt/platform/telemetry';
import type { Context, Hono } from 'hono';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface WebOptions {
  distDir: string;
  logger: Logger;
  /** Origin the server-side renderer uses to reach this BFF; default: the local address the request came in on. */
  selfOrigin?: string;
}

/** The part of the server bundle's API the BFF uses (apps/web/src/main.server.ts). */
interface ServerBundle {
  renderPage(opts: { url: string; documentFilePath: string; publicPath: string; cookie?: string; inlineCriticalCss?: boolean }): Promise<{
    html: string;
    status: number;
    redirect?: string;
  }>;
}

const MIME: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};
/** Build outputs with a content hash in the name never change: cache them for a year. */
const HASHED = /[-.][A-Z0-9]{8,}\.(js|mjs|css|woff2?)$/;
const BACKEND_PREFIXES = ['/api/', '/auth/', '/health', '/ready', '/metrics'];

export function webBuildExists(distDir: string): boolean {
  return fs.existsSync(path.resolve(distDir, 'server', 'main.server.mjs')) && fs.existsSync(path.resolve(distDir, 'browser'));
}

/**
 * Mounts the web app after /auth and /api (call it last). Always returns true: requests fall through to the
 * app's 404 while `distDir` holds no build.
 */
export function mountWeb(app: Hono<AppEnv>, opts: WebOptions): boolean {
  const distDir = path.resolve(opts.distDir);
  const browserDir = path.join(distDir, 'browser');
  const serverEntry = path.join(distDir, 'server', 'main.server.mjs');
  const documentFile = fs.existsSync(path.join(distDir, 'server', 'index.server.html'))
    ? path.join(distDir, 'server', 'index.server.html')
    : path.join(browserDir, 'index.html');
  const bundle = bundleLoader(serverEntry, opts.logger);
  if (webBuildExists(distDir)) void bundle().catch(() => undefined); // warm up: the first page should not pay for loading Angular

  app.on(['GET', 'HEAD'], '*', async (c, next) => {
    const pathname = c.req.path;
    if (BACKEND_PREFIXES.some((p) => pathname === p.replace(/\/$/, '') || pathname.startsWith(p))) return next();
    if (!fs.existsSync(browserDir)) return next();

    const file = await staticFile(browserDir, pathname, c.req.header('accept-encoding'));
    if (file) {
      const headers: Record<string, string> = {
        'content-type': file.type,
        'content-length': String(file.body.length),
        'cache-control': HASHED.test(pathname) ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      };
      if (file.encoding) headers['content-encoding'] = file.encoding;
      if (file.hasVariants) headers.vary = 'Accept-Encoding';
      return c.body(c.req.method === 'HEAD' ? null : new Uint8Array(file.body), 200, headers);
    }
    // A missing asset is a 404, not a page.
    if (path.extname(pathname) && !pathname.endsWith('.html')) return next();

    const url = new URL(c.req.url);
    const selfOrigin = opts.selfOrigin ?? localOrigin(c) ?? url.origin;
    try {
      const render = await bundle();
      const result = await render.renderPage({
        url: `${selfOrigin}${url.pathname}${url.search}`,
        documentFilePath: documentFile,
        publicPath: browserDir,
        cookie: c.req.header('cookie') ?? '',
        // Critical-CSS inlining adds inline onload handlers, which the CSP (script-src 'self') forbids.
        inlineCriticalCss: false,
      });
      if (result.redirect) {
        c.header('cache-control', 'no-store');
        return c.redirect(result.redirect, 302);
      }
      return c.html(result.html, result.status as 200, { 'cache-control': 'no-store', vary: 'Cookie' });
    } catch (err) {
      // Rendering failed: serve the client-side app shell rather than an error page.
      c.var.log.error({ err, path: pathname }, 'server-side rendering failed, serving the client-side shell');
      const shell = await fs.promises.readFile(path.join(browserDir, 'index.html'), 'utf8').catch(() => undefined);
      if (!shell) return next();
      return c.html(shell, 200, { 'cache-control': 'no-store' });
    }
  });
  return true;
}

/** Imports the server bundle once, and again when a new build replaced it (checked at most every 2 s). */
function bundleLoader(serverEntry: string, logger: Logger): () => Promise<ServerBundle> {
  let loaded: { mtimeMs: number; bundle: Promise<ServerBundle> } | undefined;
  let checkedAt = 0;
  return () => {
    const now = Date.now();
    if (loaded && now - checkedAt < 2000) return loaded.bundle;
    checkedAt = now;
    const mtimeMs = fs.statSync(serverEntry).mtimeMs;
    if (loaded?.mtimeMs === mtimeMs) return loaded.bundle;
    const href = `${pathToFileURL(serverEntry).href}?v=${Math.round(mtimeMs)}`;
    const bundle = (import(href) as Promise<Partial<ServerBundle>>).then((m) => {
      if (typeof m.renderPage !== 'function') throw new Error(`${serverEntry} does not export renderPage`);
      logger.info({ serverEntry }, 'web server bundle loaded');
      return m as ServerBundle;
    });
    bundle.catch((err: unknown) => {
      logger.error({ err }, 'could not load the web server bundle');
      if (loaded?.bundle === bundle) loaded = undefined;
    });
    loaded = { mtimeMs, bundle };
    return bundle;
  };
}

interface StaticFile {
  body: Buffer;
  type: string;
  /** Set when a precompressed variant (`<file>.br` / `<file>.gz`, written by scripts/build.mjs) was chosen. */
  encoding?: ContentCoding;
  /** Whether precompressed variants exist, so the answer depends on Accept-Encoding. */
  hasVariants: boolean;
}

async function staticFile(root: string, pathname: string, acceptEncoding: string | undefined): Promise<StaticFile | undefined> {
  if (pathname === '/' || pathname.endsWith('/') || pathname === '/index.html') return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const full = path.resolve(root, `.${path.posix.normalize(decoded)}`);
  if (!full.startsWith(root + path.sep)) return undefined;
  const type = MIME[path.extname(full).toLowerCase()];
  if (!type) return undefined;
  try {
    const stat = await fs.promises.stat(full);
    if (!stat.isFile()) return undefined;
  } catch {
    return undefined;
  }
  const variants = (['br', 'gzip'] as const).filter((coding) => fs.existsSync(`${full}${VARIANT_SUFFIX[coding]}`));
  const encoding = negotiateEncoding(acceptEncoding, variants);
  const body = await fs.promises.readFile(encoding ? `${full}${VARIANT_SUFFIX[encoding]}` : full);
  return { body, type, hasVariants: variants.length > 0, ...(encoding ? { encoding } : {}) };
}

const VARIANT_SUFFIX: Record<ContentCoding, string> = { br: '.br', gzip: '.gz' };

/** http://<local address>:<local port> of the socket the request arrived on (Node server only). */
function localOrigin(c: Context<AppEnv>): string | undefined {
  const socket = (c.env as { incoming?: { socket?: { localAddress?: string; localPort?: number } } } | undefined)?.incoming?.socket;
  if (!socket?.localAddress || !socket.localPort) return undefined;
  let host = socket.localAddress.replace(/^::ffff:/, '');
  if (host === '0.0.0.0' || host === '::') host = '127.0.0.1';
  if (host.includes(':')) host = `[${host}]`;
  return `http://${host}:${socket.localPort}`;
}

/** A fetch for server-side code that calls this BFF's /api in-process with the visitor's cookie. */
export function internalApiFetch(app: { fetch: (req: Request) => Response | Promise<Response> }, cookie: string | undefined, origin = 'http://localhost') {
  return (input: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookie) headers.set('cookie', cookie);
    headers.set('x-csrf', '1');
    return Promise.resolve(app.fetch(new Request(new URL(input, origin), { ...init, headers })));
  };
}
