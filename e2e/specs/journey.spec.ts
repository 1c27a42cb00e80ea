// The customer's whole story through the browser, against the real stack behind the BFF.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { DOCUMENT_PNG, SELFIE_PNG, TEST_PIN, formatCpf, fundedCustomer, newCustomer, sendPix } from '../support/bank-api';
import { fillAddress, KEYCLOAK_SIGN_IN, signInBrowser, visit } from '../support/page-checks';

const brl = (text: string) => new RegExp(`R\\$\\s?${text.replace('.', '\\.')}`);

async function openAccountThroughTheUi(page: Page, c: ReturnType<typeof newCustomer>) {
  await visit(page, '/abrir-conta');
  await page.getByLabel('Nome completo').fill(c.fullName);
  await page.getByLabel('CPF').fill(c.cpf);
  await expect(page.getByLabel('CPF')).toHaveValue(formatCpf(c.cpf));
  await expect(page.getByText('CPF válido')).toBeVisible();
  const [y, m, d] = c.birthDate.split('-');
  await page.getByLabel('Data de nascimento').fill(`${d}${m}${y}`);
  await page.getByLabel('E-mail').fill(c.email);
  await page.getByLabel('Celular').fill(c.phone.slice(3));
  await fillAddress(page);
  await page.getByRole('button', { name: 'Continuar' }).click();

  await expect(page.getByRole('heading', { name: 'Crie sua senha' })).toBeVisible();
  await page.getByLabel('Senha', { exact: true }).fill(c.password);
  await expect(page.locator('#password-strength')).toContainText(/Boa|Forte/);
  await page.getByLabel('Repita a senha').fill(c.password);
  await page.getByLabel('Senha de transação', { exact: true }).fill(c.pin);
  await page.getByLabel('Confirme a senha de transação').fill(c.pin);
  await page.getByRole('button', { name: 'Continuar' }).click();

  await expect(page.getByRole('heading', { name: 'Documento e selfie' })).toBeVisible();
  await page.getByLabel('Número do documento').fill('123456789');
  await page.getByLabel('Órgão emissor').fill('SSP/SP');
  await page.getByLabel('Foto do documento (frente)').setInputFiles({ name: 'documento.png', mimeType: 'image/png', buffer: DOCUMENT_PNG });
  await page.getByLabel('Selfie').setInputFiles({ name: 'selfie.png', mimeType: 'image/png', buffer: SELFIE_PNG });
  await expect(page.getByAltText('Pré-visualização da selfie')).toBeVisible();
  await page.getByRole('button', { name: 'Continuar' }).click();

  await expect(page.getByRole('heading', { name: 'Confirme e envie' })).toBeVisible();
  await page.getByLabel(/Termos de Uso/).check();
  await page.getByLabel(/Política de Privacidade/).check();
  await page.getByRole('button', { name: 'Abrir minha conta' }).click();

  // Automatic KYC: approved, then active once the Keycloak user exists.
  await expect(page.getByTestId('kyc-status')).toHaveAttribute('data-status', 'ACTIVE', { timeout: 90_000 });
  await expect(page.getByRole('heading', { name: 'Conta aprovada!' })).toBeVisible();
}

async function balanceIs(page: Page, amount: string) {
  await expect
    .poll(
      async () => {
        await visit(page, '/inicio');
        return (await page.getByTestId('balance-card').innerText()).replace(/\s+/g, ' ');
      },
      { timeout: 60_000, intervals: [1000, 2000, 3000] },
    )
    .toMatch(brl(amount));
}

async function confirmAndWaitCompleted(page: Page) {
  await expect(page.getByTestId('pix-confirm')).toBeVisible();
  await page.getByLabel('Senha de transação').fill(TEST_PIN);
  await page.getByRole('button', { name: 'Confirmar Pix' }).click();
  const status = page.getByTestId('pix-status');
  await expect(status).toBeVisible();
  await expect(status).toHaveAttribute('data-status', 'COMPLETED', { timeout: 60_000 });
  await expect(page.getByTestId('pix-status-label')).toHaveText(/Concluído/);
  await expect(page.getByTestId('end-to-end-id')).toHaveText(/^E\d{8}\d{12}[A-Za-z0-9]{11}$/);
}

