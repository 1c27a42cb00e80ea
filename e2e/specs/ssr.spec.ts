// Server-side rendering: the first HTML of /inicio for a signed-in session already has the balance and the balance
// history (as its data table; the chart library loads in the browser after the first paint), and the page then
// hydrates without console errors and without fetching the dashboard again.
import { expect, test } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { fundedCustomer } from '../support/bank-api';
import { consoleErrors, KEYCLOAK_SIGN_IN, signInBrowser, visit } from '../support/page-checks';

test('When a signed-in customer opens /inicio, then the server HTML already holds the balance and its history, and the page hydrates cleanly and draws the chart', async ({ page }) => {
  const c = await fundedCustomer('1234.56');

  const res = await c.api.get('/inicio');
  expect(res.status()).toBe(200);
  const html = await res.text();
  writeFileSync(test.info().outputPath('inicio.server.html'), html); // kept with the test results
  const has = (what: string, re: RegExp) => expect(re.test(html), `server HTML of /inicio has ${what}`).toBe(true);
  has('the balance', /data-testid="balance"[^>]*>\s*R\$(?:\s|&nbsp;)1\.234,56/);
  has('the balance history as a table in reais', /aria-labelledby="grafico-saldo"[\s\S]*?<td[^>]*>\s*R\$/);
  has('a placeholder where the chart will be', /data-testid="balance-chart"[\s\S]*?class="skeleton chart-skeleton"/);
  expect(html, 'the chart library is not in the first HTML').not.toContain('<ngx-charts-line-chart');
  has('the transfer cache state', /<script id="ng-state" type="application\/json">/);

  const errors = consoleErrors(page);
  const dashboardCalls: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/dashboard') dashboardCalls.push(r.url());
  });
  await signInBrowser(page, c.data.cpf, c.data.password);
  await visit(page, '/inicio');
  await expect(page.getByTestId('balance')).toHaveText(/1\.234,56/);
  // The chart library arrives after the first paint and draws the line with its axis in reais.
  await expect(page.locator('ngx-charts-line-chart svg')).toBeVisible();
  await expect(page.locator('ngx-charts-line-chart path.line')).toHaveCount(1);
  await expect(page.locator('ngx-charts-line-chart text').filter({ hasText: 'R$' }).first()).toBeVisible();
  // Hydrated: the client app responds to input.
  await page.getByRole('button', { name: 'Ocultar saldo' }).click();
  await expect(page.getByTestId('balance')).toHaveText(/••/);
  expect(dashboardCalls, 'the browser reused the server response').toHaveLength(0);
  expect(errors).toEqual([]);
  await c.api.dispose();
});

test('When a visitor without a session opens /inicio, then the server redirects to /entrar with the return address', async ({ request }) => {
  const res = await request.get('/inicio', { maxRedirects: 0 });
  expect(res.status()).toBe(302);
  expect(res.headers()['location']).toBe('/entrar?returnUrl=%2Finicio');
});

test('When the session ends while the customer is using the app, then they go to /entrar and come back where they were after signing in', async ({ page, context }) => {
  const c = await fundedCustomer('50.00');
  await signInBrowser(page, c.data.cpf, c.data.password);
  await visit(page, '/extrato');
  await expect(page.getByRole('heading', { name: 'Extrato' })).toBeVisible();
  await context.clearCookies();
  await page.getByRole('link', { name: 'Pix' }).first().click();
  await expect(page).toHaveURL(/\/entrar\?returnUrl=%2Fpix/);
  await page.getByRole('link', { name: 'Entrar', exact: true }).click();
  await expect(page).toHaveURL(KEYCLOAK_SIGN_IN);
  await page.getByLabel('CPF').fill(c.data.cpf);
  await page.getByLabel('Senha', { exact: true }).fill(c.data.password);
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  await expect(page).toHaveURL(/\/pix$/);
  await expect(page.getByRole('heading', { name: 'Pix', exact: true })).toBeVisible();
  await c.api.dispose();
});
