// Live updates and the Keycloak sign-in: the notification badge follows server-sent events, the notification
// center lists unread first and marks as read, and "Entrar" runs the authorization-code flow.
import { expect, test } from '@playwright/test';
import { fundedCustomer, sendPix } from '../support/bank-api';
import { signInBrowser, visit } from '../support/page-checks';

test('When a PIX arrives while the customer looks at the dashboard, then the header badge counts it live and the notification center shows it unread first', async ({ page }) => {
  const me = await fundedCustomer('10.00');
  const friend = await fundedCustomer('500.00');
  await signInBrowser(page, me.data.cpf, me.data.password);
  await visit(page, '/inicio');
  const badge = page.getByTestId('badge-notificacoes');
  await expect(badge).toBeVisible(); // the welcome notification
  const before = Number((await badge.innerText()).match(/\d+/)![0]);

  await sendPix(friend.api, me.key, '33.30', 'Pizza');
  await expect(badge).toContainText(String(before + 1), { timeout: 30_000 }); // no reload: server-sent event

  await page.getByRole('link', { name: /Notificações/ }).first().click();
  const first = page.getByTestId('notification-item').first();
  await expect(first).toContainText('33,30');
  await first.getByRole('button', { name: /Marcar como lida/ }).click();
  await expect(first.getByRole('button', { name: /Marcar como lida/ })).toHaveCount(0);
  await expect(badge).toContainText(String(before));
  await page.getByRole('button', { name: 'Marcar todas como lidas' }).click();
  await expect(badge).toHaveCount(0);
  await me.api.dispose();
  await friend.api.dispose();
});

test('When the customer chooses "Entrar" on /entrar, then the code flow through Keycloak\'s page signs them in and brings them back to where they were going', async ({ page }) => {
  const me = await fundedCustomer('77.00');
  await visit(page, '/extrato');
  await expect(page).toHaveURL(/\/entrar\?returnUrl=%2Fextrato/);
  await page.getByRole('link', { name: 'Entrar', exact: true }).click();
  await expect(page).toHaveURL(/\/realms\/krt-bank\/protocol\/openid-connect\/auth/);
  await page.locator('#username').fill(me.data.cpf);
  await page.locator('#password').fill(me.data.password);
  await page.locator('#kc-login').click();
  await expect(page).toHaveURL(/localhost:5000\/extrato$/);
  await expect(page.getByTestId('statement-item').first()).toContainText('77,00');
  await me.api.dispose();
});
