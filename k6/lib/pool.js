// The user pool, made in setup() through the public API (seed §8): registrations (KYC approves them automatically),
// each customer signed in once, its ledger account and a CPF PIX key, and a sandbox deposit under dual control (one
// operator requests, a second one approves).
// The sessions are handed to the VUs, which share them at the seed's ratio.
import { check, fail, sleep } from 'k6';
import { bff, operatorSignIn, signIn, useSession } from './bff.js';
import { OPERATOR_PASSWORD, OPERATOR_USER, SUPERVISOR_PASSWORD, SUPERVISOR_USER } from './config.js';
import { register } from './journeys.js';

const DEPOSIT = __ENV.POOL_DEPOSIT || '1000.00';

async function inBatches(items, size, fn) {
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

async function until(what, fn, timeoutSeconds = 90) {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v) return v;
    await sleep(0.5);
  }
  fail(`pool: ${what} not reached within ${timeoutSeconds} s`);
}

/** A request that a rate limit may refuse in setup: waits for Retry-After and tries again. */
async function patiently(call) {
  for (let attempt = 0; ; attempt++) {
    const res = await call();
    if (res.status !== 429 || attempt >= 5) return res;
    await sleep(Math.min(60, Number(res.headers['Retry-After'] || 5)));
  }
}

export async function createPool(size) {
  const t0 = Date.now();
  const registered = [];
  while (registered.length < size) {
    const batch = await inBatches(Array.from({ length: size - registered.length }), 10, () => register('setup'));
    registered.push(...batch.filter(Boolean));
    if (registered.length < size) await sleep(2);
    if (Date.now() - t0 > 300_000) fail(`pool: only ${registered.length} of ${size} registrations accepted`);
  }
  await inBatches(registered, 10, (u) =>
    until(`registration ${u.applicationId} ACTIVE`, async () => {
      const r = await bff('GET', `/api/v1/registrations/${u.applicationId}?token=${encodeURIComponent(u.statusToken)}`, null, 'registration_status', { phase: 'setup' });
      return r.status === 200 && r.json('status') === 'ACTIVE';
    }),
  );

  // One session per customer, opened one after the other: Keycloak refuses concurrent password grants of a user, and
  // a sign-in that carries another session's cookie would end that session.
  const pool = [];
  for (const u of registered) {
    useSession(undefined);
    const session = await signInPatiently(u);
    if (!session) fail(`pool: customer ${u.cpf} could not sign in`);
    const account = await until(`ledger account of ${u.cpf}`, async () => {
      const r = await bff('GET', '/api/v1/accounts/me', null, 'account', { phase: 'setup' });
      return r.status === 200 ? r.json('accountId') : undefined;
    });
    const key = await bff('POST', '/api/v1/pix/keys', JSON.stringify({ type: 'CPF', value: u.cpf }), 'pix_key', { phase: 'setup' });
    if (!check(key, { 'pool: CPF PIX key created': (r) => r.status === 201 || r.status === 409 })) fail(`pool: PIX key for ${u.cpf}: ${key.status} ${key.body}`);
    pool.push({ cpf: u.cpf, password: u.password, accountId: account, session });
  }
  useSession(undefined);

  const operator = await operatorSignIn(OPERATOR_USER, OPERATOR_PASSWORD);
  if (!operator) fail('pool: the operator could not sign in (OPERATOR_USER / OPERATOR_PASSWORD)');
  useSession(operator);
  const requests = await inBatches(pool, 10, async (u) => {
    const body = JSON.stringify({ accountId: u.accountId, amount: DEPOSIT, description: 'Depósito de teste de carga', reason: 'Saldo do teste de carga' });
    const r = await patiently(() => bff('POST', '/api/v1/admin/deposit-requests', body, 'deposit_request', { phase: 'setup' }));
    if (!check(r, { 'pool: deposit request 201': (x) => x.status === 201 })) fail(`pool: deposit request answered ${r.status} ${r.body}`);
    return r.json('id');
  });
  await bff('POST', '/auth/logout', null, 'operator_logout', { phase: 'setup' });
  useSession(undefined);
  const supervisor = await operatorSignIn(SUPERVISOR_USER, SUPERVISOR_PASSWORD);
  if (!supervisor) fail('pool: the second operator could not sign in (SUPERVISOR_USER / SUPERVISOR_PASSWORD)');
  useSession(supervisor);
  await inBatches(requests, 10, async (id) => {
    const r = await patiently(() => bff('POST', `/api/v1/admin/deposit-requests/${id}/approve`, '{}', 'deposit_approve', { phase: 'setup' }));
    if (!check(r, { 'pool: deposit approved 200': (x) => x.status === 200 })) fail(`pool: deposit approval answered ${r.status} ${r.body}`);
  });
  await bff('POST', '/auth/logout', null, 'operator_logout', { phase: 'setup' });
  useSession(undefined);
  console.log(`pool: ${pool.length} customers registered, signed in, keyed and funded with R$ ${DEPOSIT} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return pool;
}

async function signInPatiently(u) {
  for (let attempt = 0; attempt < 6; attempt++) {
    const session = await signIn(u.cpf, u.password, 'setup');
    if (session) return session;
    await sleep(attempt < 2 ? 1 : 10);
  }
  return undefined;
}
