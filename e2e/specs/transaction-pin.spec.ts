// The transaction PIN in the browser (issue #23): chosen in the account-opening wizard (weak PINs refused on the spot)
// and then confirming the first PIX; three wrong PINs lock PIX with the time it opens again, the e-mail arrives in the
// stack's SMTP catcher, and the right PIN works once the lock ends (the test stack locks for PIX_PIN_LOCK_SECONDS=6);
// the change from the profile goes through Keycloak's password page first, and only the new PIN sends a PIX after it.
// A customer from before the PIN (no PIN in account.created) creates it on /pix before their first PIX.
// Axe at both sizes on every new page or step; pictures of the PIN steps go to docs/screenshots/ for the README.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { DOCUMENT_PNG, SELFIE_PNG, TEST_PIN, deposit, formatCpf, fundedCustomer, legacyCustomer, newCustomer } from '../support/bank-api';
import { subjectsTo } from '../support/mailbox';
import { DESKTOP, KEYCLOAK_SIGN_IN, PHONE, checkPage, fillAddress, signInBrowser, visit } from '../support/page-checks';

const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const WRONG_PIN = '9051';

/** The README's pictures (desktop and phone) of what the page shows now. */
async function readmePictures(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
}

/** The signed-in browser's account, once the Account consumer has opened it. */
async function accountIdOf(page: Page): Promise<string> {
  let accountId = '';
  await expect
    .poll(
      async () => {
        const res = await page.request.get('/api/v1/accounts/me', { headers: { 'X-CSRF': '1' } });
        if (res.ok()) accountId = ((await res.json()) as { accountId: string }).accountId;
        return res.status();
      },
      { timeout: 90_000, intervals: [500, 1000, 2000] },
    )
    .toBe(200);
  return accountId;
}

/** /pix: key and amount, then the confirmation step that asks for the PIN. */
async function pixToConfirmation(page: Page, key: string, amount: string): Promise<void> {
  await visit(page, '/pix');
  await page.getByLabel('Chave Pix').fill(key);
  await page.getByLabel('Valor (R$)').fill(amount);
  await page.getByRole('button', { name: 'Continuar' }).click();
  await expect(page.getByTestId('pix-confirm')).toBeVisible();
}

async function confirmWith(page: Page, pin: string): Promise<void> {
  await page.getByLabel('Senha de transação').fill(pin);
  await page.getByRole('button', { name: 'Confirmar Pix' }).click();
}

async function expectCompleted(page: Page): Promise<void> {
  await expect(page.getByTestId('pix-status')).toHaveAttribute('data-status', 'COMPLETED', { timeout: 60_000 });
}

