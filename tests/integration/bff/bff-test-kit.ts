// Test kit for the BFF: an in-process BFF on a random port against the real stack (Keycloak, Redis, Kafka, RabbitMQ,
// the stack's payments/onboarding), a browser-like client with a cookie jar that checks EVERY response for tokens,
// customers with Keycloak users and ledger accounts, and the Keycloak browser sign-in driven without a browser.
import { TOPICS, type Envelope } from '@krt/contracts';
import { generateCpf } from '@krt/domain';
import { listen, type RunningServer } from '@krt/platform/http';
import { createKafka } from '@krt/platform/messaging';
import { createLogger } from '@krt/platform/telemetry';
import { createRealmUser, eventually, fundAccount, passwordGrant } from '@krt/testing';
import { randomInt, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { loadBffConfig } from '../../../apps/bff/src/config';
import { createBffRuntime, type BffRuntime } from '../../../apps/bff/src/runtime';

export const PAYMENTS_URL = 'http://127.0.0.1:5002';
export const PASSWORD = 'Krt#Bff2026';
/** The transaction PIN of every newBankCustomer() (as in the payments kit): each PIX, devolução and limit change sends it. */
export const TEST_PIN = '4721';

// ---------------------------------------------------------------------------------------------------------------
// Token-leak guard: every response any BffClient receives is checked for JWTs and for the real tokens of every
// session the suite created.

const JWT_RE = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;
const knownTokens = new Set<string>();
const seen: Array<{ what: string; text: string }> = [];
let responsesChecked = 0;

export function rememberTokens(...tokens: Array<string | undefined>) {
  for (const t of tokens) if (t) knownTokens.add(t);
  // Responses seen before a token was known are checked again.
  for (const s of seen) assertNoToken(s.what, s.text);
}

function assertNoToken(what: string, text: string) {
  expect(JWT_RE.test(text), `${what} contains something that looks like a JWT`).toBe(false);
  for (const t of knownTokens) {
    expect(text.includes(t), `${what} contains a session token`).toBe(false);
    // a token without its signature is still a token
    expect(text.includes(t.split('.').slice(0, 2).join('.')), `${what} contains a token's header and claims`).toBe(false);
  }
}

export function headerLines(headers: Headers) {
  const lines: string[] = [];
  headers.forEach((v, k) => lines.push(`${k}: ${v}`));
  return lines.join('\n');
}

/** Checks a text the kit's client did not fetch itself (e.g. an event stream) for tokens, now and at every later sign-in. */
export function checkForTokens(what: string, text: string) {
  responsesChecked++;
  seen.push({ what, text });
  assertNoToken(what, text);
}

export function tokenGuardStats() {
  return { responsesChecked, knownTokens: knownTokens.size };
}

// ---------------------------------------------------------------------------------------------------------------

export interface TestBff {
  url: string;
  rt: BffRuntime;
  server: RunningServer;
  close(): Promise<void>;
}

/** Starts a BFF in this process. Each test BFF has its own Redis key prefix, so rate limits do not leak between tests. */
export async function startBff(env: Record<string, string> = {}): Promise<TestBff> {
  const cfg = loadBffConfig({
    NODE_ENV: 'test',
    PUBLIC_URL: 'http://localhost:5000',
    REDIS_KEY_PREFIX: `bfftest:${randomUUID().slice(0, 8)}:`,
    LIVE_EVENTS: 'false',
    ...env,
  });
  const rt = await createBffRuntime(cfg, createLogger('bff-test', { level: process.env.BFF_TEST_LOG ?? 'warn' }));
  const server = await listen(rt.app, 0);
  return {
    url: `http://127.0.0.1:${server.port}`,
    rt,
    server,
    close: async () => {
      await server.close();
      await rt.stop();
    },
  };
}

export interface Res<T = any> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
  setCookies: string[];
}

