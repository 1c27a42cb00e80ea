// Small things customers tripped over: each checked the way they met it.
import { expect, test } from '@playwright/test';
import { DOCUMENT_PNG, fundedCustomer, newCustomer } from '../support/bank-api';
import { fillAddress, signInBrowser, visit } from '../support/page-checks';
import { solidPng } from '../support/png';

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('When a customer picks a wide document photo and a selfie while opening an account, then both previews fit inside the card', async ({ page }) => {
    const c = newCustomer();
    await visit(page, '/abrir-conta');
    await page.getByLabel('Nome completo').fill(c.fullName);
    await page.getByLabel('CPF').fill(c.cpf);
    await page.getByLabel('Data de nascimento').fill('15051990');
    await page.getByLabel('E-mail').fill(c.email);
    await page.getByLabel('Celular').fill(c.phone.slice(3));
    await fillAddress(page);
    await page.getByRole('button', { name: 'Continuar' }).click();
    await page.getByLabel('Senha', { exact: true }).fill(c.password);
    await page.getByLabel('Repita a senha').fill(c.password);
    await page.getByLabel('Senha de transação', { exact: true }).fill(c.pin);
    await page.getByLabel('Confirme a senha de transação').fill(c.pin);
    await page.getByRole('button', { name: 'Continuar' }).click();
    await expect(page.getByRole('heading', { name: 'Documento e selfie' })).toBeVisible();

    await page.getByLabel('Foto do documento (frente)').setInputFiles({ name: 'documento.png', mimeType: 'image/png', buffer: solidPng(1600, 200) });
    await page.getByLabel('Selfie').setInputFiles({ name: 'selfie.png', mimeType: 'image/png', buffer: DOCUMENT_PNG });
    for (const alt of ['Pré-visualização da foto do documento', 'Pré-visualização da selfie']) {
      const preview = page.getByAltText(alt);
      await expect(preview).toBeVisible();
      const img = (await preview.boundingBox())!;
      const card = (await preview.locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " card ")][1]').boundingBox())!;
      expect(img.x, alt).toBeGreaterThanOrEqual(card.x);
      expect(img.x + img.width, alt).toBeLessThanOrEqual(card.x + card.width);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // The last step's "Termos de Uso" and "Política de Privacidade" are pages, opened beside the form (nothing typed is lost).
    await page.getByLabel('Número do documento').fill('123456789');
    await page.getByLabel('Órgão emissor').fill('SSP/SP');
    await page.getByRole('button', { name: 'Continuar' }).click();
    await expect(page.getByRole('heading', { name: 'Confirme e envie' })).toBeVisible();
    for (const [name, heading] of [
      ['Termos de Uso', 'Termos de Uso da conta KRT Bank'],
      ['Política de Privacidade', 'Política de Privacidade'],
    ] as const) {
      const [doc] = await Promise.all([page.waitForEvent('popup'), page.getByRole('link', { name }).click()]);
      await expect(doc.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await doc.close();
    }
    await expect(page.getByRole('heading', { name: 'Confirme e envie' })).toBeVisible();
    await expect(page.getByLabel(/Termos de Uso/)).not.toBeChecked();
  });
});

test('When a signed-in customer opens an address that does not exist, then the 404 page keeps the menu', async ({ page }) => {
  const c = await fundedCustomer('1.00');
  await signInBrowser(page, c.data.cpf, c.data.password);
  const res = await page.goto('/nao-existe');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Página não encontrada' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Principal', exact: true })).toBeVisible();
  await c.api.dispose();
});

test('When a customer registers a random key, then the notice says "Chave aleatória cadastrada" once', async ({ page }) => {
  const c = await fundedCustomer('1.00'); // already has one EVP key
  await signInBrowser(page, c.data.cpf, c.data.password);
  await visit(page, '/pix/chaves');
  await page.getByRole('radio', { name: 'Chave aleatória' }).check();
  await expect(page.getByRole('button', { name: /^Excluir chave aleatória / })).toHaveCount(1); // not "chave Chave aleatória"
  await page.getByRole('button', { name: 'Cadastrar chave' }).click();
  const notice = page.locator('.alert.ok');
  await expect(notice).toContainText(/^Chave aleatória cadastrada: /);
  await expect(notice).not.toContainText('Chave Chave');
  await c.api.dispose();
});

