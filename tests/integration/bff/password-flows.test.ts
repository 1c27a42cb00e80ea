// "Esqueci minha senha" and "Alterar senha" (issue #23): the BFF routes that start Keycloak's own pages on the
// authorization code flow, against the real Keycloak and Redis. The change is driven through Keycloak's HTML forms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BffClient, closeTestKit, decodeHtml, formAction, KeycloakBrowser, newRealmCustomer, PASSWORD, startBff, type TestBff } from './bff-test-kit';

let bff: TestBff;

beforeAll(async () => {
  bff = await startBff();
});
afterAll(async () => {
  await bff?.close();
  await closeTestKit();
});

describe('GET /auth/forgot-password', () => {
  it('when a customer forgot the password, then the BFF starts the code flow and Keycloak\'s sign-in page offers the reset (resetPasswordAllowed), in pt-BR', async () => {
    const client = new BffClient(bff);
    const start = await client.get('/auth/forgot-password');
    expect(start.status).toBe(302);
    expect(client.jar.has('krt-login')).toBe(true);
    const to = new URL(start.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe('http://localhost:8080/realms/krt-bank/protocol/openid-connect/auth');
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('kc_action')).toBeNull();

    const kc = new KeycloakBrowser();
    const page = await kc.fetch(to.href);
    expect(page.status).toBe(200);
    const resetHref = /href="([^"]*login-actions\/reset-credentials[^"]*)"/.exec(page.html)?.[1];
    expect(resetHref).toBeDefined();
    expect(page.html).toContain('Esqueceu sua senha?');
    const reset = await kc.fetch(new URL(decodeHtml(resetHref!), 'http://localhost:8080').href);
    expect(reset.status).toBe(200);
    expect(reset.html).toMatch(/id="kc-reset-password-form"/);
  });

  it('when another method is used, then 405 with Allow: GET', async () => {
    const res = await new BffClient(bff).post('/auth/forgot-password', {});
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('GET /auth/change-password', () => {
  it('when a customer changes the password, then Keycloak asks for the current one and the new one, the customer comes back to /perfil signed in, every other session ends and only the new password works', async () => {
    const customer = await newRealmCustomer();
    const other = new BffClient(bff);
    expect((await other.signIn(customer.cpf)).status).toBe(204);
    const me = new BffClient(bff);
    expect((await me.signIn(customer.cpf)).status).toBe(204);
    const before = me.sessionId;

    const start = await me.get('/auth/change-password');
    expect(start.status).toBe(302);
    const to = new URL(start.headers.get('location')!);
    expect(to.searchParams.get('kc_action')).toBe('UPDATE_PASSWORD');
    expect(to.searchParams.get('prompt')).toBe('login');

    // Keycloak's sign-in page first: the current password is checked.
    const kc = new KeycloakBrowser();
    const login = await kc.fetch(to.href);
    expect(login.status).toBe(200);
    const update = await kc.fetch(formAction(login.html, 'kc-form-login'), { username: customer.cpf, password: PASSWORD, credentialId: '' });
    const updatePage = update.status === 302 ? await kc.fetch(new URL(update.location!, 'http://localhost:8080').href) : update;
    expect(updatePage.html).toContain('password-new');
    // "Sign out from other devices" left unchecked: the BFF ends the other sessions itself.
    const weak = await kc.fetch(formAction(updatePage.html, 'kc-passwd-update-form'), { 'password-new': 'curta', 'password-confirm': 'curta' });
    expect(weak.status).toBe(200); // the realm's policy refuses it, on Keycloak's page
    const newPassword = 'Outra#Senha2026';
    const done = await kc.fetch(formAction(weak.html, 'kc-passwd-update-form'), { 'password-new': newPassword, 'password-confirm': newPassword });
    expect(done.status).toBe(302);
    const callback = new URL(done.location!);
    expect(callback.searchParams.get('kc_action_status')).toBe('success');

    const back = await me.get(`/auth/callback${callback.search}`);
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/perfil');
    expect(me.sessionId).toBeDefined();
    expect(me.sessionId).not.toBe(before);
    const sessions = await me.get('/api/v1/sessions');
    expect(sessions.status).toBe(200);
    expect(sessions.body.items).toHaveLength(1);
    expect((await other.get('/api/v1/sessions')).status).toBe(401);

    expect((await new BffClient(bff).signIn(customer.cpf, PASSWORD)).status).toBe(401);
    expect((await new BffClient(bff).signIn(customer.cpf, newPassword)).status).toBe(204);
  });

  it('when the customer cancels on Keycloak\'s page, then the sign-in completes without ending the other sessions', async () => {
    const customer = await newRealmCustomer();
    const other = new BffClient(bff);
    await other.signIn(customer.cpf);
    const me = new BffClient(bff);
    const start = await me.get('/auth/change-password?returnUrl=/inicio');
    const kc = new KeycloakBrowser();
    const login = await kc.fetch(start.headers.get('location')!);
    const update = await kc.fetch(formAction(login.html, 'kc-form-login'), { username: customer.cpf, password: PASSWORD, credentialId: '' });
    const updatePage = update.status === 302 ? await kc.fetch(new URL(update.location!, 'http://localhost:8080').href) : update;
    const cancelled = await kc.fetch(formAction(updatePage.html, 'kc-passwd-update-form'), { 'cancel-aia': 'true' });
    expect(cancelled.status).toBe(302);
    const callback = new URL(cancelled.location!);
    expect(callback.searchParams.get('kc_action_status')).toBe('cancelled');
    const back = await me.get(`/auth/callback${callback.search}`);
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/inicio');
    expect((await other.get('/api/v1/sessions')).status).toBe(200);
    expect((await new BffClient(bff).signIn(customer.cpf, PASSWORD)).status).toBe(204);
  });
});
