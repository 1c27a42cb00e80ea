import { passwordGrant, eventually } from '@krt/testing';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, newApplicant, register, startOnboarding, type Harness } from './onboarding-harness';

const PAYMENTS = 'http://127.0.0.1:5002';
const json = (token: string, body: unknown) => ({ method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('manual KYC review', () => {
  let h: Harness;
  let adminToken: string;
  beforeAll(async () => {
    h = await startOnboarding();
    adminToken = (await passwordGrant('operador', 'Operador@2026')).access_token;
  });
  afterAll(async () => h?.stop());

  it('when the name is on the PEP list, then the application waits in PENDING_REVIEW; an admin approves it and the account opens', async () => {
    // "Aurélio Benedito Tavares" is on data/sanctions-pep-sample.json; case and accents differ on purpose
    const applicant = newApplicant({ fullName: 'AURELIO Benedito tavares' });
    const reg = await register(h.url, applicant);
    expect(reg.status).toBe(201);
    expect(reg.body.status).toBe('PENDING_REVIEW');
    expect(reg.body.reason).not.toMatch(/PEP|san[cç]/i); // never tip the applicant off
    const id = reg.body.applicationId as string;
    await expect(passwordGrant(applicant.cpf, applicant.password)).rejects.toThrow(/401/); // no Keycloak user yet

    const list = await getJson(`${h.url}/v1/admin/kyc/applications?status=PENDING_REVIEW&limit=100`, adminToken);
    expect(list.status).toBe(200);
    let item = list.body.items.find((i: { applicationId: string }) => i.applicationId === id);
    for (let cursor = list.body.nextCursor; !item && cursor; ) {
      const next = await getJson(`${h.url}/v1/admin/kyc/applications?status=PENDING_REVIEW&limit=100&cursor=${cursor}`, adminToken);
      item = next.body.items.find((i: { applicationId: string }) => i.applicationId === id);
      cursor = next.body.nextCursor;
    }
    expect(item).toMatchObject({ status: 'PENDING_REVIEW', reviewReasons: ['WATCHLIST_PEP'], decisions: [{ decision: 'PENDING_REVIEW', decidedBy: 'system' }] });
    const image = await fetch(`${h.url}/v1/admin/kyc/applications/${id}/documents/selfie`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');

    const approved = await getJson(`${h.url}/v1/admin/kyc/applications/${id}/approve`, adminToken, json(adminToken, { reason: 'PEP confirmado como homônimo' }));
    expect(approved).toMatchObject({ status: 200, body: { applicationId: id, status: 'ACTIVE' } });

    const tokens = await passwordGrant(applicant.cpf, applicant.password);
    expect((decodeJwt(tokens.access_token) as { customer_id?: string }).customer_id).toBe(id);
    const account = await eventually(async () => {
      const r = await getJson(`${PAYMENTS}/v1/accounts/me/balance`, tokens.access_token);
      return r.status === 200 ? r.body : undefined;
    }, { timeoutMs: 30_000, what: 'payments account opened after review' });
    expect(account.available).toBe('0.00');

    // audit: who, when, why
    const { rows } = await h.onboarding.pool.query('SELECT decision, decided_by, decided_by_name, reason, decided_at FROM kyc_decisions WHERE customer_id = $1 ORDER BY id', [id]);
    const operator = decodeJwt(adminToken).sub;
    expect(rows).toEqual([
      expect.objectContaining({ decision: 'PENDING_REVIEW', decided_by: 'system', reason: 'WATCHLIST_PEP' }),
      expect.objectContaining({ decision: 'APPROVED', decided_by: operator, decided_by_name: 'operador', reason: 'PEP confirmado como homônimo', decided_at: expect.any(Date) }),
    ]);
    await expect(h.onboarding.pool.query('DELETE FROM kyc_decisions WHERE customer_id = $1', [id])).rejects.toThrow(/append-only/);

    // a decided application cannot be decided again
    const again = await getJson(`${h.url}/v1/admin/kyc/applications/${id}/reject`, adminToken, json(adminToken, { reason: 'mudei de ideia' }));
    expect(again).toMatchObject({ status: 409, body: { code: 'APPLICATION_NOT_PENDING_REVIEW' } });
  });

  it('when an admin rejects with a reason, then the status is REJECTED, the sealed password is wiped, no Keycloak user exists, and the CPF may apply again (to review)', async () => {
    const applicant = newApplicant({ fullName: 'Rosângela Duarte Meireles' });
    const reg = await register(h.url, applicant);
    expect(reg.body.status).toBe('PENDING_REVIEW');
    const id = reg.body.applicationId as string;

    const missing = await getJson(`${h.url}/v1/admin/kyc/applications/${id}/reject`, adminToken, json(adminToken, {}));
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0]).toMatchObject({ field: 'reason' });

    const rejected = await getJson(`${h.url}/v1/admin/kyc/applications/${id}/reject`, adminToken, json(adminToken, { reason: 'Lista de sanções confirmada' }));
    expect(rejected).toMatchObject({ status: 200, body: { status: 'REJECTED' } });
    const status = await getJson(`${h.url}/v1/registrations/${id}?token=${reg.body.statusToken}`);
    expect(status.body).toMatchObject({ status: 'REJECTED', reason: expect.any(String) });
    const { rowCount } = await h.onboarding.pool.query('SELECT 1 FROM provisioning WHERE customer_id = $1', [id]);
    expect(rowCount).toBe(0);
    expect(await h.onboarding.keycloak.findUserByUsername(applicant.cpf)).toBeUndefined();

    const retry = await register(h.url, { ...applicant, fullName: 'Rosa Duarte Meireles' });
    expect(retry.status).toBe(201);
    expect(retry.body.status).toBe('PENDING_REVIEW');
  });

  it('when a customer calls the admin endpoints, then 403; without a token, 401', async () => {
    const a = newApplicant();
    const reg = await register(h.url, a);
    const token = (await passwordGrant(a.cpf, a.password)).access_token;
    expect((await getJson(`${h.url}/v1/admin/kyc/applications`, token)).status).toBe(403);
    expect((await getJson(`${h.url}/v1/admin/kyc/applications/${reg.body.applicationId}/approve`, token, json(token, {}))).status).toBe(403);
    expect((await getJson(`${h.url}/v1/admin/kyc/applications/${reg.body.applicationId}/reject`, token, json(token, { reason: 'xxxx' }))).status).toBe(403);
    expect((await getJson(`${h.url}/v1/admin/kyc/applications`)).status).toBe(401);
  });
});

describe('provisioning idempotency', () => {
  let h: Harness;
  let adminToken: string;
  beforeAll(async () => {
    h = await startOnboarding();
    adminToken = (await passwordGrant('operador', 'Operador@2026')).access_token;
  });
  afterAll(async () => h?.stop());

  it('when the Keycloak user was already created by an earlier attempt that did not commit, then provisioning adopts it: one user, role and customer_id set', async () => {
    const applicant = newApplicant({ fullName: 'Joaquim Ernesto Valadares' }); // PEP: waits for review, so we can interfere first
    const reg = await register(h.url, applicant);
    const id = reg.body.applicationId as string;
    // what an attempt that crashed after creating the user (before the attribute and the commit) leaves behind
    const created = await h.onboarding.keycloak.createUser({ username: applicant.cpf, email: applicant.email, firstName: 'Joaquim', lastName: 'Valadares', password: applicant.password, customerId: id });
    expect(created).toBeDefined();
    await h.onboarding.keycloak.updateUser(created!, (u) => ({ ...u, attributes: {} }));

    const approved = await getJson(`${h.url}/v1/admin/kyc/applications/${id}/approve`, adminToken, json(adminToken, {}));
    expect(approved.body.status).toBe('ACTIVE');
    const user = await h.onboarding.keycloak.findUserByUsername(applicant.cpf);
    expect(user?.id).toBe(created);
    expect(user?.attributes?.customer_id).toEqual([id]);
    expect(await h.onboarding.keycloak.realmRoles(created!)).toContain('customer');
    // a second run finds nothing to do
    expect(await h.onboarding.provisioner.provision(id)).toBe('NOT_DUE');
    const { rows } = await h.onboarding.pool.query(`SELECT count(*)::int AS n FROM outbox WHERE envelope->'payload'->>'customerId' = $1`, [id]);
    expect(rows[0].n).toBe(1);
  });
});