test('When a person opens an account choosing a transaction PIN, then weak PINs are refused on the spot and the chosen PIN sends their first PIX', async ({ page }) => {
  test.setTimeout(300_000);
  const me = newCustomer();
  const [y, m, d] = me.birthDate.split('-');
  const receiver = await fundedCustomer('1.00');

  await test.step('the wizard: personal data, then password and transaction PIN', async () => {
    await visit(page, '/abrir-conta');
    await page.getByLabel('Nome completo').fill(me.fullName);
    await page.getByLabel('CPF').fill(me.cpf);
    await expect(page.getByLabel('CPF')).toHaveValue(formatCpf(me.cpf));
    await page.getByLabel('Data de nascimento').fill(`${d}${m}${y}`);
    await page.getByLabel('E-mail').fill(me.email);
    await page.getByLabel('Celular').fill(me.phone.slice(3));
    await fillAddress(page);
    await page.getByRole('button', { name: 'Continuar' }).click();

    await expect(page.getByRole('heading', { name: 'Crie sua senha' })).toBeVisible();
    await page.getByLabel('Senha', { exact: true }).fill(me.password);
    await page.getByLabel('Repita a senha').fill(me.password);
    const pin = page.getByLabel('Senha de transação', { exact: true });
    const confirm = page.getByLabel('Confirme a senha de transação');
    await expect(pin).toHaveAttribute('type', 'password');
    await expect(pin).toHaveAttribute('inputmode', 'numeric');
    await expect(pin).toHaveAttribute('maxlength', '4');

    // A run, then the birthday's day and month: refused next to the field, and the wizard stays on this step.
    for (const weak of ['1234', `${d}${m}`]) {
      await pin.fill(weak);
      await confirm.fill(weak);
      await page.getByRole('button', { name: 'Continuar' }).click();
      await expect(pin).toHaveAttribute('aria-invalid', 'true');
      await expect(page.locator('#transactionPin-error')).not.toBeEmpty();
      await expect(page.getByRole('heading', { name: 'Crie sua senha' })).toBeVisible();
    }
    await pin.fill(TEST_PIN);
    await confirm.fill('4712');
    await page.getByRole('button', { name: 'Continuar' }).click();
    await expect(page.locator('#transactionPinConfirm-error')).toHaveText(/não são iguais/);
    await confirm.fill(TEST_PIN);
    await expect(page.locator('#transactionPin-error')).toHaveCount(0);
    await expect(page.locator('#transactionPinConfirm-error')).toHaveCount(0);
    await checkPage(page, 'abrir-conta-senha-de-transacao');
    await readmePictures(page, 'abrir-conta-senha-de-transacao');
    await page.getByRole('button', { name: 'Continuar' }).click();
  });

  await test.step('documents and consent; KYC approves the account', async () => {
    await expect(page.getByRole('heading', { name: 'Documento e selfie' })).toBeVisible();
    await page.getByLabel('Número do documento').fill('123456789');
    await page.getByLabel('Órgão emissor').fill('SSP/SP');
    await page.getByLabel('Foto do documento (frente)').setInputFiles({ name: 'documento.png', mimeType: 'image/png', buffer: DOCUMENT_PNG });
    await page.getByLabel('Selfie').setInputFiles({ name: 'selfie.png', mimeType: 'image/png', buffer: SELFIE_PNG });
    await page.getByRole('button', { name: 'Continuar' }).click();
    await page.getByLabel(/Termos de Uso/).check();
    await page.getByLabel(/Política de Privacidade/).check();
    await page.getByRole('button', { name: 'Abrir minha conta' }).click();
    await expect(page.getByTestId('kyc-status')).toHaveAttribute('data-status', 'ACTIVE', { timeout: 90_000 });
  });

  await test.step('signed in and funded, the PIN chosen in the wizard confirms the first PIX', async () => {
    await signInBrowser(page, me.cpf, me.password);
    await deposit(await accountIdOf(page), '100.00');
    await pixToConfirmation(page, receiver.key, '12,34');
    const pin = page.getByLabel('Senha de transação');
    await expect(pin).toHaveAttribute('type', 'password');
    await checkPage(page, 'pix-confirmar-senha-de-transacao');
    await readmePictures(page, 'pix-confirmar-senha-de-transacao');
    // Without the PIN nothing is sent: the field says what is missing.
    await page.getByRole('button', { name: 'Confirmar Pix' }).click();
    await expect(page.locator('#pix-pin-error')).toHaveText(/senha de transação/);
    await expect(page.getByTestId('pix-confirm')).toBeVisible();
    await confirmWith(page, TEST_PIN);
    await expectCompleted(page);
  });
  await receiver.api.dispose();
});

