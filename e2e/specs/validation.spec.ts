// Bad input is caught next to the field, in Portuguese, and no request that can only fail is sent.
import { expect, test, type Page, type Request } from '@playwright/test';
import { randomInt } from 'node:crypto';
import { TEST_PIN, formatCpf, fundedCustomer, newCustomer } from '../support/bank-api';
import { fillAddress, KEYCLOAK_SIGN_IN, signInBrowser, visit } from '../support/page-checks';

function requestsTo(page: Page, pattern: RegExp): Request[] {
  const seen: Request[] = [];
  page.on('request', (r) => {
    if (pattern.test(new URL(r.url()).pathname) && r.method() !== 'GET') seen.push(r);
  });
  return seen;
}

function lookupsOf(page: Page, pattern: RegExp): Request[] {
  const seen: Request[] = [];
  page.on('request', (r) => {
    if (pattern.test(new URL(r.url()).pathname)) seen.push(r);
  });
  return seen;
}

/** /entrar → "Entrar" → the KRT-branded Keycloak page of the BFF's code flow. */
async function openKeycloakSignIn(page: Page) {
  await visit(page, '/entrar');
  await page.getByRole('link', { name: 'Entrar', exact: true }).click();
  await expect(page).toHaveURL(KEYCLOAK_SIGN_IN);
}

test('When the sign-in CPF has wrong check digits, then the sign-in page says so beside the field and sends nothing', async ({ page }) => {
  await openKeycloakSignIn(page);
  const signIns = requestsTo(page, /\/login-actions\/authenticate$/);
  await page.getByLabel('CPF').fill('123.456.789-00');
  await page.getByLabel('Senha', { exact: true }).fill('Qualquer@123');
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'CPF inválido' })).toBeVisible();
  await expect(page.getByLabel('CPF')).toHaveAttribute('aria-invalid', 'true');
  expect(signIns).toHaveLength(0);
});

test('When the sign-in password is wrong, then a plain Portuguese message says so, the CPF stays, the emptied password is not flagged beside it, and the right password then signs in', async ({ page }) => {
  const demo = await fundedCustomer('10.00');
  await openKeycloakSignIn(page);
  await page.getByLabel('CPF').fill(demo.data.cpf);
  await page.getByLabel('Senha', { exact: true }).fill('Errada#123x');
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  await expect(page.getByText('CPF ou senha inválidos.')).toBeVisible();
  await expect(page).toHaveURL(KEYCLOAK_SIGN_IN);
  // The CPF is kept (masked) and the password emptied for a new try, with the one message: no "fill in" error beside it.
  await expect(page.getByLabel('CPF')).toHaveValue(formatCpf(demo.data.cpf));
  await expect(page.getByLabel('Senha', { exact: true })).toHaveValue('');
  await expect(page.getByText(/Informe (a|sua) senha/i)).toHaveCount(0);
  await page.getByLabel('Senha', { exact: true }).fill(demo.data.password);
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  await expect(page).toHaveURL(/localhost:5000\/inicio$/);
  await expect(page.getByTestId('balance')).toHaveText(/10,00/);
  await demo.api.dispose();
});

