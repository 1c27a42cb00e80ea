import { InjectionToken } from '@angular/core';

/** Per-request state shared between the BFF's renderer and the app while rendering on the server. */
export interface SsrContext {
  /** The incoming request's Cookie header (the HttpOnly session cookie), forwarded to the BFF API. */
  cookie: string;
  /** HTTP status for the rendered page. */
  status: number;
  /** When set, the BFF answers with a redirect instead of the HTML. */
  redirect?: string;
}

/** Provided only on the server (by `renderPage`); absent in the browser. */
export const SSR_CONTEXT = new InjectionToken<SsrContext>('KRT_SSR_CONTEXT');
