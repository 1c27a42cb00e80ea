// Per-page checks the journeys share: axe (no serious/critical violation), screenshots at desktop and phone size,
// and the browser console (no errors).
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../artifacts/screenshots');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Runs axe with the WCAG 2.1 A/AA rules; fails on any serious or critical violation, listing them. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`).join('\n');
  expect(bad, `${what}: accessibility violations\n${report}`).toEqual([]);
}

/** Saves artifacts/screenshots/<name>-desktop.png and <name>-phone.png (full page), then restores the desktop size. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.setViewportSize(DESKTOP);
  await settle(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await settle(page);
  // A phone as tall as the page, so the fixed bottom navigation sits at the bottom of the picture, not over content.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: PHONE.width, height: Math.max(PHONE.height, height) });
  await settle(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-phone.png`) });
  await page.setViewportSize(DESKTOP);
  await settle(page);
}

/** Axe at both sizes (the phone layout has its own navigation) plus the screenshots. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await settle(page);
  await expectAccessible(page, `${name} (desktop)`);
  await page.setViewportSize(PHONE);
  await settle(page);
  await expectAccessible(page, `${name} (phone)`);
  await screenshots(page, name);
}

/** The app keeps a live-events connection open, so "network idle" never comes: wait for load and two frames. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForTimeout(250);
}

/**
 * Collects console errors and uncaught exceptions of a page. With `ignoreNetwork`, the browser's own
 * "Failed to load resource" lines are left out (a backend replica restarting elsewhere in the stack is not a page
 * bug; the pages show their own message for it) while script errors still count.
 */
export function consoleErrors(page: Page, opts: { ignoreNetwork?: boolean } = {}): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (opts.ignoreNetwork && msg.text().startsWith('Failed to load resource')) return;
    errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 500 && !opts.ignoreNetwork) errors.push(`HTTP ${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`);
  });
  return errors;
}

/** The Keycloak page of the BFF's code flow (KRT theme), as the browser sees it. */
export const KEYCLOAK_SIGN_IN = /^http:\/\/localhost:8080\/realms\/krt-bank\//;

/**
 * Signs the browser in as a customer does: /entrar → "Entrar" → Keycloak's KRT-branded page (CPF, which the theme
 * masks, and password) → back in the app at `returnUrl`, signed in. A browser already signed in (another customer
 * of the same test) signs out first, which also ends its Keycloak session, so Keycloak asks again.
 */
export async function signInBrowser(page: Page, cpf: string, password: string, returnUrl = '/inicio'): Promise<void> {
  const me = (await (await page.request.get('/auth/me')).json()) as { authenticated: boolean };
  if (me.authenticated) expect((await page.request.post('/auth/logout', { headers: { 'X-CSRF': '1' } })).status()).toBe(204);
  await visit(page, `/entrar?returnUrl=${encodeURIComponent(returnUrl)}`);
  await page.getByRole('link', { name: 'Entrar', exact: true }).click();
  await expect(page).toHaveURL(KEYCLOAK_SIGN_IN);
  await page.locator('#username').fill(cpf);
  await page.locator('#password').fill(password);
  await page.locator('#kc-login').click();
  const path = returnUrl.split('?')[0];
  await expect(page, `signed in as ${cpf} and back at ${returnUrl}`).toHaveURL((url) => !KEYCLOAK_SIGN_IN.test(url.href) && url.pathname === path);
  expect(((await (await page.request.get('/auth/me')).json()) as { authenticated: boolean }).authenticated, `${cpf} signed in`).toBe(true);
}

/** Opens a page and waits until the app has hydrated (typing into server-rendered inputs before that is lost). */
export async function visit(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('html[data-app-ready="true"]').waitFor({ state: 'attached' });
}

/** Account opening, first step: the address block (a real São Paulo CEP), as a customer fills it. */
export async function fillAddress(page: Page, street = 'Avenida Paulista', number = '1000', neighborhood = 'Bela Vista'): Promise<void> {
  await page.getByLabel('CEP').fill('01310100');
  await page.getByLabel('Estado (UF)').selectOption('SP');
  await page.getByLabel('Rua').fill(street);
  await page.getByLabel('Número', { exact: true }).fill(number);
  await page.getByLabel('Bairro').fill(neighborhood);
  await page.getByLabel('Cidade').fill('São Paulo');
}
