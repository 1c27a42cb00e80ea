// The password through Keycloak (issue #23): "Esqueci minha senha" from the sign-in page (Keycloak's reset: e-mail
// with a link, caught by the stack's SMTP catcher, a new password under the realm's policy) and "Alterar senha" from
// the profile (Keycloak asks for the current password, then the new one). Either way the customer's other sessions
// end (another browser context, signed in before, gets 401), the old password is refused and the new one signs in.
import { expect, request, test, type Browser, type Page } from '@playwright/test';
import { BASE_URL, formatCpf, newCustomer, registerCustomer, type CustomerData } from '../support/bank-api';
import { mailsTo, type Mail } from '../support/mailbox';
import { checkPage, DESKTOP, signInBrowser, visit } from '../support/page-checks';

async function signedInContext(browser: Browser, c: CustomerData) {
  const context = await browser.newContext({ baseURL: BASE_URL, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo', viewport: DESKTOP });
  const page = await context.newPage();
  await signInBrowser(page, c.cpf, c.password);
  expect((await page.request.get('/api/v1/sessions', { headers: { 'X-CSRF': '1' } })).status()).toBe(200);
  return { context, page };
}

/** The first-party sign-in's answer for this CPF and password (a context of its own: no session is kept). */
async function signInStatus(cpf: string, password: string): Promise<number> {
  const api = await request.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { 'X-CSRF': '1' } });
  try {
    return (await api.post('/auth/session', { data: { cpf, password } })).status();
  } finally {
    await api.dispose();
  }
}

/** Keycloak's "update password" page: the new password twice, "sign out from other devices" left checked. */
async function chooseNewPassword(page: Page, password: string) {
  await expect(page.locator('#password-new')).toBeVisible();
  await expect(page.locator('#logout-sessions')).toBeChecked();
  await page.locator('#password-new').fill(password);
  await page.locator('#password-confirm').fill(password);
  await page.locator('#password-confirm').press('Enter');
}

const newPassword = () => `Nova#${Math.floor(Math.random() * 1e6)}Ab`;

test('When a customer who forgot the password resets it from /entrar through the e-mail, then the new password signs in, the old one is refused and the session signed in before is gone', async ({ browser }) => {
  const c = newCustomer();
  await registerCustomer(c);
  const old = await signedInContext(browser, c);
  const context = await browser.newContext({ baseURL: BASE_URL, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo', viewport: DESKTOP });
  const page = await context.newPage();
  try {
    await visit(page, '/entrar');
    await checkPage(page, 'entrar-esqueci-senha');

    const since = Date.now() - 1000;
    await page.getByRole('link', { name: 'Esqueci minha senha' }).click();
    // Keycloak's sign-in page of the BFF's code flow, in pt-BR, offers the reset.
    await expect(page).toHaveURL(/^http:\/\/localhost:8080\/realms\/krt-bank\//);
    await page.getByRole('link', { name: 'Esqueceu sua senha?' }).click();
    await page.locator('#username').fill(c.cpf);
    await page.locator('#username').press('Enter');
    await expect(page.getByText(/e-mail/i).first()).toBeVisible();

    let resetMail: Mail | undefined;
    await expect
      .poll(async () => (resetMail = (await mailsTo(c.email, since)).find((m) => /login-actions\/action-token/.test(m.text ?? ''))), { timeout: 30_000 })
      .toBeTruthy();
    const link = /http:\/\/localhost:8080\/realms\/krt-bank\/login-actions\/action-token\?[^\s"<>]+/.exec(resetMail!.text!)![0];

    // The link, opened in the browser that asked for it, finishes the sign-in: back in the app with the new password.
    const password = newPassword();
    await page.goto(link);
    await chooseNewPassword(page, password);
    await expect(page).toHaveURL(`${BASE_URL}/inicio`);
    expect((await page.request.get('/api/v1/sessions', { headers: { 'X-CSRF': '1' } })).status()).toBe(200);

    // The session signed in before, in another browser, is gone.
    await expect.poll(async () => (await old.page.request.get('/api/v1/sessions', { headers: { 'X-CSRF': '1' } })).status()).toBe(401);
    expect(await signInStatus(c.cpf, c.password)).toBe(401);
    expect(await signInStatus(c.cpf, password)).toBe(204);
    // Keycloak's own mails, in pt-BR: the link, then the notice of the change (not one per failed sign-in).
    expect((await mailsTo(c.email, since)).map((m) => m.subject).reverse()).toEqual(['Redefinição de senha', 'Atualização de senha']);
  } finally {
    await context.close();
    await old.context.close();
  }
});

test('When a customer changes the password from /perfil, then Keycloak checks the current one, the other session ends, this one stays, an e-mail tells the customer, and only the new password signs in', async ({ browser }) => {
  const c = newCustomer();
  await registerCustomer(c);
  const other = await signedInContext(browser, c);
  const me = await signedInContext(browser, c);
  const page = me.page;
  try {
    await visit(page, '/perfil');
    const card = page.getByTestId('password');
    await expect(card.getByRole('heading', { name: 'Senha' })).toBeVisible();
    await checkPage(page, 'perfil-alterar-senha');

    const since = Date.now() - 1000;
    await card.getByRole('link', { name: 'Alterar senha' }).click();
    // Keycloak asks for the current password first. This browser signed in on Keycloak's page, so the CPF is known
    // and only the password is asked for.
    await expect(page).toHaveURL(/^http:\/\/localhost:8080\/realms\/krt-bank\//);
    await expect(page.getByText('Autentique-se novamente para continuar')).toBeVisible();
    await expect(page.locator('#kc-attempted-username')).toHaveValue(formatCpf(c.cpf));
    await expect(page.locator('#username')).toHaveCount(0);
    await page.locator('#password').fill(c.password);
    await page.locator('#password').press('Enter');
    const password = newPassword();
    await chooseNewPassword(page, password);

    // Back on the profile, still signed in: the only session left is this one.
    await expect(page).toHaveURL(`${BASE_URL}/perfil`);
    const sessions = page.getByTestId('sessions').getByRole('list').getByRole('listitem');
    await expect(sessions).toHaveCount(1);
    await expect(sessions.first()).toContainText('Este dispositivo');
    await expect.poll(async () => (await other.page.request.get('/api/v1/sessions', { headers: { 'X-CSRF': '1' } })).status()).toBe(401);

    // Keycloak e-mails the customer about the change, in pt-BR.
    await expect.poll(async () => (await mailsTo(c.email, since)).map((m) => m.subject), { timeout: 30_000 }).toEqual(['Atualização de senha']);
    const notice = (await mailsTo(c.email, since))[0]!;
    expect(notice.text).toContain('Sua senha foi alterada');

    expect(await signInStatus(c.cpf, c.password)).toBe(401);
    expect(await signInStatus(c.cpf, password)).toBe(204);
    // A failed sign-in is not mailed: still the one notice.
    expect((await mailsTo(c.email, since)).map((m) => m.subject)).toEqual(['Atualização de senha']);
  } finally {
    await me.context.close();
    await other.context.close();
  }
});
