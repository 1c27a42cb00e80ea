// The operators' side of onboarding (issue #19): customer search by CPF and by name, one KYC application, and the
// audit rows every view and decision leaves — append-only for the application's database user.
import { auditEntrySchema, type AuditEntry } from '@krt/contracts';
import { passwordGrant } from '@krt/testing';
import { decodeJwt } from 'jose';
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, newApplicant, register, startOnboarding, type Harness } from './onboarding-harness';

const post = (token: string, body: unknown) => ({ method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const dotted = (cpf: string) => `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
/** A surname nobody else has: letters only, as registration requires. */
const rareWord = () => Array.from({ length: 9 }, () => 'bcdfghjklmnpqrstvwxz'[randomInt(20)]).join('');

describe('back office: customers, one KYC application, audit', () => {
  let h: Harness;
  let admin: string;
  let operatorId: string;
  beforeAll(async () => {
    h = await startOnboarding();
    admin = (await passwordGrant('operador', 'Operador@2026')).access_token;
    operatorId = decodeJwt(admin).sub!;
  });
  afterAll(async () => h?.stop());

  /** The audit rows a query finds, each in the contract's shape (@krt/contracts). */
  const audit = async (query: string): Promise<AuditEntry[]> => {
    const r = await getJson(`${h.url}/v1/admin/audit?${query}`, admin);
    expect(r.status).toBe(200);
    return auditEntrySchema.array().parse(r.body.items);
  };

  it('when an operator searches by CPF (digits or dotted) or by the start of a name (any case, no accents), then the customer is found, masked, and each search is audited', async () => {
    const surname = rareWord();
    const applicant = newApplicant({ fullName: `Érica Conceição ${surname}` });
    const reg = await register(h.url, applicant);
    expect(reg.status).toBe(201);
    const id = reg.body.applicationId as string;

    const byDigits = await getJson(`${h.url}/v1/admin/customers?cpf=${applicant.cpf}`, admin);
    expect(byDigits.status).toBe(200);
    expect(byDigits.body.items).toHaveLength(1);
    const item = byDigits.body.items[0];
    expect(item).toMatchObject({ applicationId: id, fullName: applicant.fullName, status: 'ACTIVE', cpfMasked: `***.${applicant.cpf.slice(3, 6)}.${applicant.cpf.slice(6, 9)}-**` });
    expect(item.email).not.toBe(applicant.email);
    expect(item.email).toContain('*');
    // customerId is the Keycloak user id (the token's sub), the id the accounts view takes
    const customerToken = (await passwordGrant(applicant.cpf, applicant.password)).access_token;
    expect(item.customerId).toBe(decodeJwt(customerToken).sub);

    const byDotted = await getJson(`${h.url}/v1/admin/customers?cpf=${encodeURIComponent(dotted(applicant.cpf))}`, admin);
    expect(byDotted.body.items.map((i: { applicationId: string }) => i.applicationId)).toEqual([id]);

    // the surname's start, upper case; the first name without its accent
    const bySurname = await getJson(`${h.url}/v1/admin/customers?name=${surname.slice(0, 6).toUpperCase()}`, admin);
    expect(bySurname.body.items.map((i: { applicationId: string }) => i.applicationId)).toEqual([id]);
    const byFullStart = await getJson(`${h.url}/v1/admin/customers?name=${encodeURIComponent(`erica conceicao ${surname.slice(0, 3)}`)}`, admin);
    expect(byFullStart.body.items.map((i: { applicationId: string }) => i.applicationId)).toContain(id);
    // a prefix, not a substring
    const middle = await getJson(`${h.url}/v1/admin/customers?name=${surname.slice(2)}`, admin);
    expect(middle.body.items.map((i: { applicationId: string }) => i.applicationId)).not.toContain(id);

    // both: both must match; neither: nobody
    const both = await getJson(`${h.url}/v1/admin/customers?cpf=${applicant.cpf}&name=Erica`, admin);
    expect(both.body.items.map((i: { applicationId: string }) => i.applicationId)).toEqual([id]);
    const bothOther = await getJson(`${h.url}/v1/admin/customers?cpf=${applicant.cpf}&name=Zeferino`, admin);
    expect(bothOther).toMatchObject({ status: 200, body: { items: [] } });
    const neither = await getJson(`${h.url}/v1/admin/customers`, admin);
    expect(neither).toMatchObject({ status: 200, body: { items: [] } });
    const shortCpf = await getJson(`${h.url}/v1/admin/customers?cpf=123`, admin);
    expect(shortCpf).toMatchObject({ status: 422, body: { code: 'VALIDATION_FAILED' } });
    expect(shortCpf.body.errors[0]).toMatchObject({ field: 'cpf', code: 'CPF_INVALID' });

    const searches = await audit(`actor=${operatorId}&action=customer.searched&subjectId=${applicant.cpf}`);
    expect(searches.map((a) => a.details.by)).toEqual(['cpf+name', 'cpf+name', 'cpf', 'cpf']);
    expect(searches[0]).toMatchObject({ details: { name: 'zeferino', results: 0, applicationIds: [] } });
    expect(searches[2]).toMatchObject({ service: 'onboarding', actorId: operatorId, actorName: 'operador', subjectType: 'customer_search', details: { by: 'cpf', results: 1, applicationIds: [id] } });
    expect(searches[2]!.correlationId).toEqual(expect.any(String));
    const byName = await audit(`action=customer.searched&subjectId=${surname.slice(0, 6)}`);
    expect(byName[0]).toMatchObject({ details: { by: 'name', applicationIds: [id] } });
  });

  it('when an operator reviews an application that fell to review (a name on the sample watchlist), then it shows data, checks and images; every view, image and decision is audited', async () => {
    // "Aurélio Benedito Tavares" is on data/sanctions-pep-sample.json (PEP): the application waits for review.
    const applicant = newApplicant({ fullName: 'Aurélio Benedito Tavares' });
    const reg = await register(h.url, applicant);
    expect(reg.body.status).toBe('PENDING_REVIEW');
    const id = reg.body.applicationId as string;

    const queue = await getJson(`${h.url}/v1/admin/kyc/applications?status=PENDING_REVIEW&limit=5`, admin);
    expect(queue.status).toBe(200);

    const one = await getJson(`${h.url}/v1/admin/kyc/applications/${id}`, admin);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      applicationId: id,
      status: 'PENDING_REVIEW',
      fullName: 'Aurélio Benedito Tavares',
      cpf: applicant.cpf,
      reviewReasons: ['WATCHLIST_PEP'],
      automaticChecks: { outcome: 'PENDING_REVIEW', reason: 'WATCHLIST_PEP', checks: { cpfValid: true, adult: true, watchlist: { list: 'PEP' }, previouslyRejected: [] } },
      document: { type: 'RG', number: '123456789', issuer: 'SSP/SP' },
      address: { city: 'São Paulo', state: 'SP' },
      documents: [
        { kind: 'document', contentType: 'image/jpeg', sizeBytes: expect.any(Number) },
        { kind: 'selfie', contentType: 'image/png', sizeBytes: expect.any(Number) },
      ],
    });
    expect(one.body.email).not.toBe(applicant.email);
    expect(one.body.phone).not.toContain(applicant.phone.slice(-8));
    expect((await getJson(`${h.url}/v1/admin/kyc/applications/00000000-0000-4000-8000-000000000000`, admin)).status).toBe(404);

    for (const kind of ['document', 'selfie']) {
      const image = await fetch(`${h.url}/v1/admin/kyc/applications/${id}/documents/${kind}`, { headers: { authorization: `Bearer ${admin}` } });
      expect(image.status).toBe(200);
    }
    const rejected = await getJson(`${h.url}/v1/admin/kyc/applications/${id}/reject`, admin, post(admin, { reason: 'Homônimo não descartado' }));
    expect(rejected).toMatchObject({ status: 200, body: { status: 'REJECTED' } });

    const trail = await audit(`subjectId=${id}`);
    const actions = trail.map((a) => a.action);
    expect(actions).toEqual(['kyc.application.rejected', 'kyc.document.viewed', 'kyc.document.viewed', 'kyc.application.viewed']);
    expect(trail[0]).toMatchObject({ actorId: operatorId, actorName: 'operador', subjectType: 'kyc_application', reason: 'Homônimo não descartado' });
    expect(trail.filter((a) => a.action === 'kyc.document.viewed').map((a) => a.details.kind).sort()).toEqual(['document', 'selfie']);
    const listed = await audit(`actor=${operatorId}&action=kyc.queue.listed&limit=1`);
    expect(listed[0]).toMatchObject({ subjectType: 'kyc_queue', subjectId: 'PENDING_REVIEW' });

    // approving is audited too (a second application from the watchlist)
    const other = await register(h.url, newApplicant({ fullName: 'Joaquim Ernesto Valadares' }));
    const approved = await getJson(`${h.url}/v1/admin/kyc/applications/${other.body.applicationId}/approve`, admin, post(admin, { reason: 'Homônimo confirmado' }));
    expect(approved.status).toBe(200);
    expect((await audit(`subjectId=${other.body.applicationId}&action=kyc.application.approved`))[0]).toMatchObject({ reason: 'Homônimo confirmado', actorId: operatorId });

    // paging: before=<id> gives the older rows
    const page = await getJson(`${h.url}/v1/admin/audit?subjectId=${id}&limit=2`, admin);
    expect(page.body.items).toHaveLength(2);
    const older = await getJson(`${h.url}/v1/admin/audit?subjectId=${id}&limit=2&before=${page.body.nextBefore}`, admin);
    expect(older.body.items.map((a: AuditEntry) => a.action)).toEqual(['kyc.document.viewed', 'kyc.application.viewed']);
  });

  it('when the application’s database user tries to change or erase the audit log, then PostgreSQL refuses', async () => {
    const db = h.onboarding.pool;
    await expect(db.query("UPDATE audit_log SET reason = 'apagado' WHERE id = (SELECT max(id) FROM audit_log)")).rejects.toThrow(/append-only|permission denied/);
    await expect(db.query('DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)')).rejects.toThrow(/append-only|permission denied/);
    await expect(db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only|permission denied/);
  });

  it('when a customer calls the back-office endpoints, then 403 FORBIDDEN and nothing is audited for them', async () => {
    const a = newApplicant();
    const reg = await register(h.url, a);
    const token = (await passwordGrant(a.cpf, a.password)).access_token;
    const id = reg.body.applicationId as string;
    for (const path of [`/v1/admin/customers?cpf=${a.cpf}`, `/v1/admin/customers?name=Beatriz`, `/v1/admin/kyc/applications/${id}`, `/v1/admin/kyc/applications/${id}/documents/selfie`, '/v1/admin/audit']) {
      const r = await getJson(`${h.url}${path}`, token);
      expect(r, path).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    }
    expect((await getJson(`${h.url}/v1/admin/customers?cpf=${a.cpf}`)).status).toBe(401);
    expect(await audit(`actor=${decodeJwt(token).sub}`)).toEqual([]);
  });
});
