import { registerLocaleData } from '@angular/common';
import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import localePt from '@angular/common/locales/pt';
import { DEFAULT_CURRENCY_CODE, LOCALE_ID, ɵprovideZonelessChangeDetection as provideZonelessChangeDetection, type ApplicationConfig } from '@angular/core';
import { provideClientHydration, withHttpTransferCacheOptions } from '@angular/platform-browser';
import { provideAnimationsAsync } from '@angular/platform-browser/animations/async';
import { TitleStrategy, provideRouter, withComponentInputBinding, withEnabledBlockingInitialNavigation, withInMemoryScrolling } from '@angular/router';
import { routes } from './app.routes';
import { bffHeadersInterceptor, sessionExpiryInterceptor } from './core/interceptors';
import { KrtTitleStrategy } from './core/title.strategy';

registerLocaleData(localePt, 'pt-BR');

export const appConfig: ApplicationConfig = {
  providers: [
    // No zone.js: change detection runs from signals, template events and markForCheck (every component is OnPush).
    // It keeps ~12 kB gzipped out of every first visit, and keeps zone.js from patching every Promise and timer of the
    // BFF process that loads the server bundle.
    provideZonelessChangeDetection(),
    // The first navigation (guards included) completes before the app hydrates: without zone.js nothing else would hold
    // stability back, and hydration would drop the server-rendered page before the route's component claimed it.
    provideRouter(routes, withComponentInputBinding(), withInMemoryScrolling({ scrollPositionRestoration: 'top' }), withEnabledBlockingInitialNavigation()),
    provideHttpClient(withFetch(), withInterceptors([bffHeadersInterceptor, sessionExpiryInterceptor])),
    // The server's GET responses (/auth/me, the dashboard) travel in the HTML: the browser does not refetch them.
    provideClientHydration(withHttpTransferCacheOptions({ includePostRequests: false })),
    provideAnimationsAsync(),
    { provide: LOCALE_ID, useValue: 'pt-BR' },
    { provide: DEFAULT_CURRENCY_CODE, useValue: 'BRL' },
    { provide: TitleStrategy, useClass: KrtTitleStrategy },
  ],
};
