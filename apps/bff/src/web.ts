// Serving the Angular SSR app from the BFF (same origin, no CORS). A no-op until the web build exists at
// WEB_DIST_DIR (dist/apps/web): the lead wires the SSR handler here when the web app lands.
//
// What is ready for that wiring:
// - `internalApiFetch(app, cookie)` lets server-side rendering call this BFF's own /api with the visitor's session
//   (cookie passed through, X-CSRF added), in-process, without a network hop and without ever handling a token.
// - Security headers (CSP etc.) and the session cookie are already applied app-wide by app.ts.
import type { AppEnv } from '@krt/platform/http';
import type { Logger } from '@krt/platform/logger';
import fs from 'node:fs';
import path from 'node:path';
import type { Hono } from 'hono';

export interface WebOptions {
  distDir: string;
  logger: Logger;
}

export function webBuildExists(distDir: string): boolean {
  return fs.existsSync(path.resolve(distDir, 'browser')) || fs.existsSync(path.resolve(distDir, 'server'));
}

/** Mounts the web app (static files + SSR) after /auth and /api. Returns false when there is nothing to serve yet. */
export function mountWeb(_app: Hono<AppEnv>, opts: WebOptions): boolean {
  if (!webBuildExists(opts.distDir)) return false;
  // The lead wires Angular SSR here (static assets from `${distDir}/browser`, the render handler from `${distDir}/server`),
  // passing `internalApiFetch(app, c.req.header('cookie'))` to the renderer so signed-in pages fetch with the session.
  opts.logger.warn({ distDir: opts.distDir }, 'web build found but the SSR handler is not wired yet');
  return false;
}

/** A fetch for server-side rendering: calls this BFF's /api in-process with the visitor's cookie. */
export function internalApiFetch(app: { fetch: (req: Request) => Response | Promise<Response> }, cookie: string | undefined, origin = 'http://localhost') {
  return (input: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookie) headers.set('cookie', cookie);
    headers.set('x-csrf', '1');
    return Promise.resolve(app.fetch(new Request(new URL(input, origin), { ...init, headers })));
  };
}