test('When a QR code was generated and the next amount is invalid, then the old code leaves the screen with the error', async ({ page }) => {
  const c = await fundedCustomer('1.00');
  await signInBrowser(page, c.data.cpf, c.data.password);
  await visit(page, '/pix?aba=receber');
  const amount = page.getByLabel(/Valor \(R\$\)/);
  await amount.fill('15,00');
  await page.getByRole('button', { name: 'Gerar QR Code' }).click();
  await expect(page.getByTestId('qr-result')).toBeVisible();
  await amount.fill('0,00');
  await page.getByRole('button', { name: 'Gerar QR Code' }).click();
  await expect(page.locator('#rx-amount-error')).toBeVisible();
  await expect(page.getByTestId('qr-result')).toHaveCount(0);
  await c.api.dispose();
});

test('When the home page is refused with 429, then it says when to try again, shows no endless skeletons, and "Tentar de novo" works once the wait is over', async ({ page }) => {
  const c = await fundedCustomer('321.00');
  await signInBrowser(page, c.data.cpf, c.data.password);
  await visit(page, '/extrato');
  let refused = 0;
  await page.route('**/api/v1/dashboard', async (route) => {
    if (refused++ > 0) return route.continue();
    await route.fulfill({
      status: 429,
      headers: { 'content-type': 'application/problem+json', 'retry-after': '3' },
      body: JSON.stringify({ status: 429, code: 'MUITAS_TENTATIVAS', message: 'Muitas tentativas em pouco tempo. Aguarde um instante e tente novamente.' }),
    });
  });
  await page.getByRole('navigation', { name: 'Principal', exact: true }).getByRole('link', { name: 'Início' }).click();
  const error = page.getByTestId('dashboard-error');
  await expect(error).toContainText('Muitas tentativas em pouco tempo.');
  await expect(error).toContainText(/Tente de novo em \d s\./);
  const retry = error.getByRole('button', { name: 'Tentar de novo' });
  await expect(retry).toBeDisabled();
  await expect(page.locator('.skeleton')).toHaveCount(0);
  await expect(retry).toBeEnabled({ timeout: 6000 });
  await retry.click();
  await expect(page.getByTestId('balance')).toContainText('321,00');
  await expect(error).toHaveCount(0);
  await c.api.dispose();
});

test('When a person starts opening an account with a CPF that already has one, then the first step says so and goes no further', async ({ page }) => {
  const existing = await fundedCustomer('1.00');
  const c = newCustomer();
  await visit(page, '/abrir-conta');
  await page.getByLabel('Nome completo').fill(c.fullName);
  await page.getByLabel('CPF').fill(existing.data.cpf);
  await page.getByLabel('Data de nascimento').fill('15051990');
  await page.getByLabel('E-mail').fill(c.email);
  await page.getByLabel('Celular').fill(c.phone.slice(3));
  await fillAddress(page);
  await page.getByRole('button', { name: 'Continuar' }).click();
  await expect(page.locator('#cpf-error')).toHaveText(/Já existe uma conta com este CPF/);
  await expect(page.getByRole('heading', { name: 'Seus dados' })).toBeVisible();
  await expect(page.locator('#cpf-error')).not.toContainText(existing.data.fullName.split(' ')[0]!);

  // Another CPF goes on to the password step.
  await page.getByLabel('CPF').fill(c.cpf);
  await expect(page.locator('#cpf-error')).toHaveCount(0);
  await page.getByRole('button', { name: 'Continuar' }).click();
  await expect(page.getByRole('heading', { name: 'Crie sua senha' })).toBeVisible();
  await existing.api.dispose();
});
