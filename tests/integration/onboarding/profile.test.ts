import { codeFlowToken, passwordGrant } from '@krt/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, newApplicant, register, startOnboarding, type Applicant, type Harness } from './onboarding-harness';

const patch = (token: string, body: unknown) => ({ method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the signed-in customer profile', () => {
  let h: Harness;
  let a: Applicant;
  /** A password grant's token: no auth_time, so no proof of a password typed just now. */
  let token: string;
  /** Through Keycloak's login page, as the BFF's step-up (/auth/reauthenticate) gets it: a fresh auth_time. */
  let fresh: string;
  beforeAll(async () => {
    h = await startOnboarding();
    a = newApplicant();
    expect((await register(h.url, a)).body.status).toBe('ACTIVE');
    token = (await passwordGrant(a.cpf, a.password)).access_token;
    fresh = await codeFlowToken(a.cpf, a.password);
  });
  afterAll(async () => h?.stop());

  it('when the customer changes e-mail, phone and address, then the profile shows them and Keycloak has the new e-mail', async () => {
    const email = `novo-${randomUUID().slice(0, 8)}@example.com`;
    const res = await getJson(`${h.url}/v1/customers/me`, fresh, patch(fresh, {
      email: email.toUpperCase(),
      phone: '(21) 9' + String(Date.now()).slice(-8),
      address: { cep: '20040002', street: 'Rua da Assembleia', number: '10', neighborhood: 'Centro', city: 'Rio de Janeiro', state: 'rj' },
    }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email, phone: expect.stringMatching(/^\+5521/), address: { cep: '20040002', state: 'RJ', complement: null } });
    // Shown masked unless the edit form asks for the contact details.
    const shown = (await getJson(`${h.url}/v1/customers/me`, token)).body;
    expect(shown.email).toBe(`${email[0]}***@example.com`);
    expect(shown.phone).toMatch(/^\(21\) \*{5}-\d{4}$/);
    expect(shown.cpf).toMatch(/^\*\*\*\.\d{3}\.\d{3}-\*\*$/);
    const forEdit = (await getJson(`${h.url}/v1/customers/me?reveal=contact`, token)).body;
    expect(forEdit.email).toBe(email);
    expect(forEdit.phone).toBe(res.body.phone);
    const kcUser = await h.onboarding.keycloak.findUserByUsername(a.cpf);
    expect(kcUser?.email).toBe(email);
  });

  it('when the new values are malformed, then 422 with field errors and nothing changes', async () => {
    const before = (await getJson(`${h.url}/v1/customers/me`, token)).body;
    const res = await getJson(`${h.url}/v1/customers/me`, token, patch(token, { email: 'nope', phone: '123', address: { cep: 'x', street: 'R', number: '1', neighborhood: 'B', city: 'C', state: 'ZZ' } }));
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)).toEqual(['email:EMAIL_INVALID', 'phone:PHONE_INVALID', 'address.cep:CEP_INVALID', 'address.state:STATE_INVALID']);
    expect((await getJson(`${h.url}/v1/customers/me`, token)).body).toEqual(before);
  });

  it('when the new e-mail belongs to another customer, then 409 EMAIL_ALREADY_REGISTERED', async () => {
    const other = newApplicant();
    await register(h.url, other);
    const res = await getJson(`${h.url}/v1/customers/me`, fresh, patch(fresh, { email: other.email }));
    expect(res).toMatchObject({ status: 409, body: { code: 'EMAIL_ALREADY_REGISTERED' } });
  });

  it('when the e-mail or phone is changed without the password typed just now, then 403 REAUTHENTICATION_REQUIRED and nothing changes; an address alone needs no step-up', async () => {
    const before = (await getJson(`${h.url}/v1/customers/me?reveal=contact`, token)).body;
    const events = async () =>
      Number((await h.onboarding.pool.query("SELECT count(*) AS n FROM outbox WHERE topic = 'customer.contact-changed' AND envelope->>'aggregateId' = $1", [before.customerId])).rows[0].n);
    const eventsBefore = await events();
    for (const change of [{ email: `outro-${randomUUID().slice(0, 8)}@example.com` }, { phone: '(31) 98877-6655' }]) {
      const refused = await getJson(`${h.url}/v1/customers/me`, token, patch(token, change));
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'REAUTHENTICATION_REQUIRED', message: 'Confirme sua senha para alterar seu e-mail ou celular.' });
    }
    const address = { cep: '30130010', street: 'Avenida Afonso Pena', number: '1000', neighborhood: 'Centro', city: 'Belo Horizonte', state: 'MG' };
    const moved = await getJson(`${h.url}/v1/customers/me`, token, patch(token, { address }));
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ email: before.email, phone: before.phone, address: { city: 'Belo Horizonte' } });
    expect(await events()).toBe(eventsBefore);
    expect((await h.onboarding.keycloak.findUserByUsername(a.cpf))?.email).toBe(before.email);

    // The same kind of token as the change above took, older than the allowed age, is refused too.
    const strict = await startOnboarding({ ONBOARDING_CONTACT_CHANGE_MAX_AUTH_AGE_SECONDS: '1' });
    try {
      const typed = await codeFlowToken(a.cpf, a.password);
      await new Promise((r) => setTimeout(r, 2200));
      const stale = await getJson(`${strict.url}/v1/customers/me`, typed, patch(typed, { phone: '(31) 98877-6655' }));
      expect(stale).toMatchObject({ status: 403, body: { code: 'REAUTHENTICATION_REQUIRED' } });
    } finally {
      await strict.stop();
    }
    expect((await getJson(`${h.url}/v1/customers/me?reveal=contact`, token)).body.phone).toBe(before.phone);
  });

  it('when someone without a customer id (the operator) asks for the profile, then 404; without a token, 401', async () => {
    const admin = (await passwordGrant('operador', 'Operador@2026')).access_token;
    expect((await getJson(`${h.url}/v1/customers/me`, admin)).body.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await getJson(`${h.url}/v1/customers/me`)).status).toBe(401);
  });
});
