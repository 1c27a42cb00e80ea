// "Ocultar saldo": every amount that tells the balance is hidden (home, chart axis, PIX page) and the choice is kept on this device.
import { expect, test, type Page } from '@playwright/test';
import { fundedCustomer, sendPix } from '../support/bank-api';
import { signInBrowser, visit } from '../support/page-checks';

const screenText = async (page: Page) => (await page.locator('body').innerText()).replace(/\s+/g, ' ');
const axisAmounts = (page: Page) => page.getByTestId('balance-chart').locator('svg text').filter({ hasText: 'R$' });

test('When a customer hides the balance, then home, the chart axis and the PIX page stop showing it, also after a reload, until they show it again', async ({ page }) => {
  const me = await fundedCustomer('1000.00');
  const other = await fundedCustomer('1.00');
  await sendPix(me.api, other.key, '10.00'); // balance 990,00: an amount no single transfer shows
  await signInBrowser(page, me.data.cpf, me.data.password);
  await expect.poll(async () => (await (await me.api.get('/api/v1/accounts/me/balance')).json()).available, { timeout: 30_000 }).toBe('990.00');

  await visit(page, '/inicio');
  await expect(page.getByTestId('balance')).toContainText('990,00');
  await expect(axisAmounts(page).first()).toBeVisible({ timeout: 30_000 }); // the chart has an amounts axis while shown

  await page.getByRole('button', { name: 'Ocultar saldo' }).click();
  await expect(page.getByTestId('balance')).toContainText('••••••');
  await expect(axisAmounts(page)).toHaveCount(0);
  expect(await screenText(page)).not.toContain('990');

  // Remembered on this device: the server renders the page already hidden, and so does the app after it wakes.
  await page.reload();
  await page.locator('html[data-app-ready="true"]').waitFor({ state: 'attached' });
  await expect(page.getByTestId('balance')).toContainText('••••••');
  await expect(page.getByRole('button', { name: 'Mostrar saldo' })).toBeVisible();
  expect(await screenText(page)).not.toContain('990');

  await visit(page, '/pix');
  await expect(page.locator('#pix-amount-hint')).toContainText('••••••');
  await page.getByLabel('Chave Pix').fill(other.key);
  await page.getByLabel('Valor (R$)').fill('5.000,00');
  await page.getByRole('button', { name: 'Continuar' }).click();
  await expect(page.locator('#pix-amount-error')).toHaveText('Saldo insuficiente para este valor.');
  expect(await screenText(page)).not.toContain('990');

  await visit(page, '/inicio');
  await page.getByRole('button', { name: 'Mostrar saldo' }).click();
  await expect(page.getByTestId('balance')).toContainText('990,00');
  await page.reload();
  await expect(page.getByTestId('balance')).toContainText('990,00');
  await me.api.dispose();
  await other.api.dispose();
});