test('When a PIX is confirmed with a wrong PIN three times, then PIX locks until a time the page shows, the e-mail arrives, and the right PIN works once the lock ends', async ({ page }) => {
  test.setTimeout(240_000);
  const payer = await fundedCustomer('300.00');
  const receiver = await fundedCustomer('1.00');
  await signInBrowser(page, payer.data.cpf, payer.data.password);
  await pixToConfirmation(page, receiver.key, '25,00');
  const since = Date.now() - 1000;

  const pinError = page.locator('#pix-pin-error');
  await confirmWith(page, WRONG_PIN);
  await expect(pinError).toHaveText('Senha de transação incorreta. Restam 2 tentativas.');
  await expect(page.getByLabel('Senha de transação')).toHaveValue('');
  await confirmWith(page, WRONG_PIN);
  await expect(pinError).toHaveText('Senha de transação incorreta. Resta 1 tentativa.');
  await confirmWith(page, WRONG_PIN);
  const locked = page.getByTestId('pin-locked');
  await expect(locked).toHaveText(/PIX bloqueado por 3 tentativas com a senha de transação errada\. Tente de novo após \d{2}:\d{2}\./);
  await expect(locked).toHaveAttribute('role', 'alert');
  await expect(page.getByRole('button', { name: 'Confirmar Pix' })).toBeDisabled();
  await checkPage(page, 'pix-bloqueado-senha-de-transacao');

  // No money moved: the balance is what was deposited.
  expect(((await (await payer.api.get('/api/v1/accounts/me/balance')).json()) as { available: string }).available).toBe('300.00');
  await expect
    .poll(async () => (await subjectsTo(payer.data.email, since)).some((s) => /senha de transação/i.test(s)), { timeout: 30_000, intervals: [500, 1000] })
    .toBe(true);

  // The test stack's lock lasts seconds: the page opens the button again by itself, and the right PIN goes through.
  await expect(page.getByRole('button', { name: 'Confirmar Pix' })).toBeEnabled({ timeout: 30_000 });
  await expect(locked).toHaveCount(0);
  await confirmWith(page, TEST_PIN);
  await expectCompleted(page);
  await payer.api.dispose();
  await receiver.api.dispose();
});

test('When a customer changes the transaction PIN from the profile, then Keycloak asks for the password first, and afterwards the old PIN is refused and the new one sends a PIX', async ({ page }) => {
  test.setTimeout(240_000);
  const payer = await fundedCustomer('300.00');
  const receiver = await fundedCustomer('1.00');
  const newPin = '5836';
  await signInBrowser(page, payer.data.cpf, payer.data.password, '/perfil');

  await expect(page.getByTestId('pin-status')).toHaveText('Ativa');
  await page.getByRole('link', { name: 'Alterar senha de transação' }).click();
  await expect(page).toHaveURL(/\/perfil\/senha-de-transacao$/);
  await expect(page.getByRole('heading', { name: 'Confirme sua senha' })).toBeVisible();
  await checkPage(page, 'perfil-senha-de-transacao-confirmar');

  // Keycloak's own page asks for the password even though the customer is signed in (prompt=login).
  await page.getByRole('link', { name: 'Confirmar minha senha' }).click();
  await expect(page).toHaveURL(KEYCLOAK_SIGN_IN);
  if (await page.locator('#username').isVisible()) await page.locator('#username').fill(payer.data.cpf);
  await page.locator('#password').fill(payer.data.password);
  await page.locator('#password').press('Enter');
  await expect(page).toHaveURL(/\/perfil\/senha-de-transacao\?confirmada=1$/);
  await expect(page.getByRole('heading', { name: 'Escolha a nova senha de transação' })).toBeVisible();

  const pin = page.getByLabel('Nova senha de transação');
  const confirm = page.getByLabel('Confirme a senha de transação');
  await pin.fill('1111');
  await confirm.fill('1111');
  await page.getByRole('button', { name: 'Alterar senha de transação' }).click();
  await expect(page.locator('#new-pin-error')).not.toBeEmpty();
  await pin.fill(newPin);
  await confirm.fill(newPin);
  await checkPage(page, 'perfil-senha-de-transacao-nova');
  await readmePictures(page, 'perfil-senha-de-transacao');
  await page.getByRole('button', { name: 'Alterar senha de transação' }).click();
  await expect(page.getByTestId('pin-saved')).toHaveText(/Senha de transação alterada/);

  await pixToConfirmation(page, receiver.key, '10,00');
  await confirmWith(page, TEST_PIN);
  await expect(page.locator('#pix-pin-error')).toHaveText('Senha de transação incorreta. Restam 2 tentativas.');
  await confirmWith(page, newPin);
  await expectCompleted(page);
  await payer.api.dispose();
  await receiver.api.dispose();
});