/** A browser-like client: a cookie jar (HttpOnly cookies included, as the browser keeps them), X-CSRF by default. */
export class BffClient {
  readonly jar = new Map<string, string>();
  constructor(
    readonly bff: { url: string; rt: BffRuntime },
    readonly opts: { csrf?: boolean } = {},
  ) {}

  cookieHeader() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get sessionId(): string | undefined {
    return this.jar.get('krt-session') ?? this.jar.get('__Host-krt-session');
  }

  async request<T = any>(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; csrf?: boolean; raw?: BodyInit } = {}): Promise<Res<T>> {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (init.csrf ?? this.opts.csrf ?? true) headers['x-csrf'] = '1';
    if (this.jar.size) headers.cookie = this.cookieHeader();
    let body: BodyInit | undefined = init.raw;
    if (init.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.body);
    }
    const res = await fetch(`${this.bff.url}${path}`, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    return this.absorb(`${method} ${path}`, res, text) as Res<T>;
  }

  absorb(what: string, res: Response, text: string): Res {
    const setCookies = res.headers.getSetCookie();
    for (const sc of setCookies) {
      const [pair, ...attrs] = sc.split(';').map((s) => s.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      // Nothing the BFF sets may be readable by page scripts.
      expect(attrs.map((a) => a.toLowerCase()), `${what}: cookie ${name} must be HttpOnly`).toContain('httponly');
      const maxAge = attrs.find((a) => a.toLowerCase().startsWith('max-age='));
      if (maxAge && Number(maxAge.split('=')[1]) <= 0) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    const headerText = headerLines(res.headers);
    const all = `${headerText}\n\n${text}`;
    responsesChecked++;
    seen.push({ what, text: all });
    assertNoToken(what, all);
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, headers: res.headers, text, body, setCookies };
  }

  get<T = any>(path: string, init?: Parameters<BffClient['request']>[2]) {
    return this.request<T>('GET', path, init);
  }
  post<T = any>(path: string, body?: unknown, init: Parameters<BffClient['request']>[2] = {}) {
    return this.request<T>('POST', path, { ...init, body });
  }

  /** First-party sign-in; remembers the new session's tokens for the leak guard. */
  async signIn(cpf: string, password = PASSWORD) {
    const res = await this.post('/auth/session', { cpf, password });
    await this.rememberSessionTokens();
    return res;
  }

  async rememberSessionTokens() {
    const s = await this.bff.rt.deps.sessions.peek(this.sessionId);
    if (s) rememberTokens(s.record.accessToken, s.record.refreshToken, s.record.idToken);
    return s;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Customers

export interface TestCustomer {
  customerId: string;
  userId: string;
  cpf: string;
  fullName: string;
}

export const newCpf = () => generateCpf((n) => randomInt(n)).value;

/** A Keycloak user with a customer_id (username = CPF digits, role customer). */
export async function newRealmCustomer(): Promise<TestCustomer> {
  const cpf = newCpf();
  const customerId = randomUUID();
  const fullName = `Cliente ${customerId.slice(0, 4)} da Silva`;
  const user = await createRealmUser({ username: cpf, password: PASSWORD, email: `bff-${customerId.slice(0, 8)}@teste.krt.dev`, customerId, roles: ['customer'] });
  return { customerId, userId: user.id, cpf, fullName };
}

type Producer = ReturnType<ReturnType<typeof createKafka>['producer']>;
let producer: Promise<Producer> | undefined;
async function publish(topic: string, key: string, envelope: Envelope) {
  producer ??= (async () => {
    const p = createKafka('bff-test', '127.0.0.1:9092').producer({ allowAutoTopicCreation: false });
    await p.connect();
    return p;
  })();
  await (await producer).send({ topic, messages: [{ key, value: JSON.stringify(envelope) }] });
}
export async function closeTestKit() {
  const p = producer;
  producer = undefined;
  await (await p)?.disconnect().catch(() => undefined);
}

/** A realm customer whose ledger account was opened by the stack's Account consumer (account.created on Kafka), with TEST_PIN. */
export async function newBankCustomer(): Promise<TestCustomer & { accountId: string }> {
  const c = await newRealmCustomer();
  await publish(TOPICS.accountCreated, c.customerId, {
    eventId: randomUUID(),
    type: TOPICS.accountCreated,
    occurredAt: new Date().toISOString(),
    aggregateId: c.customerId,
    correlationId: `bff-test-${randomUUID()}`,
    schemaVersion: 1,
    payload: { customerId: c.customerId, keycloakUserId: c.userId, fullName: c.fullName, cpf: c.cpf, email: `bff-${c.customerId.slice(0, 8)}@teste.krt.dev`, phone: '+5511987654321' },
  });
  const { access_token } = await passwordGrant(c.cpf, PASSWORD);
  const accountId = await eventually(
    async () => {
      const r = await fetch(`${PAYMENTS_URL}/v1/accounts/me`, { headers: { authorization: `Bearer ${access_token}` } });
      return r.status === 200 ? ((await r.json()) as { accountId: string }).accountId : undefined;
    },
    { timeoutMs: 30_000, what: 'ledger account opened by the Account consumer' },
  );
  // The first PIN, as a customer from before the PIN sets it before their first PIX.
  const pin = await fetch(`${PAYMENTS_URL}/v1/pix/pin`, {
    method: 'POST',
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ pin: TEST_PIN }),
  });
  if (pin.status !== 204) throw new Error(`transaction PIN: ${pin.status} ${await pin.text()}`);
  return { ...c, accountId };
}

