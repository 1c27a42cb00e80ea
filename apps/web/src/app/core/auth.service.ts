import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type { Me } from '@krt/contracts';

/** Whether a session is an operator's (realm role admin). */
export const isOperator = (me: Me | null | undefined): boolean => !!me?.authenticated && !!me.roles?.includes('admin');

/**
 * The customer's session as the BFF sees it. No token ever reaches the browser: only /auth/me. Signing in is a full
 * navigation to the BFF's /auth/login (Keycloak's page), never a call from here.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  /** undefined = not checked yet, null = signed out. */
  readonly me = signal<Me | null | undefined>(undefined);
  readonly signedIn = computed(() => !!this.me()?.authenticated);
  readonly firstName = computed(() => (this.me()?.name ?? '').split(' ')[0] ?? '');
  /** An operator of the bank (realm role admin): the back office (/operacao) is theirs, the customer's pages are not. */
  readonly isOperator = computed(() => isOperator(this.me()));
  private inflight: Promise<Me | null> | undefined;

  /** Loads /auth/me once (and again after signing out). */
  async ensureLoaded(): Promise<Me | null> {
    const known = this.me();
    if (known !== undefined) return known;
    return this.refresh();
  }

  refresh(): Promise<Me | null> {
    this.inflight ??= firstValueFrom(this.http.get<Me>('/auth/me'))
      .then((me) => (me && me.authenticated ? me : null))
      .catch((e: unknown) => {
        if (e instanceof HttpErrorResponse && (e.status === 401 || e.status === 403)) return null;
        throw e;
      })
      .then((me) => {
        this.me.set(me);
        return me;
      })
      .finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  async signOut(): Promise<void> {
    try {
      await firstValueFrom(this.http.post('/auth/logout', {}, { responseType: 'text' }));
    } finally {
      this.me.set(null);
    }
  }

  markSignedOut(): void {
    this.me.set(null);
  }
}