test('When a customer lowers a PIX limit on the profile, then the change asks for the transaction PIN and a wrong one changes nothing', async ({ page }) => {
  const c = await fundedCustomer('1.00');
  await signInBrowser(page, c.data.cpf, c.data.password, '/perfil');
  await page.getByLabel('Por Pix (R$)').fill('321,00');
  await page.getByLabel('Senha de transação').fill(WRONG_PIN);
  await page.getByRole('button', { name: 'Salvar limites' }).click();
  await expect(page.locator('#lim-pin-error')).toHaveText('Senha de transação incorreta. Restam 2 tentativas.');
  expect(((await (await c.api.get('/api/v1/accounts/me/limits')).json()) as { perTransaction: string }).perTransaction).not.toBe('321.00');

  await page.getByLabel('Senha de transação').fill(TEST_PIN);
  await page.getByRole('button', { name: 'Salvar limites' }).click();
  await expect(page.getByText('Limites atualizados.').first()).toBeAttached();
  expect(((await (await c.api.get('/api/v1/accounts/me/limits')).json()) as { perTransaction: string }).perTransaction).toBe('321.00');
  await expect(page.getByLabel('Senha de transação')).toHaveValue('');
  await c.api.dispose();
});

test('When a customer from before the transaction PIN opens /pix, then they create the PIN first (a weak one refused on the field) and it confirms their PIX', async ({ page }) => {
  test.setTimeout(240_000);
  const legacy = await legacyCustomer('100.00');
  const receiver = await fundedCustomer('1.00');
  const pinStatus = async () => ((await (await legacy.api.get('/api/v1/pix/pin')).json()) as { status: string }).status;
  expect(await pinStatus()).toBe('NOT_SET');

  await signInBrowser(page, legacy.cpf, legacy.password, '/pix');
  const create = page.getByTestId('pin-create');
  await expect(create.getByRole('heading', { name: 'Crie sua senha de transação' })).toBeVisible();
  // The form to send a PIX waits until the PIN exists.
  await expect(page.getByLabel('Chave Pix')).toHaveCount(0);
  const pin = create.getByLabel('Senha de transação', { exact: true });
  const confirm = create.getByLabel('Confirme a senha de transação');
  await expect(pin).toHaveAttribute('type', 'password');
  await expect(pin).toHaveAttribute('inputmode', 'numeric');

  await pin.fill('1212');
  await confirm.fill('1212');
  await page.getByRole('button', { name: 'Criar senha de transação' }).click();
  await expect(pin).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#new-pin-error')).not.toBeEmpty();
  expect(await pinStatus()).toBe('NOT_SET');

  await pin.fill(TEST_PIN);
  await confirm.fill(TEST_PIN);
  await expect(page.locator('#new-pin-error')).toHaveCount(0);
  await checkPage(page, 'pix-criar-senha-de-transacao');
  await page.getByRole('button', { name: 'Criar senha de transação' }).click();
  await expect(page.getByTestId('pin-created')).toHaveText(/Senha de transação criada/);
  await expect(create).toHaveCount(0);
  expect(await pinStatus()).toBe('ACTIVE');

  // On the same page, without reloading, the PIN just created confirms a PIX.
  await page.getByLabel('Chave Pix').fill(receiver.key);
  await page.getByLabel('Valor (R$)').fill('12,34');
  await page.getByRole('button', { name: 'Continuar' }).click();
  await expect(page.getByTestId('pix-confirm')).toBeVisible();
  await confirmWith(page, TEST_PIN);
  await expectCompleted(page);
  expect(((await (await legacy.api.get('/api/v1/accounts/me/balance')).json()) as { available: string }).available).toBe('87.66');
  await legacy.api.dispose();
  await receiver.api.dispose();
});
