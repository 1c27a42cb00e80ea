// Talking to the BFF as the browser does: JSON with the anti-forgery header `X-CSRF: 1`, the session in an HttpOnly
// cookie, 429 answers counted on their own (bank_rate_limited) and kept out of http_req_failed.
import http from 'k6/http';
import { check, sleep } from 'k6';
import { BASE_URL } from './config.js';
import { loginDuration, rateLimited, successfulLogins } from './metrics.js';

/** 2xx/3xx are expected; 429 is a rate limit, counted by bank_rate_limited instead of hiding among the errors. */
const expected = http.expectedStatuses({ min: 200, max: 399 }, 429);

/**
 * One request to the BFF. `step` names the journey step (tag `step`, and `name` so that URLs with ids group).
 * A string or null body is sent as is (JSON when a string); an object body is sent as multipart/form-data or a form.
 * @param {string} method
 * @param {string} path
 * @param {import('k6/http').RequestBody | null} body
 * @param {string} step
 * @param {{ headers?: Record<string, string>, phase?: string, redirects?: number }} [opts]
 */
export async function bff(method, path, body, step, opts = {}) {
  const { headers = {}, phase = 'journey', redirects } = opts;
  const h = { accept: 'application/json', 'x-csrf': '1', ...headers };
  if (typeof body === 'string') h['content-type'] = 'application/json';
  const params = { headers: h, tags: { step, name: step, phase }, responseCallback: expected };
  if (redirects !== undefined) params.redirects = redirects;
  const res = await http.asyncRequest(method, `${BASE_URL}${path}`, body, params);
  if (res.status === 429) rateLimited.add(1, { step, phase });
  else if ((res.status >= 400 || res.status === 0) && logged < 10) {
    logged += 1;
    console.warn(`${step}: ${method} ${path.replace(/\?.*/, '')} answered ${res.status} ${res.error || ''} ${String(res.body || '').slice(0, 200)}`);
  }
  return res;
}

/** Unexpected answers logged by this VU (the first ten: enough to see why a check failed). */
let logged = 0;

/** The session cookie's name and value from a sign-in answer (`krt-session`, or `__Host-krt-session` over https). */
export function sessionCookieOf(res) {
  for (const name of Object.keys(res.cookies)) {
    if (/krt-session$/.test(name) && res.cookies[name][0].value) return { name, value: res.cookies[name][0].value };
  }
  return undefined;
}

/** First-party CPF sign-in (`POST /auth/session`): 204 and a session cookie in this VU's jar. */
export async function signIn(cpf, password, phase = 'journey') {
  let res = await bff('POST', '/auth/session', JSON.stringify({ cpf, password }), 'login', { phase });
  // setup() waits out a sign-in rate limit (other traffic from this address may have used the window); the 429 is
  // still counted in bank_rate_limited{phase:setup}.
  for (let attempt = 0; phase === 'setup' && res.status === 429 && attempt < 5; attempt++) {
    await sleep(Math.min(65, Number(res.headers['Retry-After'] || 10)));
    res = await bff('POST', '/auth/session', JSON.stringify({ cpf, password }), 'login', { phase });
  }
  const ok = check(res, { 'sign-in answers 204 with a session cookie': (r) => r.status === 204 && sessionCookieOf(r) !== undefined });
  if (ok) {
    loginDuration.add(res.timings.duration, { phase });
    successfulLogins.add(1, { phase });
  }
  return ok ? sessionCookieOf(res) : undefined;
}

const decodeHtml = (s) => s.replace(/&amp;/g, '&').replace(/&#x2F;/g, '/').replace(/&#47;/g, '/').replace(/&quot;/g, '"');

/**
 * The operator's sign-in, the way a person signs in to the back office: the BFF's authorization-code flow with PKCE
 * (`/auth/login` → Keycloak's login form → `/auth/callback`). The operator has no CPF, so the first-party CPF sign-in
 * cannot serve. Keycloak marks its login cookies (AUTH_SESSION_ID, KC_RESTART) `Secure`, and k6's cookie jar (Go's)
 * sends Secure cookies over https only, so over plain http the form would answer "cookie not found": the script
 * carries those cookies to the form itself. The callback URL is the BFF's public URL; it is followed on BASE_URL, where
 * this VU's login cookie lives.
 */
export async function operatorSignIn(username, password) {
  const tags = (step) => ({ tags: { step, name: step, phase: 'setup' }, redirects: 0 });
  const start = await http.asyncRequest('GET', `${BASE_URL}/auth/login?returnUrl=%2F`, null, tags('operator_login'));
  if (!check(start, { 'operator: the BFF redirects to Keycloak': (r) => r.status === 302 && Boolean(r.headers.Location) })) return undefined;
  const page = await http.asyncRequest('GET', start.headers.Location, null, tags('operator_login_form'));
  const action = /<form[^>]*action="([^"]+)"/.exec(String(page.body || ''));
  if (!check(page, { 'operator: Keycloak shows its login form': (r) => r.status === 200 && action !== null })) return undefined;
  /** @type {Record<string, string>} */
  const keycloakCookies = {};
  for (const name of Object.keys(page.cookies)) keycloakCookies[name] = page.cookies[name][0].value;
  const form = await http.asyncRequest('POST', decodeHtml(action[1]), { username, password, credentialId: '' }, { ...tags('operator_login_submit'), cookies: keycloakCookies });
  if (!check(form, { 'operator: Keycloak accepts the credentials and redirects to the BFF': (r) => r.status === 302 && /\/auth\/callback\?/.test(r.headers.Location || '') })) {
    return undefined;
  }
  const callback = form.headers.Location.replace(/^https?:\/\/[^/]+/, BASE_URL);
  const done = await http.asyncRequest('GET', callback, null, tags('operator_callback'));
  const ok = check(done, { 'operator: the BFF opens a session': (r) => r.status === 303 && sessionCookieOf(r) !== undefined });
  return ok ? sessionCookieOf(done) : undefined;
}

/** Puts a session cookie in this VU's jar, or (undefined) empties the jar for the BFF. */
export function useSession(cookie) {
  const jar = http.cookieJar();
  if (cookie) jar.set(BASE_URL, cookie.name, cookie.value, { path: '/' });
  else jar.clear(BASE_URL);
}

/** The session cookie this VU's jar holds for the BFF, if any. */
export function currentSession(name) {
  const values = http.cookieJar().cookiesForURL(BASE_URL)[name];
  return values && values.length ? values[0] : undefined;
}
