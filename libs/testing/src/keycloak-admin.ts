// Test helpers that talk to the real Keycloak realm through the onboarding service account.
import { realmUrls, STACK_DEFAULTS, type KeycloakConfig } from '@krt/platform/config';
import { createHash, randomBytes, randomUUID } from 'node:crypto';

export const testKeycloak: KeycloakConfig = {
  KEYCLOAK_URL: STACK_DEFAULTS.keycloakUrl,
  KEYCLOAK_PUBLIC_URL: STACK_DEFAULTS.keycloakPublicUrl,
  KEYCLOAK_REALM: STACK_DEFAULTS.realm,
  API_AUDIENCE: STACK_DEFAULTS.apiAudience,
};
const urls = realmUrls(testKeycloak);

async function form(url: string, body: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function serviceAccountToken(): Promise<string> {
  const json = await form(urls.token, { grant_type: 'client_credentials', client_id: 'krt-onboarding', client_secret: 'krt-onboarding-dev-secret' });
  return json.access_token as string;
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
}

/** Creates an enabled user with a password (and optional realm role) in the krt-bank realm. */
export async function createRealmUser(opts: { username: string; password: string; email: string; roles?: string[]; customerId?: string }): Promise<TestUser> {
  const token = await serviceAccountToken();
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const res = await fetch(`${urls.admin}/users`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      username: opts.username,
      email: opts.email,
      emailVerified: true,
      firstName: 'Teste',
      lastName: 'KRT',
      enabled: true,
      attributes: opts.customerId ? { customer_id: [opts.customerId] } : undefined,
      credentials: [{ type: 'password', value: opts.password, temporary: false }],
    }),
  });
  if (res.status !== 201) throw new Error(`create user: ${res.status} ${await res.text()}`);
  const id = res.headers.get('location')!.split('/').pop()!;
  for (const role of opts.roles ?? []) {
    const r = await fetch(`${urls.admin}/roles/${role}`, { headers });
    const rep = await r.json();
    const add = await fetch(`${urls.admin}/users/${id}/role-mappings/realm`, { method: 'POST', headers, body: JSON.stringify([rep]) });
    if (!add.ok) throw new Error(`assign role ${role}: ${add.status}`);
  }
  return { id, username: opts.username, password: opts.password };
}

/** Direct grant with the BFF's confidential client, as the first-party CPF sign-in does. */
export async function passwordGrant(username: string, password: string) {
  return form(urls.token, { grant_type: 'password', client_id: 'krt-bff', client_secret: 'krt-bff-dev-secret', username, password, scope: 'openid' }) as Promise<{
    access_token: string;
    refresh_token: string;
    id_token: string;
    expires_in: number;
  }>;
}

/** Authorization code + PKCE through Keycloak's login page, as the BFF does: a token with a fresh auth_time. */
export async function codeFlowToken(username: string, password: string): Promise<string> {
  const realm = `${STACK_DEFAULTS.keycloakPublicUrl}/realms/${STACK_DEFAULTS.realm}/protocol/openid-connect`;
  const redirectUri = 'http://localhost:5000/auth/callback';
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorize = new URL(`${realm}/auth`);
  for (const [k, v] of Object.entries({ client_id: 'krt-bff', response_type: 'code', scope: 'openid', redirect_uri: redirectUri, state: randomUUID(), code_challenge: challenge, code_challenge_method: 'S256' })) {
    authorize.searchParams.set(k, v);
  }
  const page = await fetch(authorize, { redirect: 'manual' });
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const html = await page.text();
  const action = /<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no Keycloak login form (status ${page.status})`);
  const posted = await fetch(action.replace(/&amp;/g, '&'), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
    body: new URLSearchParams({ username, password, credentialId: '' }),
  });
  const code = new URL(posted.headers.get('location') ?? 'http://none/').searchParams.get('code');
  if (!code) throw new Error(`Keycloak did not redirect back with a code (status ${posted.status})`);
  const res = await fetch(`${realm}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: 'krt-bff', client_secret: 'krt-bff-dev-secret', code_verifier: verifier }),
  });
  const json = (await res.json()) as { access_token?: string };
  if (!json.access_token) throw new Error(`code exchange failed: ${res.status} ${JSON.stringify(json)}`);
  return json.access_token;
}
