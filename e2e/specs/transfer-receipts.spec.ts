// A PIX's receipt can be found again: from the statement, the home page's recent list and the PIX history.
import { expect, test } from '@playwright/test';
import { fundedCustomer, sendPix } from '../support/bank-api';
import { signInBrowser, visit } from '../support/page-checks';

test('When a customer received a PIX, then the statement line, the home page and the PIX history open its receipt, which can be shared', async ({ page, context }) => {
  const payer = await fundedCustomer('500.00');
  const me = await fundedCustomer('1.00');
  const sent = await sendPix(payer.api, me.key, '42.17', 'Aluguel da bike');
  await signInBrowser(page, me.data.cpf, me.data.password);
  await expect
    .poll(async () => (await (await me.api.get(`/api/v1/pix/transfers/${sent.id}`)).json()).status, { timeout: 60_000 })
    .toBe('COMPLETED');

  await test.step('from the statement', async () => {
    await visit(page, '/extrato');
    await page.getByTestId('statement-item').filter({ hasText: '42,17' }).getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/pix/transferencias/${sent.id}$`));
    const detail = page.getByTestId('transfer-detail');
    await expect(detail).toHaveAttribute('data-status', 'COMPLETED');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pix recebido');
    await expect(page.getByTestId('transfer-timeline')).toContainText('Recebido na sua conta');
    await expect(page.getByTestId('receipt-amount')).toContainText('42,17');
    await expect(page.getByTestId('end-to-end-id')).toHaveText(sent.endToEndId);
    await expect(page.getByTestId('transfer-receipt')).toContainText('Aluguel da bike');
    await expect(page.getByTestId('receipt-payer')).toContainText(/\*\*\*\.\d{3}\.\d{3}-\*\*/); // the payer's CPF, masked
  });

  await test.step('shared: the Web Share API where there is one, otherwise copied', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const hasShare = await page.evaluate(() => typeof navigator.share === 'function');
    if (hasShare) await page.evaluate(() => ((navigator as { share?: unknown }).share = undefined)); // desktop: the copy path
    await page.getByRole('button', { name: 'Compartilhar' }).click();
    await expect(page.getByTestId('share-status')).toHaveText(/Comprovante copiado/);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(sent.endToEndId);
    expect(copied).toContain('R$');
    expect(copied).toContain('42,17');
  });

  await test.step('from the home page and the PIX history', async () => {
    await visit(page, '/inicio');
    await page.getByTestId('recent-item').filter({ hasText: '42,17' }).getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/pix/transferencias/${sent.id}$`));
    await visit(page, '/pix');
    await page.getByRole('link', { name: 'Histórico' }).click();
    const row = page.getByTestId('pix-history-item').filter({ hasText: '42,17' });
    await expect(row).toHaveAttribute('data-direction', 'RECEIVED');
    await row.getByRole('link').click();
    await expect(page.getByTestId('end-to-end-id')).toHaveText(sent.endToEndId);
  });

  await test.step("another customer's transfer is not found, and says so", async () => {
    const stranger = await fundedCustomer('1.00');
    await signInBrowser(page, stranger.data.cpf, stranger.data.password);
    await visit(page, `/pix/transferencias/${sent.id}`);
    await expect(page.getByTestId('transfer-error')).toContainText('Não encontramos este Pix');
    await expect(page.getByTestId('transfer-receipt')).toHaveCount(0);
    await stranger.api.dispose();
  });
  await payer.api.dispose();
  await me.api.dispose();
});