test('When a person opens an account, receives a PIX, sends and pays PIX, then the statement and its CSV show it all and they sign out', async ({ page, browser }) => {
  test.setTimeout(420_000);
  const me = newCustomer();

  await test.step('open an account through /abrir-conta; KYC approves it', async () => {
    await openAccountThroughTheUi(page, me);
  });

  await test.step('sign in with CPF and password on the KRT-branded Keycloak page', async () => {
    await page.getByRole('link', { name: 'Entrar na minha conta' }).click();
    await expect(page).toHaveURL(/\/entrar/);
    await page.getByRole('link', { name: 'Entrar', exact: true }).click();
    await expect(page).toHaveURL(KEYCLOAK_SIGN_IN);
    await page.getByLabel('CPF').fill(me.cpf);
    await page.getByLabel('Senha', { exact: true }).fill(me.password);
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await expect(page).toHaveURL(/\/inicio$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Olá');
    await balanceIs(page, '0,00');
  });

  await test.step('register an e-mail PIX key', async () => {
    await visit(page, '/pix/chaves');
    await page.getByLabel('E-mail', { exact: true }).check();
    await page.getByRole('textbox', { name: 'E-mail' }).fill(me.email);
    await page.getByRole('button', { name: 'Cadastrar chave' }).click();
    await expect(page.getByTestId('key-list')).toContainText(me.email);
    await expect(page.getByTestId('key-usage')).toHaveText('1 de 5');
  });

  const demo = await fundedCustomer('2000.00');

  await test.step('the demo customer sends this customer R$ 250,00; the dashboard shows the new balance', async () => {
    await sendPix(demo.api, me.email, '250.00', 'Presente de aniversário');
    await balanceIs(page, '250,00');
    await expect(page.getByTestId('recent-card')).toContainText('250,00');
  });

  await test.step('send R$ 40,00 back by key and watch the status become completed', async () => {
    await visit(page, '/pix');
    await page.getByLabel('Chave Pix').fill(demo.key);
    await page.getByLabel('Valor (R$)').fill('40,00');
    await page.getByLabel(/Mensagem/).fill('Devolvendo parte');
    await page.getByRole('button', { name: 'Continuar' }).click();
    await expect(page.getByTestId('recipient-name')).toHaveText(/\*/); // the recipient's name is masked
    await confirmAndWaitCompleted(page);
  });

  await test.step('pay a "Pix Copia e Cola" code generated by another customer', async () => {
    const other = await browser.newContext({ baseURL: test.info().project.use.baseURL, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
    const otherPage = await other.newPage();
    await signInBrowser(otherPage, demo.data.cpf, demo.data.password);
    await visit(otherPage, '/pix?aba=receber');
    await otherPage.getByLabel(/Valor \(R\$\)/).fill('15,00');
    await otherPage.getByRole('button', { name: 'Gerar QR Code' }).click();
    await expect(otherPage.getByAltText(/QR Code Pix/)).toBeVisible();
    const code = await otherPage.getByTestId('brcode-output').inputValue();
    expect(code).toMatch(/^000201.*6304[0-9A-F]{4}$/);
    await other.close();

    await visit(page, '/pix?aba=copia-e-cola');
    await page.getByLabel('Código Pix Copia e Cola').fill(code);
    await page.getByRole('button', { name: 'Ler código' }).click();
    await expect(page.getByTestId('brcode-content')).toContainText(brl('15,00'));
    await page.getByRole('button', { name: 'Pagar este código' }).click();
    await confirmAndWaitCompleted(page);
  });

  await test.step('the statement lists all of it', async () => {
    await visit(page, '/extrato');
    const list = page.getByTestId('statement-item');
    await expect(list.filter({ hasText: 'Pix recebido' }).filter({ hasText: '250,00' })).toHaveCount(1);
    await expect(list.filter({ hasText: 'Pix enviado' }).filter({ hasText: '40,00' })).toHaveCount(1);
    await expect(list.filter({ hasText: 'Pix enviado' }).filter({ hasText: '15,00' })).toHaveCount(1);
  });

  await test.step('the CSV download contains those rows', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Baixar CSV/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^extrato-krt-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const rows = csv.split(/\r?\n/);
    expect(rows.filter((r) => r.includes('250,00'))).toHaveLength(1);
    expect(rows.filter((r) => r.includes('40,00'))).toHaveLength(1);
    expect(rows.filter((r) => r.includes('15,00'))).toHaveLength(1);
  });

  await test.step('sign out; the bank pages ask to sign in again', async () => {
    await visit(page, '/perfil');
    await page.getByTestId('sign-out').click();
    await expect(page).toHaveURL(/\/entrar/);
    await visit(page, '/inicio');
    await expect(page).toHaveURL(/\/entrar\?returnUrl=%2Finicio/);
  });

  await demo.api.dispose();
});
