// Sessions the customer controls (issue #23): one customer signed in on two devices (two browser contexts) sees both
// sessions on the profile, this one marked, ends the other, and the other device's next page load goes to /entrar.
import { expect, test, type Browser } from '@playwright/test';
import { BASE_URL, newCustomer, registerCustomer } from '../support/bank-api';
import { DESKTOP, expectAccessible, PHONE, signInBrowser, visit } from '../support/page-checks';

const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

async function device(browser: Browser, userAgent: string, cpf: string, password: string) {
  const context = await browser.newContext({ baseURL: BASE_URL, userAgent, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signInBrowser(page, cpf, password);
  return { context, page };
}

test('When a customer signed in on two devices ends the other one from the profile, then the other device is sent to /entrar on its next page load', async ({ browser }) => {
  const c = newCustomer();
  await registerCustomer(c);
  const laptop = await device(browser, CHROME_LINUX, c.cpf, c.password);
  const phone = await device(browser, SAFARI_IPHONE, c.cpf, c.password);
  try {
    await visit(phone.page, '/inicio');
    await expect(phone.page).toHaveURL(/\/inicio$/);

    await visit(laptop.page, '/perfil');
    const card = laptop.page.getByTestId('sessions');
    await expect(card.getByRole('heading', { name: 'Sessões ativas' })).toBeVisible();
    const items = card.getByRole('list').getByRole('listitem');
    await expect(items).toHaveCount(2);
    await expect(items.nth(0)).toContainText('Chrome no Linux');
    await expect(items.nth(0)).toContainText('Este dispositivo');
    await expect(items.nth(1)).toContainText('Safari no iPhone');
    await expect(items.nth(1)).not.toContainText('Este dispositivo');
    await expectAccessible(laptop.page, 'profile with sessions (desktop)');
    await laptop.page.setViewportSize(PHONE);
    await expectAccessible(laptop.page, 'profile with sessions (phone)');
    await laptop.page.setViewportSize(DESKTOP);

    await card.getByRole('button', { name: /^Encerrar sessão: Safari no iPhone/ }).click();
    await expect(laptop.page.getByRole('status').filter({ hasText: 'Sessão encerrada: Safari no iPhone.' })).toBeAttached();
    await expect(items).toHaveCount(1);
    await expect(card.getByRole('button', { name: 'Sair de todos os outros dispositivos' })).toHaveCount(0);

    // The phone's next call is 401 and its next page load goes to the sign-in page.
    const api = await phone.page.request.get('/api/v1/sessions', { headers: { 'X-CSRF': '1' } });
    expect(api.status()).toBe(401);
    await phone.page.goto('/inicio');
    await expect(phone.page).toHaveURL(/\/entrar/);

    // The laptop goes on, and "Sair de todos os dispositivos" ends it too.
    await visit(laptop.page, '/perfil');
    await expect(items).toHaveCount(1);
    await card.getByRole('button', { name: 'Sair de todos os dispositivos' }).click();
    await expect(laptop.page).toHaveURL(/\/entrar/);
    await laptop.page.goto('/perfil');
    await expect(laptop.page).toHaveURL(/\/entrar/);
  } finally {
    await laptop.context.close();
    await phone.context.close();
  }
});

test('When a customer on one device chooses "Sair de todos os outros dispositivos", then only this device stays signed in', async ({ browser }) => {
  const c = newCustomer();
  await registerCustomer(c);
  const laptop = await device(browser, CHROME_LINUX, c.cpf, c.password);
  const phone = await device(browser, SAFARI_IPHONE, c.cpf, c.password);
  const tablet = await device(browser, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0', c.cpf, c.password);
  try {
    await visit(laptop.page, '/perfil');
    const card = laptop.page.getByTestId('sessions');
    const items = card.getByRole('list').getByRole('listitem');
    await expect(items).toHaveCount(3);
    await card.getByRole('button', { name: 'Sair de todos os outros dispositivos' }).click();
    await expect(items).toHaveCount(1);
    await expect(items.first()).toContainText('Este dispositivo');
    for (const other of [phone, tablet]) {
      await other.page.goto('/inicio');
      await expect(other.page).toHaveURL(/\/entrar/);
    }
    await laptop.page.goto('/inicio');
    await expect(laptop.page).toHaveURL(/\/inicio$/);
  } finally {
    for (const d of [laptop, phone, tablet]) await d.context.close();
  }
});
