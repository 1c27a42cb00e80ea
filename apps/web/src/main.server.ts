// Server entry: the BFF imports this bundle (dist/apps/web/server/main.server.mjs) and calls `renderPage`
// for every HTML navigation. CommonEngine is bundled here so it shares the app's copy of @angular/core.
import { APP_BASE_HREF } from '@angular/common';
import type { ApplicationRef } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { CommonEngine } from '@angular/ssr';
import { AppComponent } from './app/app.component';
import { serverConfig } from './app/app.config.server';
import { SSR_CONTEXT, type SsrContext } from './app/core/ssr-context';

const bootstrap = (): Promise<ApplicationRef> => bootstrapApplication(AppComponent, serverConfig);
export default bootstrap;

export interface RenderPageOptions {
  /** Absolute URL of the page on the BFF's own address, e.g. http://127.0.0.1:5000/inicio: relative API calls resolve against it. */
  url: string;
  /** dist/apps/web/browser/index.html (or index.server.html). */
  documentFilePath: string;
  /** dist/apps/web/browser: where the CSS for critical-CSS inlining is read from. */
  publicPath: string;
  /** The incoming request's Cookie header, forwarded to the BFF's API by server-side HTTP calls. */
  cookie?: string;
  /** Critical-CSS inlining emits inline `onload` handlers; off when the CSP forbids inline scripts. Default false. */
  inlineCriticalCss?: boolean;
}

export interface RenderPageResult {
  html: string;
  status: number;
  /** Set when a guard or a 401 sent the customer elsewhere (e.g. /entrar?returnUrl=...). */
  redirect?: string;
}

let engine: CommonEngine | undefined;

export async function renderPage(opts: RenderPageOptions): Promise<RenderPageResult> {
  engine ??= new CommonEngine({ bootstrap });
  const context: SsrContext = { cookie: opts.cookie ?? '', status: 200 };
  const html = await engine.render({
    bootstrap,
    documentFilePath: opts.documentFilePath,
    publicPath: opts.publicPath,
    url: opts.url,
    inlineCriticalCss: opts.inlineCriticalCss ?? false,
    providers: [
      { provide: APP_BASE_HREF, useValue: '/' },
      { provide: SSR_CONTEXT, useValue: context },
    ],
  });
  return { html, status: context.status, ...(context.redirect ? { redirect: context.redirect } : {}) };
}
