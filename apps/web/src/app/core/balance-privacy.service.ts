import { DOCUMENT } from '@angular/common';
import { Injectable, inject, signal } from '@angular/core';
import { SSR_CONTEXT } from './ssr-context';

/** Not a secret and not sent anywhere but this site: only whether this device hides the balance. */
export const HIDE_BALANCE_COOKIE = 'krt_ocultar_saldo';

const hiddenIn = (cookieHeader: string | undefined) => (cookieHeader ?? '').split(/;\s*/).includes(`${HIDE_BALANCE_COOKIE}=1`);

/**
 * "Ocultar saldo", remembered per device in a cookie (not localStorage) so the server renders the page already
 * hidden: the balance never flashes on screen before the app wakes up in the browser.
 */
@Injectable({ providedIn: 'root' })
export class BalancePrivacyService {
  private readonly document = inject(DOCUMENT);
  private readonly ssr = inject(SSR_CONTEXT, { optional: true });
  readonly hidden = signal(hiddenIn(this.ssr ? this.ssr.cookie : this.document.cookie));

  toggle(): void {
    const hide = !this.hidden();
    this.hidden.set(hide);
    if (this.ssr) return;
    this.document.cookie = hide
      ? `${HIDE_BALANCE_COOKIE}=1; Path=/; Max-Age=${400 * 24 * 3600}; SameSite=Lax${this.document.location.protocol === 'https:' ? '; Secure' : ''}`
      : `${HIDE_BALANCE_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax`;
  }
}
