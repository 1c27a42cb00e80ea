import { Location } from '@angular/common';
import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { AuthService } from './auth.service';
import { signInUrl } from './return-url';
import { SSR_CONTEXT } from './ssr-context';

const isSameOrigin = (url: string) => url.startsWith('/') && !url.startsWith('//');

/**
 * Every call to the BFF carries the anti-forgery header; while rendering on the server the
 * incoming request's session cookie is forwarded too (the browser would send it by itself).
 */
export const bffHeadersInterceptor: HttpInterceptorFn = (req, next) => {
  if (!isSameOrigin(req.url)) return next(req);
  const ssr = inject(SSR_CONTEXT, { optional: true });
  const setHeaders: Record<string, string> = { 'X-CSRF': '1' };
  if (ssr?.cookie) setHeaders['Cookie'] = ssr.cookie;
  return next(req.clone({ setHeaders }));
};

/** A 401 from the API means the session ended: back to /entrar, then to where the customer was. */
export const sessionExpiryInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  const location = inject(Location);
  const ssr = inject(SSR_CONTEXT, { optional: true });
  return next(req).pipe(
    catchError((error: unknown) => {
      if (error instanceof HttpErrorResponse && error.status === 401 && req.url.startsWith('/api/')) {
        auth.markSignedOut();
        const here = router.getCurrentNavigation()?.extractedUrl.toString() ?? location.path() ?? '';
        // Several calls may fail at once: only the first one redirects (later ones see /entrar as the target).
        if (!here.startsWith('/entrar')) {
          const target = signInUrl(here);
          if (ssr) ssr.redirect ??= target;
          else void router.navigateByUrl(target);
        }
      }
      return throwError(() => error);
    }),
  );
};
