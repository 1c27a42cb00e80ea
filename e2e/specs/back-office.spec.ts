// The back office (issue #19), in the browser against the real stack: operators sign in through the same code flow
// as customers and work at /operacao — KYC review, customers (block / unblock), sandbox deposits under dual control,
// dead letters, audit — and axe finds no serious issue on any of its pages. A customer opening /operacao gets 403 and
// the browser sends no back-office request.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { BASE_URL, formatCpf, fundedCustomer, signIn, TEST_PIN } from '../support/bank-api';
import { closeDeadLetters, effectApplied, effectCount, fixPoisonCause, makePoisonMessage } from '../support/dead-letters';
import { adminCalls, applicationForReview, OPERADOR, signInOperator, SUPERVISORA } from '../support/operator';
import { checkPage, consoleErrors, signInBrowser, visit } from '../support/page-checks';

test.describe.configure({ mode: 'serial' });
test.afterAll(async () => closeDeadLetters());

async function newBrowserPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE_URL, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo', viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

test('When the operator reviews the KYC queue, then an application on the watchlist is approved and another rejected with a reason', async ({ page }) => {
  const errors = consoleErrors(page);
  const toApprove = await applicationForReview('Aurélio Benedito Tavares');
  const toReject = await applicationForReview('Joaquim Ernesto Valadares');
  await signInOperator(page, OPERADOR, '/operacao/kyc');

  // The queue: pending review by default, with status filter and paging.
  await expect(page.getByRole('heading', { level: 1, name: 'Análise de cadastros' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Operação' })).toBeVisible();
  await expect(page.getByLabel('Situação')).toHaveValue('PENDING_REVIEW');
  await expect(page.getByTestId('kyc-row').first()).toBeVisible();
  await checkPage(page, 'operacao-kyc-queue');

  // One application: data, checks and reasons, both images (fetched through the BFF), then approve.
  await visit(page, `/operacao/kyc/${toApprove.applicationId}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Cadastro de Aurélio Benedito Tavares' })).toBeVisible();
  await expect(page.getByTestId('application-status')).toHaveText('Aguardando análise');
  await expect(page.getByText(formatCpf(toApprove.data.cpf), { exact: true })).toBeVisible();
  await expect(page.getByTestId('review-reasons')).toContainText('pessoas politicamente expostas');
  await expect(page.getByRole('cell', { name: 'Nome encontrado' })).toBeVisible();
  for (const kind of ['document', 'selfie']) {
    const img = page.getByTestId(`kyc-image-${kind}`);
    await expect(img).toBeVisible();
    expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0), `${kind} image decoded`).toBe(true);
  }
  await checkPage(page, 'operacao-kyc-application');
  await page.getByLabel('Observação').fill('Homônimo descartado: documento confere');
  await page.getByRole('button', { name: 'Aprovar cadastro' }).click();
  await expect(page.getByTestId('decision-done')).toContainText('Cadastro aprovado');
  await expect(page.getByTestId('application-status')).toHaveText(/Ativa|Aprovada/);

  // The other: rejecting needs a reason.
  await visit(page, `/operacao/kyc/${toReject.applicationId}`);
  await page.getByRole('button', { name: 'Reprovar cadastro' }).click();
  await expect(page.getByText('Informe o motivo da reprovação')).toBeVisible();
  await expect(page.getByLabel('Motivo da reprovação')).toBeFocused();
  await page.getByLabel('Motivo da reprovação').fill('Documento ilegível e homônimo não descartado');
  await page.getByRole('button', { name: 'Reprovar cadastro' }).click();
  await expect(page.getByTestId('decision-done')).toContainText('Cadastro reprovado');
  await expect(page.getByTestId('application-status')).toHaveText('Reprovada');

  // The queue's filter: the rejected ones, then back to those waiting.
  await page.getByRole('link', { name: '← Voltar à fila' }).click();
  await expect(page.getByTestId('kyc-row').first()).toContainText('Aguardando análise');
  await page.getByLabel('Situação').selectOption('REJECTED');
  await expect(page.getByTestId('kyc-row').first()).toContainText('Reprovada');
  await expect(page.getByTestId('kyc-row').filter({ hasText: 'Aguardando análise' })).toHaveCount(0);
  await page.getByLabel('Situação').selectOption('PENDING_REVIEW');
  await expect(page.getByTestId('kyc-row').first()).toContainText('Aguardando análise');
  expect(errors).toEqual([]);
});

test('When the operator blocks a customer found by CPF, then their PIX is refused and their browser session ends; unblocking opens it again', async ({ page, browser }) => {
  const payee = await fundedCustomer('10.00');
  const customer = await fundedCustomer('200.00');
  // The customer is signed in, in their own browser.
  const customerPage = await newBrowserPage(browser);
  await signInBrowser(customerPage, customer.data.cpf, customer.data.password, '/inicio');
  await expect(customerPage.getByRole('link', { name: 'Operação' })).toHaveCount(0);

  await signInOperator(page, OPERADOR, '/operacao/clientes');
  await page.getByLabel('CPF ou nome').fill(formatCpf(customer.data.cpf));
  await page.getByRole('button', { name: 'Buscar' }).click();
  await expect(page.getByTestId('customer-row')).toHaveCount(1);
  const account = page.getByTestId('account-view');
  await expect(account.getByTestId('account-status')).toHaveText('Ativa');
  await expect(account.getByTestId('account-available')).toHaveText(/R\$\s?200,00/);
  await checkPage(page, 'operacao-clientes');

  await account.getByLabel('Motivo do bloqueio').fill('Suspeita de fraude relatada pelo cliente');
  await account.getByRole('button', { name: 'Bloquear conta' }).click();
  await expect(account.getByTestId('account-notice')).toContainText('Conta bloqueada');
  await expect(account.getByTestId('account-status')).toHaveText('Bloqueada');

  // Their browser session ended at once: the next call is 401, the next page load goes to /entrar.
  expect((await customerPage.request.get('/api/v1/accounts/me', { headers: { 'X-CSRF': '1' } })).status()).toBe(401);
  await customerPage.goto('/inicio');
  await expect(customerPage).toHaveURL(/\/entrar/);
  // Signed in again, their PIX is refused.
  const api = await signIn(customer.data);
  const pix = await api.post('/api/v1/pix/transfers', { headers: { 'Idempotency-Key': randomUUID() }, data: { key: payee.key, amount: '5.00', pin: TEST_PIN } });
  expect(pix.status(), await pix.text()).toBe(422);
  expect(((await pix.json()) as { code: string }).code).toBe('ACCOUNT_BLOCKED');

  await account.getByLabel('Motivo do desbloqueio').fill('Fraude descartada após contato');
  await account.getByRole('button', { name: 'Desbloquear conta' }).click();
  await expect(account.getByTestId('account-notice')).toContainText('Conta desbloqueada');
  await expect(account.getByTestId('account-status')).toHaveText('Ativa');
  const again = await api.post('/api/v1/pix/transfers', { headers: { 'Idempotency-Key': randomUUID() }, data: { key: payee.key, amount: '5.00', pin: TEST_PIN } });
  expect(again.status(), await again.text()).toBe(202);
  await customerPage.context().close();
});

test('When one operator requests a deposit, then they cannot approve it and a second operator approves it in another browser', async ({ page, browser }) => {
  const customer = await fundedCustomer('1.00');
  await signInOperator(page, OPERADOR, '/operacao/depositos');
  await page.getByLabel('Conta ou CPF do cliente').fill(formatCpf(customer.data.cpf));
  const amount = page.getByLabel('Valor (R$)');
  await amount.fill('1050');
  await amount.blur();
  await expect(amount).toHaveValue('1.050,00');
  await page.getByLabel('Motivo', { exact: true }).fill('Aporte de teste do back office');
  await page.getByRole('button', { name: 'Solicitar depósito' }).click();
  await expect(page.getByTestId('deposit-requested')).toContainText('R$ 1.050,00');

  const item = page.getByTestId('deposit-item').filter({ hasText: customer.accountId });
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('own-request')).toBeVisible();
  await expect(item.getByRole('button', { name: /^Aprovar/ })).toHaveCount(0);
  const id = (await item.getAttribute('data-deposit-id'))!;
  // The bank refuses it too, whatever the page shows: no money moved.
  const self = await page.request.post(`/api/v1/admin/deposit-requests/${id}/approve`, { headers: { 'X-CSRF': '1' }, data: {} });
  expect(self.status()).toBe(403);
  expect(((await self.json()) as { code: string }).code).toBe('SAME_OPERATOR');
  expect(((await (await customer.api.get('/api/v1/accounts/me/balance')).json()) as { available: string }).available).toBe('1.00');
  await checkPage(page, 'operacao-depositos');

  // The second operator, in their own browser.
  const supervisora = await newBrowserPage(browser);
  try {
    await signInOperator(supervisora, SUPERVISORA, '/operacao/depositos');
    const pending = supervisora.getByTestId('deposit-item').filter({ hasText: customer.accountId });
    await expect(pending.getByTestId('own-request')).toHaveCount(0);
    await pending.getByRole('button', { name: /^Aprovar depósito de R\$\s?1\.050,00/ }).click();
    await expect(supervisora.getByTestId('deposit-decided')).toContainText('aprovado');
    await expect(supervisora.getByTestId('deposit-item').filter({ hasText: customer.accountId })).toHaveCount(0);
  } finally {
    await supervisora.context().close();
  }
  await expect
    .poll(async () => ((await (await customer.api.get('/api/v1/accounts/me/balance')).json()) as { available: string }).available)
    .toBe('1051.00');
});

test('When a poison message sits in a dead-letter topic, then after its cause is fixed the operator replays it from the page and its effect happens once', async ({ page }) => {
  const poison = await makePoisonMessage();
  await signInOperator(page, OPERADOR, '/operacao/mensagens');
  await expect(page.getByRole('tab', { name: /Kafka/ })).toHaveAttribute('aria-selected', 'true');
  const letter = page.getByTestId('dead-letter').filter({ hasText: poison.marker });
  await expect(letter).toHaveCount(1);
  await expect(letter).toContainText(poison.originalTopic);
  await letter.getByText('Ver conteúdo da mensagem').click();
  await expect(letter.getByTestId('dead-letter-payload')).toContainText(poison.marker);
  await checkPage(page, 'operacao-mensagens');
  expect(await effectApplied(poison.marker)).toBe(false);

  await fixPoisonCause(poison.marker);
  await letter.getByLabel('Motivo do reenvio').fill('E-mail do outro cliente corrigido');
  await letter.getByRole('button', { name: 'Reenviar' }).click();
  await expect(page.getByTestId('replay-done')).toContainText('reenviada');
  await expect.poll(() => effectApplied(poison.marker), { timeout: 60_000 }).toBe(true);
  await expect(page.getByTestId('dead-letter').filter({ hasText: poison.marker })).toContainText('Reenviada em');
  expect(await effectCount(poison.marker)).toBe(1);

  await page.getByRole('tab', { name: /RabbitMQ/ }).click();
  await expect(page.getByRole('tab', { name: /RabbitMQ/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel')).toBeVisible();
});

test('When the operator opens the audit, then the actions of these tests are listed, filtered by operator and action', async ({ page }) => {
  await signInOperator(page, OPERADOR, '/operacao/auditoria');
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  await page.getByLabel('Operador', { exact: true }).fill('supervisora');
  await page.getByLabel('Ação', { exact: true }).fill('deposit.approved');
  await page.getByRole('button', { name: 'Filtrar' }).click();
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toContainText('deposit.approved');
  for (const text of await rows.allInnerTexts()) {
    expect(text).toContain('supervisora');
    expect(text).toContain('deposit.approved');
  }
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'America/Sao_Paulo' });
  await page.getByLabel('Operador', { exact: true }).fill('operador');
  await page.getByLabel('Ação', { exact: true }).fill('account.blocked');
  await page.getByLabel('De', { exact: true }).fill(today);
  await page.getByLabel('Até', { exact: true }).fill(today);
  await page.getByRole('button', { name: 'Filtrar' }).click();
  await expect(rows.first()).toContainText('Suspeita de fraude relatada pelo cliente');
  await checkPage(page, 'operacao-auditoria');
});

test('When a customer opens /operacao, then they get the 403 page and the browser sends no back-office request', async ({ page }) => {
  const customer = await fundedCustomer('1.00');
  await signInBrowser(page, customer.data.cpf, customer.data.password, '/inicio');
  await expect(page.getByRole('link', { name: 'Operação' })).toHaveCount(0);
  const calls = adminCalls(page);
  const res = await page.goto('/operacao/clientes');
  expect(res?.status()).toBe(403);
  await page.locator('html[data-app-ready="true"]').waitFor({ state: 'attached' });
  await expect(page.getByRole('heading', { level: 1, name: 'Acesso negado' })).toBeVisible();
  await visit(page, '/operacao');
  await expect(page.getByTestId('forbidden')).toBeVisible();
  await page.waitForTimeout(500);
  expect(calls).toEqual([]);
  await checkPage(page, 'operacao-acesso-negado');
  // Signed out, /operacao asks for the sign-in first.
  await page.request.post('/auth/logout', { headers: { 'X-CSRF': '1' } });
  await page.goto('/operacao/depositos');
  await expect(page).toHaveURL(/\/entrar\?returnUrl=%2Foperacao%2Fdepositos/);
});
