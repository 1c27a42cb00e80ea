// The back office in the browser (issue #19): the realm's two operators, an application that falls to manual KYC
// review, and a watcher that records every back-office API call a page makes.
import { expect, request, type Page } from '@playwright/test';
import { randomInt } from 'node:crypto';
import { DOCUMENT_PNG, ONBOARDING_URL, SELFIE_PNG, newCustomer, type CustomerData } from './bank-api';
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
  const api = await request.newContext({ baseURL: ONBOARDING_URL, extraHTTPHeaders: { 'X-Forwarded-For': `198.51.100.${1 + randomInt(254)}` } });
  try {
    const res = await api.post('/v1/registrations', {
      multipart: {
        fullName: data.fullName,
        cpf: data.cpf,
        birthDate: data.birthDate,
        email: data.email,
        phone: data.phone,
        cep: '01310100',
        street: 'Avenida Paulista',
        number: '1000',
        neighborhood: 'Bela Vista',
        city: 'São Paulo',
        state: 'SP',
        password: data.password,
        transactionPin: data.pin,
        acceptTerms: 'true',
        acceptPrivacy: 'true',
        documentType: 'RG',
        documentNumber: String(10_000_000 + randomInt(89_999_999)),
        documentIssuer: 'SSP/SP',
        documentImage: { name: 'documento.png', mimeType: 'image/png', buffer: DOCUMENT_PNG },
        selfieImage: { name: 'selfie.png', mimeType: 'image/png', buffer: SELFIE_PNG },
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    const { applicationId, statusToken } = (await res.json()) as { applicationId: string; statusToken: string };
    await expect
      .poll(async () => ((await (await api.get(`/v1/registrations/${applicationId}`, { params: { token: statusToken } })).json()) as { status: string }).status, {
        timeout: 60_000,
        intervals: [500, 1000],
      })
      .toBe('PENDING_REVIEW');
    return { applicationId, data };
  } finally {
    await api.dispose();
  }
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
