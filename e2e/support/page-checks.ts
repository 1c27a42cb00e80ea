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

/** Signs the browser in through the BFF (the page's cookie jar gets the session). */
export async function signInBrowser(page: Page, cpf: string, password: string): Promise<void> {
  const res = await page.request.post('/auth/session', { headers: { 'X-CSRF': '1' }, data: { cpf, password } });
  expect(res.status(), await res.text()).toBe(204);
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
