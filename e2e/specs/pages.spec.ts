// Every page: axe-core reports no serious or critical violation at desktop and phone sizes, and each page is
// photographed (artifacts/screenshots/<page>-<desktop|phone>.png).
import { expect, test } from '@playwright/test';
import { TEST_PIN, fundedCustomer, sendPix } from '../support/bank-api';
import { checkPage, consoleErrors, signInBrowser, visit } from '../support/page-checks';

test('When a visitor opens the public pages, then they are accessible', async ({ page }) => {
  const errors = consoleErrors(page, { ignoreNetwork: true });
  await visit(page, '/entrar');
  await expect(page.getByRole('heading', { name: 'Entrar na sua conta' })).toBeVisible();
  await checkPage(page, 'entrar');

  await visit(page, '/abrir-conta');
  await expect(page.getByRole('heading', { name: 'Seus dados' })).toBeVisible();
  await page.getByRole('button', { name: 'Continuar' }).click(); // show the field messages too
  await expect(page.locator('#cpf-error')).toBeVisible();
  await checkPage(page, 'abrir-conta');
  expect(errors).toEqual([]);
});

test('When a customer with money and history opens each bank page, then every page is accessible', async ({ page }) => {
  test.setTimeout(300_000);
  const c = await fundedCustomer('3500.00');
  const friend = await fundedCustomer('800.00');
  await sendPix(friend.api, c.key, '120.50', 'Almoço de sexta');
  await sendPix(c.api, friend.key, '89.90', 'Mercado do mês');
  await sendPix(c.api, friend.key, '45.00', 'Uber para o aeroporto');
  await c.api.post('/api/v1/pix/keys', { data: { type: 'EMAIL', value: c.data.email } });

  await signInBrowser(page, c.data.cpf, c.data.password);
  const errors = consoleErrors(page, { ignoreNetwork: true });

  await visit(page, '/inicio');
  await expect(page.getByTestId('balance')).toBeVisible();
  await checkPage(page, 'inicio');

  await visit(page, '/pix');
  await expect(page.getByRole('tab', { name: 'Enviar por chave' })).toHaveAttribute('aria-selected', 'true');
  await checkPage(page, 'pix-enviar');

  await page.getByLabel('Chave Pix').fill(friend.key);
  await page.getByLabel('Valor (R$)').fill('10,00');
  await page.getByRole('button', { name: 'Continuar' }).click();
  await expect(page.getByTestId('pix-confirm')).toBeVisible();
  await checkPage(page, 'pix-confirmar');
  await page.getByLabel('Senha de transação').fill(TEST_PIN);
  await page.getByRole('button', { name: 'Confirmar Pix' }).click();
  await expect(page.getByTestId('pix-status')).toHaveAttribute('data-status', 'COMPLETED', { timeout: 60_000 });
  await checkPage(page, 'pix-comprovante');

  await visit(page, '/pix?aba=receber');
  await page.getByLabel(/Valor \(R\$\)/).fill('25,00');
  await page.getByRole('button', { name: 'Gerar QR Code' }).click();
  await expect(page.getByAltText(/QR Code Pix/)).toBeVisible();
  await checkPage(page, 'pix-receber');

  await visit(page, '/pix?aba=copia-e-cola');
  await expect(page.getByLabel('Código Pix Copia e Cola')).toBeVisible();
  await checkPage(page, 'pix-copia-e-cola');

  await visit(page, '/pix/chaves');
  await expect(page.getByTestId('key-list')).toBeVisible();
  await checkPage(page, 'pix-chaves');

  await visit(page, '/extrato');
  await expect(page.getByTestId('statement-item').first()).toBeVisible();
  await checkPage(page, 'extrato');

  await visit(page, '/notificacoes');
  await expect(page.getByRole('heading', { name: 'Notificações' })).toBeVisible();
  await checkPage(page, 'notificacoes');

  await visit(page, '/perfil');
  await expect(page.getByTestId('personal-data')).toContainText(c.data.fullName);
  await checkPage(page, 'perfil');

  expect(errors).toEqual([]);
  await c.api.dispose();
  await friend.api.dispose();
});
