// The customer journeys of the mix, through the BFF with this VU's session.
import http from 'k6/http';
import { check, fail, sleep } from 'k6';
import { bff, signIn, useSession } from './bff.js';
import { DOCUMENT_JPEG, POOL_PIN, SELFIE_PNG, newCustomer, uuid } from './data.js';
import { balanceDuration, dashboardDuration, pixDuration, registerDuration, statementDuration, successfulPix, successfulRegistrations } from './metrics.js';

/**
 * A call with the VU's session; on 401 (the session expired or ended) the VU signs its user in again and retries once.
 * Keycloak refuses concurrent password grants of one user (brute-force protection): a renewal that loses that race
 * waits a little and tries again.
 */
export async function withSession(user, call) {
  let res = await call();
  if (res.status !== 401) return res;
  for (let attempt = 0; attempt < 4; attempt++) {
    useSession(undefined);
    const cookie = await signIn(user.cpf, user.password);
    if (cookie) {
      res = await call();
      return res;
    }
    await sleep(0.2 + Math.random() * (attempt + 1));
  }
  return res;
}

export async function balance(user) {
  const res = await withSession(user, () => bff('GET', '/api/v1/accounts/me/balance', null, 'balance'));
  if (check(res, { 'balance 200 with available amount': (r) => r.status === 200 && typeof r.json('available') === 'string' })) balanceDuration.add(res.timings.duration);
}

export async function statement(user) {
  const res = await withSession(user, () => bff('GET', '/api/v1/accounts/me/statement?limit=20', null, 'statement'));
  if (check(res, { 'statement 200 with items': (r) => r.status === 200 && Array.isArray(r.json('items')) })) statementDuration.add(res.timings.duration);
}

export async function dashboard(user) {
  const res = await withSession(user, () => bff('GET', '/api/v1/dashboard', null, 'dashboard'));
  const ok = check(res, {
    'dashboard 200': (r) => r.status === 200,
    'dashboard complete (no part missing)': (r) => r.status === 200 && Array.isArray(r.json('partial')) && r.json('partial').length === 0,
  });
  if (ok) dashboardDuration.add(res.timings.duration);
}

const FINAL = { COMPLETED: true, FAILED: true };

/**
 * PIX by key (the recipient's CPF key) with an Idempotency-Key, followed to its final status: bank_pix_duration runs
 * from the POST until the transfer is seen COMPLETED or FAILED. With `replay`, the same request is sent again and must
 * come back as the first answer marked `Idempotent-Replayed: true`.
 */
export async function pix(user, recipient, { replay = false, pollSeconds = 0.25, timeoutSeconds = 30 } = {}) {
  const key = uuid();
  const amount = `0.${String(1 + Math.floor(Math.random() * 98)).padStart(2, '0')}`;
  const body = JSON.stringify({ key: recipient.cpf, amount, description: 'Pix de teste de carga', pin: POOL_PIN });
  const started = Date.now();
  const post = () => bff('POST', '/api/v1/pix/transfers', body, 'pix', { headers: { 'idempotency-key': key } });
  const res = await withSession(user, post);
  if (!check(res, { 'pix accepted (202)': (r) => r.status === 202 && typeof r.json('id') === 'string' })) return;
  const id = res.json('id');
  if (replay) {
    const again = await bff('POST', '/api/v1/pix/transfers', body, 'pix_replay', { headers: { 'idempotency-key': key } });
    check(again, { 'pix replay is the first answer, marked Idempotent-Replayed': (r) => r.status === 202 && r.headers['Idempotent-Replayed'] === 'true' && r.json('id') === id });
  }
  let status = res.json('status');
  while (!FINAL[status] && Date.now() - started < timeoutSeconds * 1000) {
    await sleep(pollSeconds);
    const r = await withSession(user, () => bff('GET', `/api/v1/pix/transfers/${id}`, null, 'pix_status'));
    if (r.status === 200) status = r.json('status');
  }
  pixDuration.add(Date.now() - started);
  if (check(status, { 'pix completed': (s) => s === 'COMPLETED' })) successfulPix.add(1);
}

/** Account opening: the real multipart registration with two small images (public route, no session needed). */
export async function register(phase = 'journey') {
  const customer = newCustomer();
  const form = {
    ...customer.fields,
    documentImage: http.file(DOCUMENT_JPEG, 'documento.jpg', 'image/jpeg'),
    selfieImage: http.file(SELFIE_PNG, 'selfie.png', 'image/png'),
  };
  let res = await bff('POST', '/api/v1/registrations', form, 'register', { phase });
  // setup() waits out the registration rate limit (the BFF's per minute, onboarding's per 10 minutes: other traffic from
  // this address may have used the window) for up to 3 minutes; each 429 is still counted in bank_rate_limited.
  for (let waited = 0; phase === 'setup' && res.status === 429 && waited < 180; ) {
    const seconds = Math.min(30, Math.max(1, Number(res.headers['Retry-After'] || 5)));
    await sleep(seconds);
    waited += seconds;
    res = await bff('POST', '/api/v1/registrations', form, 'register', { phase });
  }
  if (phase === 'setup' && res.status === 429) fail(`pool: registrations are still rate-limited after 3 minutes (Retry-After ${res.headers['Retry-After']} s): start the apps with KRT_PROFILE=load, or wait`);
  const ok = check(res, { 'registration accepted (201)': (r) => r.status === 201 && typeof r.json('applicationId') === 'string' });
  if (!ok) return undefined;
  registerDuration.add(res.timings.duration, { phase });
  successfulRegistrations.add(1, { phase });
  return { cpf: customer.cpf, password: customer.fields.password, applicationId: res.json('applicationId'), statusToken: res.json('statusToken') };
}
