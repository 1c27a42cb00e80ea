// Attacker's checklist — sign-in brute force: the BFF's per-IP limit against credential stuffing (many CPFs), the
// realm's brute-force lockout (Keycloak) behind it, and no account enumeration in the answers. Fresh users only:
// Keycloak's lockout is realm-wide, so the operator and the demo customer are never used here.
import { realmUrls } from '@krt/platform/config';
import { testKeycloak } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BffClient, closeTestKit, newCpf, newRealmCustomer, PASSWORD, startBff, type TestBff } from '../bff/bff-test-kit';

const admin = realmUrls(testKeycloak).admin;

async function masterAdminToken() {
  const res = await fetch('http://127.0.0.1:8080/realms/master/protocol/openid-connect/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: 'admin', password: 'admin' }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function lockoutOf(userId: string): Promise<{ disabled: boolean; numFailures: number }> {
  const res = await fetch(`${admin}/attack-detection/brute-force/users/${userId}`, { headers: { authorization: `Bearer ${await masterAdminToken()}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as { disabled: boolean; numFailures: number };
}

let defaults: TestBff;
let lenient: TestBff;

beforeAll(async () => {
  // The BFF as configured for production (its own Redis prefix, so other suites' attempts do not count), and one whose
  // own limits are out of the way so that Keycloak's lockout can be seen behind it.
  [defaults, lenient] = await Promise.all([startBff(), startBff({ RATE_LIMIT_SIGNIN_PER_IP: '1000', RATE_LIMIT_SIGNIN_PER_IP_CPF: '1000', RATE_LIMIT_AUTH_PER_IP: '1000' })]);
});
afterAll(async () => {
  await defaults?.close();
  await lenient?.close();
  await closeTestKit();
});

describe('sign-in brute force', () => {
  it('when one address tries many different CPFs (credential stuffing), then after the per-IP limit every further attempt gets 429 with Retry-After, whatever the CPF', async () => {
    const limit = defaults.rt.deps.cfg.RATE_LIMIT_SIGNIN_PER_IP;
    expect(limit).toBeGreaterThan(0);
    const client = new BffClient(defaults);
    const statuses: number[] = [];
    for (let i = 0; i < limit; i++) statuses.push((await client.post('/auth/session', { cpf: newCpf(), password: 'Chute#123' })).status);
    expect(statuses.every((s) => s === 401)).toBe(true);
    const blocked = await client.post('/auth/session', { cpf: newCpf(), password: 'Chute#123' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.body.code).toBeTruthy();
    expect(blocked.setCookies).toEqual([]);
  });

  it("when someone guesses a customer's password five times, then Keycloak locks the account: even the right password is refused, with the same answer as a wrong one", async () => {
    const victim = await newRealmCustomer();
    const client = new BffClient(lenient);
    for (let i = 0; i < 5; i++) {
      const r = await client.post('/auth/session', { cpf: victim.cpf, password: `Errada#${i}x` });
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('CREDENCIAIS_INVALIDAS');
    }
    const right = await client.post('/auth/session', { cpf: victim.cpf, password: PASSWORD });
    expect(right.status).toBe(401);
    expect(right.body.code).toBe('CREDENCIAIS_INVALIDAS');
    expect(client.sessionId).toBeUndefined();
    const state = await lockoutOf(victim.userId);
    expect(state.disabled).toBe(true);
    // Rapid failures lock sooner (quick-login check: two failures within a second); locked attempts are not counted.
    expect(state.numFailures).toBeGreaterThanOrEqual(2);

    // An operator clears the lockout; the customer gets in again.
    const cleared = await fetch(`${admin}/attack-detection/brute-force/users/${victim.userId}`, { method: 'DELETE', headers: { authorization: `Bearer ${await masterAdminToken()}` } });
    expect(cleared.status).toBe(204);
    expect((await client.post('/auth/session', { cpf: victim.cpf, password: PASSWORD })).status).toBe(204);
  });

  it('when the CPF is unknown, the password wrong, or the account locked, then the answers are indistinguishable (no account enumeration)', async () => {
    const known = await newRealmCustomer();
    const client = new BffClient(lenient);
    const unknown = await client.post('/auth/session', { cpf: newCpf(), password: 'Qualquer#1' });
    const wrong = await client.post('/auth/session', { cpf: known.cpf, password: 'Qualquer#1' });
    const shape = (r: typeof unknown) => ({ status: r.status, code: r.body.code, message: r.body.message, title: r.body.title, type: r.body.type });
    expect(shape(unknown)).toEqual(shape(wrong));
    expect(unknown.status).toBe(401);
  });
});
