// Sign-in methods (issue #23): the first-party password endpoint POST /auth/session is for automation only and is off
// when the production setting says so (BFF_PASSWORD_SIGNIN; unset in production = off); the step-up
// GET /auth/reauthenticate makes the customer type the password again on Keycloak's page even within a Keycloak
// session, and the new session's tokens carry a fresh auth_time. Real BFFs in-process against the real Keycloak and Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BffClient, closeTestKit, formAction, KeycloakBrowser, newRealmCustomer, PASSWORD, startBff, type TestBff, type TestCustomer } from './bff-test-kit';

let customer: TestCustomer;
/** A development BFF: the setting unset, so the endpoint is on. */
let dev: TestBff;
const started: TestBff[] = [];
const bffWith = async (env: Record<string, string>) => {
  const bff = await startBff(env);
  started.push(bff);
  return bff;
};

beforeAll(async () => {
  [customer, dev] = await Promise.all([newRealmCustomer(), bffWith({})]);
});
afterAll(async () => {
  await Promise.all(started.map((b) => b.close()));
  await closeTestKit();
});

const documentedPaths = async (bff: TestBff) => {
  const docs = await new BffClient(bff).get('/api/docs');
  expect(docs.status).toBe(200);
  return Object.keys(docs.body.paths as Record<string, unknown>);
};

describe('POST /auth/session (the password endpoint) and its setting BFF_PASSWORD_SIGNIN', () => {
  it('when the BFF runs in production without the setting, then the right password gets 404 PASSWORD_SIGNIN_DISABLED, no session, and the API document leaves the route out, while the browser sign-in still starts', async () => {
    const prod = await bffWith({ NODE_ENV: 'production', PUBLIC_URL: 'https://bank.krt.test', BFF_SESSION_KEY: 'a-real-secret-for-this-test-only' });
    const client = new BffClient(prod);
    const res = await client.post('/auth/session', { cpf: customer.cpf, password: PASSWORD });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'PASSWORD_SIGNIN_DISABLED', message: expect.stringContaining('Entre pela página de login do KRT Bank') });
    expect(res.setCookies).toEqual([]);
    expect(client.sessionId).toBeUndefined();
    // Not even the anti-forgery check runs first: the route is simply not there.
    expect((await new BffClient(prod, { csrf: false }).post('/auth/session', { cpf: customer.cpf, password: PASSWORD })).status).toBe(404);
    expect((await client.get('/auth/me')).body).toEqual({ authenticated: false });

    const paths = await documentedPaths(prod);
    expect(paths).toContain('/auth/login');
    expect(paths).toContain('/auth/reauthenticate');
    expect(paths).not.toContain('/auth/session');

    const login = await client.get('/auth/login?returnUrl=/inicio');
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toMatch(/^http:\/\/localhost:8080\/realms\/krt-bank\/protocol\/openid-connect\/auth\?/);
  });

  it('when the setting is off outside production, then the endpoint is refused the same way', async () => {
    const off = await bffWith({ BFF_PASSWORD_SIGNIN: 'off' });
    const res = await new BffClient(off).post('/auth/session', { cpf: customer.cpf, password: PASSWORD });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('PASSWORD_SIGNIN_DISABLED');
  });

  it('when the setting is on (production, for the demo) or unset outside production, then the right password signs in and the route is documented', async () => {
    const prodOn = await bffWith({ NODE_ENV: 'production', PUBLIC_URL: 'https://bank.krt.test', BFF_SESSION_KEY: 'a-real-secret-for-this-test-only', BFF_PASSWORD_SIGNIN: 'on' });
    const onClient = new BffClient(prodOn);
    expect((await onClient.signIn(customer.cpf)).status).toBe(204);
    expect((await onClient.get('/auth/me')).body).toMatchObject({ authenticated: true, customerId: customer.customerId });
    expect(await documentedPaths(prodOn)).toContain('/auth/session');

    const devClient = new BffClient(dev);
    expect((await devClient.signIn(customer.cpf)).status).toBe(204);
    expect((await devClient.get('/auth/me')).body.authenticated).toBe(true);
    expect(await documentedPaths(dev)).toContain('/auth/session');
  });

  it('when the setting has another value, then the BFF refuses to start', async () => {
    await expect(startBff({ BFF_PASSWORD_SIGNIN: 'true' })).rejects.toThrow(/BFF_PASSWORD_SIGNIN/);
  });
});

const authTime = (accessToken: string) => (JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { auth_time?: number }).auth_time;

describe('GET /auth/reauthenticate (step-up)', () => {
  it('when a signed-in customer is asked to confirm the password, then Keycloak shows its sign-in page despite its own session (prompt=login, max_age=0, PKCE) and the new session carries a fresh auth_time', async () => {
    const bff = dev;
    const me = new BffClient(bff);
    const kc = new KeycloakBrowser();

    // Signed in through Keycloak's page: Keycloak now has its own session cookie in this browser.
    const login = await me.get('/auth/login?returnUrl=/inicio');
    const page = await kc.fetch(login.headers.get('location')!);
    expect(page.status).toBe(200);
    const signedIn = await kc.fetch(formAction(page.html, 'kc-form-login'), { username: customer.cpf, password: PASSWORD, credentialId: '' });
    expect(signedIn.status).toBe(302);
    expect((await me.get(`/auth/callback${new URL(signedIn.location!).search}`)).status).toBe(303);
    const first = (await me.rememberSessionTokens())!;
    const firstAuthTime = authTime(first.record.accessToken);
    expect(firstAuthTime, 'the access token carries auth_time (payments reads it)').toEqual(expect.any(Number));

    // Without step-up, that Keycloak session answers a new sign-in at once, with no page.
    const again = await kc.fetch((await new BffClient(bff).get('/auth/login')).headers.get('location')!);
    expect(again.status).toBe(302);
    expect(again.location).toMatch(/^http:\/\/localhost:5000\/auth\/callback\?/);

    await new Promise((r) => setTimeout(r, 1100)); // auth_time counts whole seconds
    const start = await me.get('/auth/reauthenticate?returnUrl=/perfil/senha-de-transacao');
    expect(start.status).toBe(302);
    const to = new URL(start.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe('http://localhost:8080/realms/krt-bank/protocol/openid-connect/auth');
    expect(to.searchParams.get('prompt')).toBe('login');
    expect(to.searchParams.get('max_age')).toBe('0');
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(to.searchParams.get('state')).toBeTruthy();
    expect(to.searchParams.get('nonce')).toBeTruthy();
    expect(to.searchParams.get('client_id')).toBe('krt-bff');

    const confirm = await kc.fetch(to.href);
    expect(confirm.status, 'Keycloak asks for the password again').toBe(200);
    expect(confirm.html).toContain('kc-form-login');
    const typedAt = Math.floor(Date.now() / 1000);
    const done = await kc.fetch(formAction(confirm.html, 'kc-form-login'), { username: customer.cpf, password: PASSWORD, credentialId: '' });
    expect(done.status).toBe(302);
    const back = await me.get(`/auth/callback${new URL(done.location!).search}`);
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/perfil/senha-de-transacao');
    const second = (await me.rememberSessionTokens())!;
    expect(second.id).not.toBe(first.id);
    expect(authTime(second.record.accessToken)).toBeGreaterThanOrEqual(typedAt);
    expect(authTime(second.record.accessToken)).toBeGreaterThan(firstAuthTime!);
    expect((await me.get('/auth/me')).body).toMatchObject({ authenticated: true, customerId: customer.customerId });
  });

  it('when another method is used, then 405 with Allow: GET', async () => {
    const res = await new BffClient(dev).post('/auth/reauthenticate', {});
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});