test('When opening an account with an invalid CPF, an under-age birth date or a weak password, then each field explains it and nothing is sent', async ({ page }) => {
  const registrations = requestsTo(page, /^\/api\/v1\/registrations$/);
  await visit(page, '/abrir-conta');
  await page.getByLabel('CPF').fill('111.444.777-00');
  await page.getByLabel('Data de nascimento').fill(`0101${new Date().getFullYear() - 10}`);
  await page.getByLabel('E-mail').fill('sem-arroba');
  await page.getByLabel('Celular').fill('1234');
  await page.getByRole('button', { name: 'Continuar' }).click();
  await expect(page.locator('#cpf-error')).toHaveText(/CPF inválido/);
  await expect(page.locator('#birthDate-error')).toHaveText(/18 anos/);
  await expect(page.locator('#email-error')).toHaveText(/E-mail inválido/);
  await expect(page.locator('#phone-error')).toHaveText(/Celular inválido/);
  await expect(page.locator('#fullName-error')).toHaveText(/nome completo/);
  await expect(page.getByRole('heading', { name: 'Seus dados' })).toBeVisible(); // still on step 1

  // A valid first step, then a weak password.
  await page.getByLabel('Nome completo').fill('Teste Senha Fraca');
  await page.getByLabel('CPF').fill(newCustomer().cpf); // a CPF with no account yet (the first step checks)
  await page.getByLabel('Data de nascimento').fill('15051990');
  await page.getByLabel('E-mail').fill(`fraca.${randomInt(1e9)}@krt.test`);
  await page.getByLabel('Celular').fill('11988887777');
  await fillAddress(page, 'Rua A', '1', 'Centro');
  await page.getByRole('button', { name: 'Continuar' }).click();
  await expect(page.getByRole('heading', { name: 'Crie sua senha' })).toBeVisible();
  await page.getByLabel('Senha', { exact: true }).fill('senha');
  await expect(page.locator('#password-strength')).toContainText('Muito fraca');
  await page.getByLabel('Repita a senha').fill('senha');
  await page.getByRole('button', { name: 'Continuar' }).click();
  const error = page.locator('#password-error');
  await expect(error).toContainText('pelo menos 8 caracteres');
  await expect(error).toContainText('maiúscula');
  await expect(error).toContainText('número');
  await expect(page.getByRole('heading', { name: 'Crie sua senha' })).toBeVisible();
  expect(registrations).toHaveLength(0);
});

test('When a PIX amount is above the balance or the limit, or the key is malformed or unknown, then the form says so next to the field and sends no transfer', async ({ page }) => {
  const c = await fundedCustomer('100.00');
  // A per-transaction limit below the balance, to see the limit message.
  const put = await c.api.put('/api/v1/accounts/me/limits', { data: { perTransaction: '50.00', daily: '20000.00', night: '1000.00', pin: TEST_PIN } });
  expect(put.status(), await put.text()).toBe(200);
  const other = await fundedCustomer('1.00');

  await signInBrowser(page, c.data.cpf, c.data.password);
  const transfers = requestsTo(page, /^\/api\/v1\/pix\/transfers$/);
  const resolves = lookupsOf(page, /^\/api\/v1\/pix\/keys\/resolve$/);
  await visit(page, '/pix');
  await expect(page.locator('#pix-amount-hint')).toContainText('100,00');

  await page.getByLabel('Chave Pix').fill(other.key);
  await page.getByLabel('Valor (R$)').fill('500,00');
  await page.getByRole('button', { name: 'Continuar' }).click();
  await expect(page.locator('#pix-amount-error')).toContainText('Saldo insuficiente');

  await page.getByLabel('Valor (R$)').fill('80,00');
  await page.getByRole('button', { name: 'Continuar' }).click();
  await expect(page.locator('#pix-amount-error')).toContainText('limite por Pix de R$');
  expect(resolves).toHaveLength(0);

  await page.getByLabel('Chave Pix').fill('isto não é uma chave');
  await page.getByLabel('Valor (R$)').fill('10,00');
  await page.getByRole('button', { name: 'Continuar' }).click();
  await expect(page.locator('#pix-key-error')).toContainText('Não reconhecemos o tipo dessa chave Pix');
  expect(resolves).toHaveLength(0);

  await page.getByLabel('Chave Pix').fill(`ninguem.${randomInt(1e9)}@krt.test`);
  await page.getByRole('button', { name: 'Continuar' }).click();
  await expect(page.locator('#pix-key-error')).toContainText('Chave Pix não encontrada');
  await expect(page.getByLabel('Chave Pix')).toHaveAttribute('aria-invalid', 'true');
  expect(transfers).toHaveLength(0);
  await c.api.dispose();
  await other.api.dispose();
});
