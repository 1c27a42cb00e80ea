// Issue #18: a PIX's in-app notification opens that transfer's page, and opening it marks it as read.
import { expect, test } from '@playwright/test';
import { fundedCustomer, sendPix } from '../support/bank-api';
import { signInBrowser, visit } from '../support/page-checks';

interface Item {
  id: string;
  title: string;
  transferId?: string;
  readAt?: string;
}

test('When a customer opens the "Pix recebido" notification, then the received PIX\'s page shows its amount and the notification is read', async ({ page }) => {
  const payer = await fundedCustomer('100.00');
  const me = await fundedCustomer('1.00');
  const sent = await sendPix(payer.api, me.key, '23.45');
  const mine = async () => ((await (await me.api.get('/api/v1/notifications?limit=100')).json()) as { items: Item[] }).items.find((n) => n.transferId === sent.id);
  await expect.poll(async () => (await mine())?.title, { timeout: 60_000 }).toBe('Pix recebido');

  await signInBrowser(page, me.data.cpf, me.data.password);
  await visit(page, '/notificacoes');
  await page.getByTestId('notification-link').filter({ hasText: 'Pix recebido' }).filter({ hasText: '23,45' }).click();
  await expect(page).toHaveURL(new RegExp(`/pix/transferencias/${sent.id}$`));
  await expect(page.getByTestId('receipt-amount')).toContainText('23,45');
  await expect.poll(async () => (await mine())?.readAt, { timeout: 10_000 }).toEqual(expect.any(String));

  await payer.api.dispose();
  await me.api.dispose();
});
