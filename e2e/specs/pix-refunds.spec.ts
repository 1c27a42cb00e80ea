// PIX devolução (issue #18): the receiver of a PIX returns it, in parts, from its detail page. Each return completes
// like a PIX, the returns never sum past the original, and both customers' money ends where it started.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { TEST_PIN, fundedCustomer, sendPix } from '../support/bank-api';
import { checkPage, consoleErrors, signInBrowser, visit } from '../support/page-checks';

interface Line {
  kind: string;
  type: 'CREDIT' | 'DEBIT';
  amount: string;
  transferId?: string | null;
}

const available = async (api: APIRequestContext) => ((await (await api.get('/api/v1/accounts/me/balance')).json()) as { available: string }).available;
const reversals = async (api: APIRequestContext) =>
  ((await (await api.get('/api/v1/accounts/me/statement', { params: { limit: '50' } })).json()) as { items: Line[] }).items
    .filter((l) => l.kind === 'PIX_REVERSAL')
    .map((l) => `${l.type} ${l.amount} ${l.transferId}`)
    .sort();

/** Fills and confirms the open "Devolver Pix" form; returns the id of the return whose page it lands on. */
async function confirmRefund(page: Page, originalId: string, amount: string): Promise<string> {
  await page.getByLabel('Valor da devolução (R$)').fill(amount);
  await page.getByLabel('Senha de transação').fill(TEST_PIN);
  await page.getByRole('button', { name: 'Confirmar devolução' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/pix/transferencias/') && !url.pathname.endsWith(originalId));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Devolução Pix');
  await expect(page.getByTestId('transfer-status')).toHaveText('Concluída', { timeout: 30_000 });
  await expect(page.getByTestId('end-to-end-id')).toHaveText(/^D[0-9A-Za-z]{31}$/);
  return page.url().split('/').pop()!;
}

test('When the receiver of a PIX returns it in two parts, then each return completes, a third is refused with its reason, and both balances are back where they started', async ({ page, context }) => {
  const payer = await fundedCustomer('500.00');
  const me = await fundedCustomer('50.00');
  const payerStart = await available(payer.api);
  const myStart = await available(me.api);
  const sent = await sendPix(payer.api, me.key, '100.00', 'Conserto do carro');
  await signInBrowser(page, me.data.cpf, me.data.password);
  const errors = consoleErrors(page, { ignoreNetwork: true });
  const refundIds: string[] = [];

  await test.step('the receiver opens the PIX from the history and returns R$ 30,00', async () => {
    await visit(page, '/pix/historico');
    const row = page.getByTestId('pix-history-item').filter({ hasText: '100,00' });
    await expect(row).toHaveAttribute('data-direction', 'RECEIVED');
    await row.getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/pix/transferencias/${sent.id}$`));
    await page.getByRole('button', { name: 'Devolver Pix' }).click();
    await expect(page.getByLabel('Valor da devolução (R$)')).toHaveValue('100,00');
    await expect(page.getByTestId('refund-limit')).toHaveText(/Você pode devolver até R\$\s100,00 até \d{2}\/\d{2}\/\d{4}\./);
    await checkPage(page, 'pix-devolver');
    await page.getByLabel(/Mensagem/).fill('Cobrado a mais');
    refundIds.push(await confirmRefund(page, sent.id, '30,00'));
    await expect(page.getByTestId('receipt-amount')).toContainText('30,00');
    await checkPage(page, 'pix-devolucao');
  });

  // A second tab left on the form while the rest is returned in the first: its return is refused by the bank.
  const stale = await context.newPage();
  await test.step('the original shows the return; the rest, R$ 70,00, is returned too', async () => {
    await page.getByRole('link', { name: 'Ver Pix original' }).click();
    await expect(page).toHaveURL(new RegExp(`/pix/transferencias/${sent.id}$`));
    await expect(page.getByTestId('receipt-refunded')).toContainText('30,00');
    await expect(page.getByTestId('refund-item')).toHaveCount(1);
    await visit(stale, `/pix/transferencias/${sent.id}`);
    await stale.getByRole('button', { name: 'Devolver Pix' }).click();
    await stale.getByLabel('Valor da devolução (R$)').fill('0,01');
    await stale.getByLabel('Senha de transação').fill(TEST_PIN);

    await page.getByRole('button', { name: 'Devolver Pix' }).click();
    await expect(page.getByLabel('Valor da devolução (R$)')).toHaveValue('70,00');
    refundIds.push(await confirmRefund(page, sent.id, '70,00'));
  });

  await test.step('a third return, of R$ 0,01, is refused and the reason shown next to the amount', async () => {
    await stale.getByRole('button', { name: 'Confirmar devolução' }).click();
    const refusal = stale.getByTestId('refund-amount-error');
    await expect(refusal).toHaveAttribute('role', 'alert');
    await expect(refusal).toContainText(/devolvido/);
    await expect(stale.getByLabel('Valor da devolução (R$)')).toHaveAttribute('aria-describedby', /refund-amount-error/);
    await expect(stale).toHaveURL(new RegExp(`/pix/transferencias/${sent.id}$`));
    await visit(stale, `/pix/transferencias/${sent.id}`);
    await expect(stale.getByTestId('refund-done')).toHaveText('Este Pix já foi devolvido por inteiro.');
    await expect(stale.getByRole('button', { name: 'Devolver Pix' })).toHaveCount(0);
    await expect(stale.getByTestId('refund-item')).toHaveCount(2);
    await stale.close();
  });

  await test.step('the statement lists both returns, each opening its page', async () => {
    await visit(page, '/extrato');
    const lines = page.locator('[data-testid="statement-item"][data-kind="PIX_REVERSAL"]');
    await expect(lines).toHaveCount(2);
    await expect(lines.first()).toContainText('Devolução Pix');
    await lines.filter({ hasText: '30,00' }).getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/pix/transferencias/${refundIds[0]}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Devolução Pix');
  });

  await test.step('through the API: balances where they started, PIX_REVERSAL lines for both, the original fully returned', async () => {
    await expect.poll(() => available(payer.api)).toBe(payerStart);
    await expect.poll(() => available(me.api)).toBe(myStart);
    const [first, second] = refundIds;
    await expect.poll(() => reversals(payer.api)).toEqual([`CREDIT 30.00 ${first}`, `CREDIT 70.00 ${second}`]);
    await expect.poll(() => reversals(me.api)).toEqual([`DEBIT 30.00 ${first}`, `DEBIT 70.00 ${second}`]);
    for (const api of [me.api, payer.api]) {
      const original = (await (await api.get(`/api/v1/pix/transfers/${sent.id}`)).json()) as {
        refundedAmount: string;
        refunds: { id: string; amount: string; status: string }[];
      };
      expect(original.refundedAmount).toBe('100.00');
      expect(original.refunds.map((r) => `${r.id} ${r.amount} ${r.status}`).sort()).toEqual([`${first} 30.00 COMPLETED`, `${second} 70.00 COMPLETED`].sort());
    }
    const mine = (await (await me.api.get(`/api/v1/pix/transfers/${sent.id}`)).json()) as { refundableAmount?: string };
    expect(mine.refundableAmount).toBe('0.00');
    const returned = (await (await payer.api.get(`/api/v1/pix/transfers/${first}`)).json()) as { kind: string; refundOf: string; direction: string };
    expect(returned).toMatchObject({ kind: 'REFUND', refundOf: sent.id, direction: 'RECEIVED' });
  });

  await test.step('the payer sees the returns in the PIX history, each with its page and receipt', async () => {
    await signInBrowser(page, payer.data.cpf, payer.data.password);
    await visit(page, '/pix/historico');
    const returns = page.locator('[data-testid="pix-history-item"][data-kind="REFUND"]');
    await expect(returns).toHaveCount(2);
    await expect(returns.first()).toContainText(`Devolução recebida de ${me.data.fullName.split(' ')[0]}`);
    await returns.filter({ hasText: '70,00' }).getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/pix/transferencias/${refundIds[1]}$`));
    await expect(page.getByTestId('transfer-timeline')).toContainText('Devolução recebida na sua conta');
    const download = page.waitForEvent('download');
    await page.getByTestId('receipt-pdf').click();
    expect((await download).suggestedFilename()).toMatch(/^comprovante-pix-D[0-9A-Za-z]{31}\.pdf$/);
    await page.getByRole('link', { name: 'Ver Pix original' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pix enviado');
    await expect(page.getByTestId('receipt-refunded')).toContainText('100,00');
    await expect(page.getByTestId('refund-item')).toHaveCount(2);
    await expect(page.getByRole('button', { name: 'Devolver Pix' })).toHaveCount(0);
  });

  expect(errors).toEqual([]);
  await payer.api.dispose();
  await me.api.dispose();
});
