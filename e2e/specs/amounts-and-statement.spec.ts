// Amounts typed the way Brazilians type them, and a statement that never lists a transfer twice.
import { expect, test, type Request } from '@playwright/test';
import { fundedCustomer, sendPix } from '../support/bank-api';
import { signInBrowser, visit } from '../support/page-checks';

test('When a customer types an amount as "10.50", "1.050,00", "10,50" or "10", then the field and the confirmation show the amount they meant', async ({ page }) => {
  const c = await fundedCustomer('2000.00');
  const other = await fundedCustomer('1.00');
  await signInBrowser(page, c.data.cpf, c.data.password);
  await visit(page, '/pix');
  const amount = page.getByLabel('Valor (R$)');
  for (const [typed, shown] of [
    ['10.50', '10,50'],
    ['1.050,00', '1.050,00'],
    ['1050', '1.050,00'],
    ['10,50', '10,50'],
    ['10', '10,00'],
  ] as const) {
    await amount.fill('');
    await amount.pressSequentially(typed); // key by key, as a person types: the mask runs on every key
    await amount.blur();
    await expect(amount, `typed ${typed}`).toHaveValue(shown);
  }

  await amount.fill('');
  await amount.pressSequentially('10.50');
  await page.getByLabel('Chave Pix').fill(other.key);
  await page.getByRole('button', { name: 'Continuar' }).click();
  const confirm = page.getByTestId('pix-confirm');
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText(/R\$\s?10,50/);
  await expect(confirm).not.toContainText('1.050');
  await c.api.dispose();
  await other.api.dispose();
});

test('When the statement filter changes and "Filtrar" is pressed while the answer is slow, then one request is made and no transfer is listed twice', async ({ page }) => {
  const payer = await fundedCustomer('100.00');
  const me = await fundedCustomer('1.00');
  await sendPix(payer.api, me.key, '12.34', 'Pix só uma vez');
  await signInBrowser(page, me.data.cpf, me.data.password);

  const statementRequests: Request[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/accounts/me/statement') statementRequests.push(r);
  });
  await visit(page, '/extrato');
  const received = page.getByTestId('statement-item').filter({ hasText: '12,34' });
  await expect(received).toHaveCount(1, { timeout: 30_000 });

  // Every statement answer from now on takes 400 ms more.
  await page.route('**/api/v1/accounts/me/statement**', async (route) => {
    await new Promise((r) => setTimeout(r, 400));
    await route.continue();
  });
  const before = statementRequests.length;
  await page.getByLabel('Tipo').selectOption({ label: 'Só entradas' });
  await page.getByRole('button', { name: 'Filtrar' }).click();
  await expect(received).toHaveCount(1);
  await page.waitForTimeout(1500); // long after any second answer would have landed
  await expect(received).toHaveCount(1);
  expect(statementRequests.length - before).toBe(1);

  // A filter change while an answer is still on its way: the older answer is dropped, the list is the newer one's.
  await page.getByLabel('Tipo').selectOption({ label: 'Só saídas' });
  await page.getByLabel('Tipo').selectOption({ label: 'Só entradas' });
  await page.waitForTimeout(1500);
  await expect(received).toHaveCount(1);
  await payer.api.dispose();
  await me.api.dispose();
});