/** A sandbox deposit under dual control, straight to payments (@krt/testing fundAccount). */
export async function depositTo(accountId: string, amount: string) {
  await fundAccount(accountId, amount, { paymentsUrl: PAYMENTS_URL, description: 'Depósito de teste (BFF)' });
}

// ---------------------------------------------------------------------------------------------------------------
// Keycloak browser sign-in without a browser: follow the redirect, post the login form, hand the code to the BFF.

class Jar {
  private readonly cookies = new Map<string, string>();
  absorb(res: Response) {
    for (const sc of res.headers.getSetCookie()) {
      const pair = sc.split(';')[0]!;
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Undoes the HTML escaping of a URL in a Keycloak page. */
export const decodeHtml = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x2F;/g, '/').replace(/&quot;/g, '"');

/** Keycloak's cookies for one browser. */
export class KeycloakBrowser {
  private readonly cookies = new Map<string, string>();
  async fetch(url: string, form?: Record<string, string>) {
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method: form ? 'POST' : 'GET', headers, body: form ? new URLSearchParams(form) : undefined, redirect: 'manual' });
    for (const sc of res.headers.getSetCookie()) {
      const pair = sc.split(';')[0]!;
      this.cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    return { status: res.status, location: res.headers.get('location'), html: await res.text() };
  }
}

/** The action URL of the form with this id on a Keycloak page. */
export const formAction = (html: string, id: string) => {
  const action = new RegExp(`<form[^>]*id="${id}"[^>]*action="([^"]+)"`).exec(html)?.[1] ?? new RegExp(`<form[^>]*action="([^"]+)"[^>]*id="${id}"`).exec(html)?.[1];
  if (!action) throw new Error(`no form #${id} on the Keycloak page`);
  return decodeHtml(action);
};

/** Runs GET /auth/login → Keycloak login form → /auth/callback. Returns the BFF's final answer (303 to returnUrl). */
export async function browserSignIn(client: BffClient, username: string, password: string, returnUrl = '/inicio') {
  const start = await client.get(`/auth/login?returnUrl=${encodeURIComponent(returnUrl)}`);
  expect(start.status).toBe(302);
  const authorizeUrl = start.headers.get('location')!;
  const kc = new Jar();
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  kc.absorb(page);
  const html = await page.text();
  const action = /<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/.exec(html)?.[1] ?? /action="([^"]+login-actions\/authenticate[^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no Keycloak login form (status ${page.status})`);
  const posted = await fetch(decodeHtml(action), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: kc.header() },
    body: new URLSearchParams({ username, password, credentialId: '' }),
  });
  const back = posted.headers.get('location');
  if (posted.status !== 302 || !back) throw new Error(`Keycloak did not redirect back (status ${posted.status})`);
  const callback = new URL(back);
  expect(`${callback.origin}${callback.pathname}`).toBe('http://localhost:5000/auth/callback');
  const done = await client.get(`/auth/callback${callback.search}`);
  await client.rememberSessionTokens();
  return { start, authorizeUrl, done };
}

// ---------------------------------------------------------------------------------------------------------------
// Keycloak admin (master realm): the short-token-lifetime client for the refresh tests.

const KC = 'http://127.0.0.1:8080';

async function masterAdminToken() {
  const res = await fetch(`${KC}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: 'admin', password: 'admin' }),
  });
  if (!res.ok) throw new Error(`master admin token: ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export const SHORT_CLIENT = { id: 'krt-bff-test', secret: 'krt-bff-test-secret', accessTokenSeconds: 8 };

/** Ensures the confidential client `krt-bff-test` exists: like krt-bff, but its access tokens live 8 seconds. */
export async function ensureShortLivedClient() {
  const token = await masterAdminToken();
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const base = `${KC}/admin/realms/krt-bank/clients`;
  const found = (await (await fetch(`${base}?clientId=${SHORT_CLIENT.id}`, { headers })).json()) as Array<{ id: string }>;
  const representation = {
    clientId: SHORT_CLIENT.id,
    name: 'KRT Bank BFF (tests: short-lived access tokens)',
    enabled: true,
    protocol: 'openid-connect',
    publicClient: false,
    clientAuthenticatorType: 'client-secret',
    secret: SHORT_CLIENT.secret,
    standardFlowEnabled: true,
    directAccessGrantsEnabled: true,
    serviceAccountsEnabled: false,
    redirectUris: ['http://localhost:5000/auth/callback'],
    attributes: { 'access.token.lifespan': String(SHORT_CLIENT.accessTokenSeconds), 'pkce.code.challenge.method': 'S256', 'use.refresh.tokens': 'true' },
    defaultClientScopes: ['web-origins', 'acr', 'profile', 'roles', 'email', 'basic'],
    protocolMappers: [
      {
        name: 'krt-api audience',
        protocol: 'openid-connect',
        protocolMapper: 'oidc-audience-mapper',
        config: { 'included.custom.audience': 'krt-api', 'access.token.claim': 'true', 'id.token.claim': 'false', 'introspection.token.claim': 'true' },
      },
      {
        name: 'customer id',
        protocol: 'openid-connect',
        protocolMapper: 'oidc-usermodel-attribute-mapper',
        config: { 'user.attribute': 'customer_id', 'claim.name': 'customer_id', 'jsonType.label': 'String', 'access.token.claim': 'true', 'id.token.claim': 'true', 'userinfo.token.claim': 'true' },
      },
    ],
  };
  if (found.length) return;
  const res = await fetch(base, { method: 'POST', headers, body: JSON.stringify(representation) });
  if (res.status !== 201 && res.status !== 409) throw new Error(`create ${SHORT_CLIENT.id}: ${res.status} ${await res.text()}`);
}

/** Calls Keycloak's token endpoint with a refresh token, as the BFF would: did Keycloak still accept it? */
export async function refreshAccepted(refreshToken: string, clientId = 'krt-bff', clientSecret = 'krt-bff-dev-secret') {
  const res = await fetch(`${KC}/realms/krt-bank/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken }),
  });
  await res.text();
  return res.ok;
}

export async function revokeAtKeycloak(refreshToken: string, clientId: string, clientSecret: string) {
  const res = await fetch(`${KC}/realms/krt-bank/protocol/openid-connect/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, token: refreshToken, token_type_hint: 'refresh_token' }),
  });
  if (!res.ok) throw new Error(`revoke: ${res.status}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
