// The back office in the browser (issue #19): the realm's two operators, an application that falls to manual KYC
// review, and a watcher that records every back-office API call a page makes.
import type { Page } from '@playwright/test';
import { newCustomer, registerCustomer, type CustomerData } from './bank-api';
import { signInBrowser } from './page-checks';

/** `operador` requests (the maker); `supervisora` approves (the checker). Realm role admin, both. */
export const OPERADOR = { username: 'operador', password: 'Operador@2026' } as const;
export const SUPERVISORA = { username: 'supervisora', password: 'Supervisora@2026' } as const;

/** Signs an operator in through the same code flow as customers (/entrar → Keycloak) and lands on `returnUrl`. */
export async function signInOperator(page: Page, who: { username: string; password: string }, returnUrl = '/operacao/kyc'): Promise<void> {
  await signInBrowser(page, who.username, who.password, returnUrl);
  // Typing into server-rendered inputs before hydration is lost.
  await page.locator('html[data-app-ready="true"]').waitFor({ state: 'attached' });
}

/**
 * Names on the sample sanctions/PEP list (data/sanctions-pep-sample.json): an application with one of these full names
 * is not approved automatically but waits for an operator (PENDING_REVIEW).
 */
export const WATCHLIST_NAMES = ['Aurélio Benedito Tavares', 'Joaquim Ernesto Valadares', 'Cláudia Regina Pimentel Saraiva'] as const;

/**
 * Registers an applicant whose name is on the watchlist, straight to onboarding as a distinct client address (as
 * bank-api's registerCustomer does), and waits until the automatic KYC sends the application to review.
 */
export async function applicationForReview(fullName: (typeof WATCHLIST_NAMES)[number]): Promise<{ applicationId: string; data: CustomerData }> {
  const data = { ...newCustomer(), fullName };
  const { applicationId } = await registerCustomer(data, 'PENDING_REVIEW');
  return { applicationId, data };
}

/** Records the back office's API calls (/api/v1/admin/*) the page sends from now on. */
export function adminCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname.startsWith('/api/v1/admin')) calls.push(`${req.method()} ${url.pathname}`);
  });
  return calls;
}
