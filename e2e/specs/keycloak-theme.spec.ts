// The KRT login theme on Keycloak's pages (issue #23, infra/keycloak/themes/krt): "Entrar" on /entrar (the browser's
// only sign-in: authorization code + PKCE through the BFF) shows the bank's sign-in in pt-BR, the field reads "CPF", typed digits get the 000.000.000-00 mask, a CPF with wrong
// check digits is refused in the browser (Keycloak never sees it), and the masked CPF signs in. Axe at desktop and
// phone sizes; the pictures go to docs/screenshots/keycloak-entrar-<desktop|phone>.png (the README shows them).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { formatCpf, newCustomer, registerCustomer } from '../support/bank-api';
import { DESKTOP, expectAccessible, PHONE, visit } from '../support/page-checks';

const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');

/** A CPF-shaped value whose last check digit is wrong. */
const wrongCheckDigit = (cpf: string) => `${cpf.slice(0, 10)}${(Number(cpf[10]) + 1) % 10}`;

test('When a customer chooses "Entrar" on /entrar, then the KRT-branded page asks for the CPF with a mask, refuses a wrong check digit and signs the masked CPF in', async ({ page }) => {
  const c = newCustomer();
  await registerCustomer(c);

  await visit(page, '/entrar');
  await page.getByRole('link', { name: 'Entrar', exact: true }).click();
  await expect(page).toHaveURL(/\/realms\/krt-bank\/protocol\/openid-connect\/auth/);
  await expect(page).toHaveTitle('Entrar no KRT Bank');
  await expect(page.locator('#kc-header-wrapper')).toHaveText('KRT Bank');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Entrar no KRT Bank');
  await expect(page.locator('label[for="username"]')).toHaveText('CPF');
  await expect(page.locator('html')).toHaveAttribute('lang', 'pt-BR');

  const cpf = page.getByLabel('CPF');
  await cpf.pressSequentially(c.cpf);
  await expect(cpf).toHaveValue(formatCpf(c.cpf));

  // A wrong check digit is stopped in the browser: an error under the field, still on Keycloak's page.
  await cpf.fill(wrongCheckDigit(c.cpf));
  await expect(cpf).toHaveValue(formatCpf(wrongCheckDigit(c.cpf)));
  await page.locator('#password').fill(c.password);
  await page.locator('#kc-login').click();
  await expect(page.getByRole('alert').filter({ hasText: 'CPF inválido' })).toBeVisible();
  await expect(cpf).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/^http:\/\/localhost:8080\/realms\/krt-bank\//);
  await expect(page.locator('#kc-login')).toBeEnabled();

  // The CPF as people write it, dots and dash included.
  await cpf.fill(formatCpf(c.cpf));
  await expect(cpf).toHaveValue(formatCpf(c.cpf));
  await expect(page.getByRole('alert').filter({ hasText: 'CPF inválido' })).toHaveCount(0);
  await expectAccessible(page, 'Keycloak sign-in, KRT theme (desktop)');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'keycloak-entrar-desktop.png') });
  await page.setViewportSize(PHONE);
  await expectAccessible(page, 'Keycloak sign-in, KRT theme (phone)');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'keycloak-entrar-phone.png') });
  await page.setViewportSize(DESKTOP);

  await page.locator('#kc-login').click();
  await expect(page).toHaveURL(/^http:\/\/localhost:5000\//);
  await expect(page).not.toHaveURL(/\/entrar/);
  expect((await page.request.get('/api/v1/sessions', { headers: { 'X-CSRF': '1' } })).status()).toBe(200);
});
