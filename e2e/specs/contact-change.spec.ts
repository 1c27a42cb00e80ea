// Changing the e-mail and the mobile number from the profile: the bank takes the change only with the password typed
// just now (403 REAUTHENTICATION_REQUIRED otherwise, and the page asks for it on Keycloak's page), the values are typed
// as Brazilians type them, and the e-mail address as it was gets a security alert that never names the new one.
import { expect, test } from '@playwright/test';
import { newCustomer, registerCustomer } from '../support/bank-api';
import { mailsTo } from '../support/mailbox';
import { KEYCLOAK_SIGN_IN, checkPage, visit } from '../support/page-checks';

test('When a customer changes e-mail and celular from the profile, then the bank asks for the password first, saves them, and the old e-mail is warned', async ({ page }) => {
  test.setTimeout(180_000);
  const c = newCustomer();
  await registerCustomer(c);
  const since = Date.now();
  const newEmail = `novo.${c.email}`;
  const newPhone = `(21) 9${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`.replace(/^(\(21\) \d{5})(\d{4})$/, '$1-$2');

  // A session from the first-party sign-in (automation's door): its tokens carry no recent password.
  expect((await page.request.post('/auth/session', { headers: { 'X-CSRF': '1' }, data: { cpf: c.cpf, password: c.password } })).status()).toBe(204);
  await visit(page, '/perfil');
  await page.getByRole('link', { name: 'Alterar e-mail ou celular' }).click();
  await expect(page).toHaveURL(/\/perfil\/contato$/);
  await expect(page.getByRole('heading', { name: 'Confirme sua senha' })).toBeVisible();
  await checkPage(page, 'perfil-contato-confirmar');

  // As if the password had been confirmed too long ago: the form opens, and the bank refuses the change.
  await visit(page, '/perfil/contato?confirmada=1');
  await expect(page.getByRole('textbox', { name: 'E-mail' })).toHaveValue(c.email);
  await page.getByRole('textbox', { name: 'E-mail' }).fill(newEmail);
  await page.getByRole('button', { name: 'Salvar' }).click();
  await expect(page.getByRole('heading', { name: 'Confirme sua senha' })).toBeVisible();
  await expect(page.locator('.alert.warn')).toHaveText('Confirme sua senha para alterar seu e-mail ou celular.');
  const unchanged = (await (await page.request.get('/api/v1/customers/me?reveal=contact', { headers: { 'X-CSRF': '1' } })).json()) as { email: string };
  expect(unchanged.email).toBe(c.email);

  // Keycloak's own page asks for the CPF and password (no Keycloak session yet: this session came from the password
  // grant), then the browser comes back to the form.
  await page.getByRole('link', { name: 'Confirmar minha senha' }).click();
  await expect(page).toHaveURL(KEYCLOAK_SIGN_IN);
  await page.locator('#username').fill(c.cpf);
  await page.locator('#password').fill(c.password);
  await page.locator('#password').press('Enter');
  await expect(page).toHaveURL(/\/perfil\/contato\?confirmada=1$/);
  await expect(page.getByRole('heading', { name: 'Seus dados de contato' })).toBeVisible();

  // What a person types: a malformed address is refused beside the field; the number with its mask.
  await page.getByRole('textbox', { name: 'E-mail' }).fill('maria@');
  await page.getByRole('button', { name: 'Salvar' }).click();
  await expect(page.locator('#contact-email-error')).toHaveText('E-mail inválido. Exemplo: nome@exemplo.com.br');
  await page.getByRole('textbox', { name: 'E-mail' }).fill(newEmail.toUpperCase());
  await page.getByRole('textbox', { name: 'Celular' }).fill(newPhone.replace(/\D/g, ''));
  await expect(page.getByRole('textbox', { name: 'Celular' })).toHaveValue(newPhone);
  await checkPage(page, 'perfil-contato-formulario');
  await page.getByRole('button', { name: 'Salvar' }).click();
  await expect(page.getByTestId('contact-saved')).toHaveText('E-mail e celular alterados. Enviamos um aviso para o e-mail e o celular anteriores.');

  const saved = (await (await page.request.get('/api/v1/customers/me?reveal=contact', { headers: { 'X-CSRF': '1' } })).json()) as { email: string; phone: string };
  expect(saved).toMatchObject({ email: newEmail, phone: `+55${newPhone.replace(/\D/g, '')}` });

  // The old address is told, with what changed; the new one never gets that alert.
  let alert: string | undefined;
  await expect
    .poll(async () => (alert = (await mailsTo(c.email, since)).find((m) => m.subject === 'Dados de contato alterados')?.text), { timeout: 60_000, intervals: [500, 1000, 2000] })
    .toBeTruthy();
  expect(alert).toContain('O e-mail e o celular da sua conta foram alterados em');
  expect(alert).not.toContain(newEmail);
  expect((await mailsTo(newEmail, since)).map((m) => m.subject)).not.toContain('Dados de contato alterados');

  // The profile shows the new contact, masked.
  await page.getByRole('link', { name: 'Voltar ao perfil' }).click();
  await expect(page.getByTestId('personal-data')).toContainText(`${newEmail[0]}***@krt.test`);
});
