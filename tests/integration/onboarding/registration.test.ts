import { TOPICS, accountCreatedPayload } from '@krt/contracts';
import { eventually, passwordGrant } from '@krt/testing';
import { DEV_TRANSACTION_PIN_KEY, hashTransactionPin, parseTransactionPinKey } from '@krt/platform/auth';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, newApplicant, register, startOnboarding, type Harness } from './onboarding-harness';
import { probeTopic } from './kafka-probe';

const PAYMENTS = 'http://127.0.0.1:5002';

describe('registration → automatic KYC → Keycloak → account.created → payments account', () => {
  let h: Harness;
  let probe: Awaited<ReturnType<typeof probeTopic>>;
  beforeAll(async () => {
    [h, probe] = await Promise.all([startOnboarding(), probeTopic(TOPICS.accountCreated)]);
  });
  afterAll(async () => {
    await probe?.stop();
    await h?.stop();
  });

  it('when a clean applicant registers, then the customer is ACTIVE, signs in with CPF + password, account.created is published once and payments opens a zero-balance account', async () => {
    const applicant = newApplicant();
    const res = await register(h.url, applicant);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ applicationId: expect.any(String), status: 'ACTIVE', statusToken: expect.any(String) });
    const customerId = res.body.applicationId as string;

    // the public status with the token
    const status = await getJson(`${h.url}/v1/registrations/${customerId}?token=${res.body.statusToken}`);
    expect(status).toMatchObject({ status: 200, body: { applicationId: customerId, status: 'ACTIVE' } });
    expect((await getJson(`${h.url}/v1/registrations/${customerId}?token=${'x'.repeat(43)}`)).status).toBe(404);

    // Keycloak: CPF + password, role customer, claim customer_id
    const tokens = await passwordGrant(applicant.cpf, applicant.password);
    const claims = decodeJwt(tokens.access_token) as { customer_id?: string; preferred_username?: string; realm_access?: { roles: string[] }; email?: string };
    expect(claims.customer_id).toBe(customerId);
    expect(claims.preferred_username).toBe(applicant.cpf);
    expect(claims.realm_access?.roles).toContain('customer');

    // account.created on Kafka, with the shared payload schema, keyed by the customer id
    const event = await eventually(async () => probe.seen.find((m) => m.envelope.payload?.customerId === customerId), { timeoutMs: 20_000, what: 'account.created on Kafka' });
    expect(event.key).toBe(customerId);
    expect(event.envelope.type).toBe('account.created');
    expect(accountCreatedPayload.parse(event.envelope.payload)).toEqual({
      customerId,
      keycloakUserId: expect.any(String),
      fullName: applicant.fullName,
      cpf: applicant.cpf,
      email: applicant.email,
      phone: applicant.phone,
      // the PIN chosen at registration travels only as its keyed hash, bound to the customer
      transactionPinHash: hashTransactionPin(parseTransactionPinKey(DEV_TRANSACTION_PIN_KEY), customerId, applicant.transactionPin!),
    });
    expect(JSON.stringify(event.envelope)).not.toContain(`"${applicant.transactionPin}"`);
    // wiped from onboarding with the sealed password once provisioned
    const { rows } = await h.onboarding.pool.query('SELECT transaction_pin_hash, password_ciphertext FROM provisioning WHERE customer_id = $1', [customerId]);
    expect(rows).toEqual([{ transaction_pin_hash: null, password_ciphertext: null }]);
    expect(h.logs.join('\n')).not.toMatch(/transactionPin|"pin"/);
    expect(event.envelope.payload.keycloakUserId).toBe(decodeJwt(tokens.access_token).sub);

    // the profile, CPF masked (e-mail and phone whole, as the profile edit form asks for them)
    const me = await getJson(`${h.url}/v1/customers/me?reveal=contact`, tokens.access_token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ customerId, fullName: applicant.fullName, status: 'ACTIVE', email: applicant.email, phone: applicant.phone });
    expect(me.body.cpf).toBe(`***.${applicant.cpf.slice(3, 6)}.${applicant.cpf.slice(6, 9)}-**`);

    // payments opened the ledger account through Kafka, with zero balance
    const account = await eventually(async () => {
      const r = await getJson(`${PAYMENTS}/v1/accounts/me`, tokens.access_token);
      return r.status === 200 ? r.body : undefined;
    }, { timeoutMs: 30_000, what: 'payments account opened' });
    expect(account).toMatchObject({ customerId, status: expect.any(String) });
    const balance = await getJson(`${PAYMENTS}/v1/accounts/me/balance`, tokens.access_token);
    expect(balance.status).toBe(200);
    expect(balance.body).toMatchObject({ available: '0.00', currency: 'BRL' });
    // and keeps the PIN: the customer can move money with it from the first PIX
    expect((await getJson(`${PAYMENTS}/v1/pix/pin`, tokens.access_token)).body).toMatchObject({ status: 'ACTIVE', attemptsLeft: 3 });

    // exactly one event for this customer
    await new Promise((r) => setTimeout(r, 500));
    expect(probe.seen.filter((m) => m.envelope.payload?.customerId === customerId)).toHaveLength(1);
  });

  it('when a customer reads their own KYC images, then they get the bytes back; another customer cannot reach them', async () => {
    const a = newApplicant();
    const reg = await register(h.url, a);
    expect(reg.body.status).toBe('ACTIVE');
    const token = (await passwordGrant(a.cpf, a.password)).access_token;
    const doc = await fetch(`${h.url}/v1/customers/me/documents/document`, { headers: { authorization: `Bearer ${token}` } });
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-type')).toBe('image/jpeg');
    expect(doc.headers.get('cache-control')).toContain('no-store');
    expect(new Uint8Array(await doc.arrayBuffer()).slice(0, 3)).toEqual(new Uint8Array([0xff, 0xd8, 0xff]));
    // the admin route with someone else's id is forbidden to a customer
    expect((await getJson(`${h.url}/v1/admin/kyc/applications/${reg.body.applicationId}/documents/selfie`, token)).status).toBe(403);
    // no token, no image
    expect((await getJson(`${h.url}/v1/customers/me/documents/selfie`)).status).toBe(401);
  });

  it('when registrations and provisioning are logged, then no CPF, e-mail or phone appears unmasked', async () => {
    const a = newApplicant();
    await register(h.url, a);
    const text = h.logs.join('\n');
    expect(text).toContain('registration received');
    expect(text).toContain('customer provisioned');
    expect(text).not.toContain(a.cpf);
    expect(text).not.toContain(a.email);
    expect(text).not.toContain(a.phone.slice(3));
    expect(text).not.toContain(a.password);
  });
});
