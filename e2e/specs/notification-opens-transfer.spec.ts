// The notification centre: a PIX's in-app notification opens that transfer's page, and opening it marks it as read
// (issue #18); "Carregar mais" pressed twice on a slow answer lists the older notifications once.
import { expect, test, type Request } from '@playwright/test';
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

test('When "Carregar mais" is pressed twice while the older notifications are on their way, then one request is made and each is listed once', async ({ page }) => {
  test.setTimeout(180_000);
  const payer = await fundedCustomer('1.00');
  const me = await fundedCustomer('0.01');
  // 21 received PIX and the welcome: 22 notifications, a first page of 20 and two more.
  for (let i = 0; i < 21; i++) await sendPix(payer.api, me.key, '0.01', `Pix ${i + 1}`);
  const count = async () => ((await (await me.api.get('/api/v1/notifications/unread-count')).json()) as { count: number }).count;
  await expect.poll(count, { timeout: 60_000, intervals: [500, 1000] }).toBe(22);

  await signInBrowser(page, me.data.cpf, me.data.password);
  await visit(page, '/notificacoes');
  const items = page.getByTestId('notification-item');
  await expect(items).toHaveCount(20);

  const olderPage = (url: URL) => url.pathname === '/api/v1/notifications' && url.searchParams.has('cursor');
  const olderPages: Request[] = [];
  page.on('request', (r) => {
    if (olderPage(new URL(r.url()))) olderPages.push(r);
  });
  // The older notifications take 600 ms more to arrive.
  await page.route(olderPage, async (route) => {
    await new Promise((r) => setTimeout(r, 600));
    await route.continue();
  });
  const more = page.getByRole('button', { name: 'Carregar mais' });
  await more.click();
  await more.click({ force: true }); // pressed again while the first answer is still on its way
  await expect(items).toHaveCount(22);
  await page.waitForTimeout(1500); // long after a second answer would have landed
  await expect(items).toHaveCount(22);
  expect(olderPages).toHaveLength(1);
  await expect(more).toHaveCount(0);

  await payer.api.dispose();
  await me.api.dispose();
});
