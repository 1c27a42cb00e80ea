// A PIX receipt's PDF carries the bank's authentication code; anyone can check it on the public page, signed out (issue #18).
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { pdfText } from '../../tests/support/pdf-text';
import { fundedCustomer, sendPix } from '../support/bank-api';
import { checkPage, consoleErrors, signInBrowser, visit } from '../support/page-checks';

test('When a customer downloads a PIX receipt, then its PDF shows the fields and a code that the public page confirms signed out, and a changed code fails', async ({ page, browser }) => {
  const payer = await fundedCustomer('300.00');
  const me = await fundedCustomer('1.00');
  const sent = await sendPix(payer.api, me.key, '57.89', 'Rateio do churrasco');
  await expect
    .poll(async () => (await (await me.api.get(`/api/v1/pix/transfers/${sent.id}`)).json()).status, { timeout: 60_000 })
    .toBe('COMPLETED');
  await signInBrowser(page, me.data.cpf, me.data.password);

  let code = '';
  await test.step('the detail page downloads the PDF made by the server', async () => {
    await visit(page, `/pix/transferencias/${sent.id}`);
    await expect(page.getByTestId('transfer-detail')).toHaveAttribute('data-status', 'COMPLETED');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Baixar comprovante (PDF)' }).click()]);
    expect(download.suggestedFilename()).toBe(`comprovante-pix-${sent.endToEndId}.pdf`);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(bytes);
    expect(text).toContain(sent.endToEndId);
    expect(text).toContain('R$ 57,89');
    expect(text).toContain('Rateio do churrasco');
    // Both parties as a BACEN receipt shows them: the reader's own name in full, the payer's masked, CPFs masked.
    expect(text).toContain('Quem pagou');
    expect(text).toContain('Quem recebeu');
    expect(text).toContain(me.data.fullName);
    expect(text).toContain(`${payer.data.fullName.split(' ')[0]} `);
    if (payer.data.fullName !== me.data.fullName) expect(text).not.toContain(payer.data.fullName);
    expect(text).toMatch(/\*\*\*\.\d{3}\.\d{3}-\*\*/);
    expect(text).toContain('/comprovantes/verificar');
    code = text.match(/(?:[A-Z2-7]{4} ){7}[A-Z2-7]{4}/)?.[0] ?? '';
    expect(code).not.toBe('');
  });

  // Signed out: a fresh browser context without the session cookie.
  const outsider = await browser.newContext({ locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
  const pub = await outsider.newPage();
  const errors = consoleErrors(pub);
  try {
    await test.step('the public page confirms the code without signing in', async () => {
      await visit(pub, '/comprovantes/verificar');
      await expect(pub).toHaveURL(/\/comprovantes\/verificar$/);
      await pub.getByLabel('ID da transação (EndToEndId)').fill(sent.endToEndId);
      await pub.getByLabel('Código de autenticação').fill(code);
      await pub.getByRole('button', { name: 'Verificar' }).click();
      const verdict = pub.getByTestId('receipt-verdict');
      await expect(verdict).toHaveAttribute('data-valid', 'true');
      await expect(verdict).toContainText('Comprovante autêntico');
      await expect(pub.getByTestId('verified-amount')).toContainText('57,89');
      await expect(pub.getByTestId('verified-e2e')).toHaveText(sent.endToEndId);
      await expect(pub.getByTestId('verified-payer')).toContainText(/\*\*\*\.\d{3}\.\d{3}-\*\*/);
      await expect(verdict).not.toContainText('Rateio do churrasco');
      await checkPage(pub, 'comprovante-verificar'); // axe at desktop and phone size, screenshots
    });

    await test.step('one changed character of the code is not confirmed', async () => {
      const bare = code.replace(/ /g, '');
      const changed = bare.slice(0, 10) + (bare[10] === 'Q' ? 'R' : 'Q') + bare.slice(11);
      await pub.getByLabel('Código de autenticação').fill(changed);
      await pub.getByRole('button', { name: 'Verificar' }).click();
      const verdict = pub.getByTestId('receipt-verdict');
      await expect(verdict).toHaveAttribute('data-valid', 'false');
      await expect(verdict).toContainText('Não conseguimos confirmar este comprovante');
      await expect(verdict).not.toContainText('57,89');
    });

    await test.step("the PDF's link opens the page with the receipt filled in, and it is confirmed at once", async () => {
      await visit(pub, `/comprovantes/verificar?${new URLSearchParams({ e2e: sent.endToEndId, codigo: code.replace(/ /g, '') })}`);
      await expect(pub.getByTestId('receipt-verdict')).toHaveAttribute('data-valid', 'true');
      await expect(pub.getByTestId('verified-amount')).toContainText('57,89');
      expect(errors).toEqual([]);
    });
  } finally {
    await outsider.close();
    await payer.api.dispose();
    await me.api.dispose();
  }
});
