import { inject } from '@angular/core';
import { Router, type CanActivateFn, type CanMatchFn } from '@angular/router';
import { AuthService, isOperator } from './auth.service';
import { safeReturnUrl, signInUrl } from './return-url';
import { SSR_CONTEXT } from './ssr-context';

/** Signed-in pages: without a session, go to /entrar and come back afterwards. */
export const authGuard: CanActivateFn = async (_route, state) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  const ssr = inject(SSR_CONTEXT, { optional: true });
  const me = await auth.ensureLoaded().catch(() => null);
  // An operator (no customer account) is sent to the back office instead of the customer's pages.
  if (me && isOperator(me) && !me.roles?.includes('customer')) {
    if (ssr) ssr.redirect ??= '/operacao';
    return router.parseUrl('/operacao');
  }
  if (me) return true;
  const target = signInUrl(state.url);
  if (ssr) ssr.redirect ??= target;
  return router.parseUrl(target);
};

/** /entrar and /abrir-conta: a signed-in customer goes straight to where they were heading. */
export const guestGuard: CanActivateFn = async (route) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  const ssr = inject(SSR_CONTEXT, { optional: true });
  const me = await auth.ensureLoaded().catch(() => null);
  if (!me) return true;
  const target = safeReturnUrl(route.queryParamMap.get('returnUrl'));
  if (ssr) ssr.redirect ??= target;
  return router.parseUrl(target);
};

/** Pages open to everyone (the 404 page): the session is looked up, so a signed-in customer keeps the menu. */
export const sessionKnown: CanActivateFn = async () => {
  await inject(AuthService).ensureLoaded().catch(() => null);
  return true;
};

/**
 * The back office's pages match only an operator's session (realm role admin). Anyone else falls through to the
 * /operacao route that shows 403 (signed in) or sends to /entrar (signed out): the back office's components, and so
 * its API calls, are never even loaded for a customer.
 */
export const operatorMatch: CanMatchFn = async () => isOperator(await inject(AuthService).ensureLoaded().catch(() => null));
