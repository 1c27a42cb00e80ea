import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JPEG, getJson, newApplicant, newCpf, randomIp, register, registrationForm, startOnboarding, type Harness } from './onboarding-harness';

const fieldCodes = (body: { errors?: { field: string; code: string; message: string }[] }) => Object.fromEntries((body.errors ?? []).map((e) => [e.field, e.code]));

describe('registration input: 422 with field errors, 409 on duplicates, 429 when rate-limited, never a 500', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startOnboarding();
  });
  afterAll(async () => h?.stop());

  it.each([
    ['an invalid CPF', { cpf: '123.456.789-00' }, 'cpf', 'CPF_INVALID'],
    ['an all-equal CPF', { cpf: '11111111111' }, 'cpf', 'CPF_INVALID'],
    ['an applicant under 18', { birthDate: `${new Date().getUTCFullYear() - 17}-01-01` }, 'birthDate', 'UNDERAGE'],
    ['a malformed e-mail', { email: 'maria@@example' }, 'email', 'EMAIL_INVALID'],
    ['a non-Brazilian phone', { phone: '+15550100' }, 'phone', 'PHONE_INVALID'],
    ['a malformed CEP', { cep: '1234-567' }, 'cep', 'CEP_INVALID'],
    ['a weak password', { password: 'senha123' }, 'password', 'PASSWORD_WEAK'],
    ['terms not accepted', { acceptTerms: 'false' }, 'acceptTerms', 'CONSENT_REQUIRED'],
  ])('when the form has %s, then 422 VALIDATION_FAILED naming the field with a Portuguese message', async (_what, override, field, code) => {
    const res = await register(h.url, newApplicant(override as Record<string, string>));
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(fieldCodes(res.body)).toEqual({ [field]: code });
    expect(res.body.errors[0].message).toMatch(/[a-zà-ú]/i);
  });

  it('when the privacy consent is missing altogether, then CONSENT_REQUIRED', async () => {
    const a = newApplicant();
    delete (a as Record<string, string | undefined>).acceptPrivacy;
    const res = await register(h.url, a);
    expect(fieldCodes(res.body)).toEqual({ acceptPrivacy: 'CONSENT_REQUIRED' });
  });

  it('when an image is over 5 MB or is not a JPEG/PNG by its bytes, then FILE_TOO_LARGE / FILE_NOT_IMAGE', async () => {
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(JPEG);
    const pdfNamedPng = new TextEncoder().encode('%PDF-1.7 not an image');
    const res = await register(h.url, newApplicant(), { files: { documentImage: big, selfieImage: pdfNamedPng } });
    expect(res.status).toBe(422);
    expect(fieldCodes(res.body)).toEqual({ documentImage: 'FILE_TOO_LARGE', selfieImage: 'FILE_NOT_IMAGE' });
    const missing = await register(h.url, newApplicant(), { files: { selfieImage: null } });
    expect(fieldCodes(missing.body)).toEqual({ selfieImage: 'FILE_REQUIRED' });
  });

  it('when the body is over the route limit or not multipart, then 413 / 4xx, not a 500', async () => {
    const huge = new Uint8Array(11 * 1024 * 1024);
    huge.set(JPEG);
    const res = await register(h.url, newApplicant(), { files: { documentImage: huge } });
    expect(res.status).toBe(413);
    const json = await getJson(`${h.url}/v1/registrations`, undefined, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': randomIp() }, body: '{"cpf":' });
    expect(json.status).toBeGreaterThanOrEqual(400);
    expect(json.status).toBeLessThan(500);
    const garbage = await getJson(`${h.url}/v1/registrations`, undefined, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz', 'x-forwarded-for': randomIp() },
      body: '--xyz\r\nbroken',
    });
    expect(garbage.status).toBeGreaterThanOrEqual(400);
    expect(garbage.status).toBeLessThan(500);
  });

  it('when the CPF, the e-mail or the phone is already registered, then 409 with its own code', async () => {
    const first = newApplicant();
    expect((await register(h.url, first)).status).toBe(201);
    const cpf = await register(h.url, newApplicant({ cpf: first.cpf }));
    expect(cpf).toMatchObject({ status: 409, body: { code: 'CPF_ALREADY_REGISTERED' } });
    const email = await register(h.url, newApplicant({ email: first.email.toUpperCase() }));
    expect(email).toMatchObject({ status: 409, body: { code: 'EMAIL_ALREADY_REGISTERED' } });
    const phone = await register(h.url, newApplicant({ phone: `(11) ${first.phone.slice(5, 10)}-${first.phone.slice(10)}` }));
    expect(phone).toMatchObject({ status: 409, body: { code: 'PHONE_ALREADY_REGISTERED' } });
  });

  it('when the same CPF registers 8 times at once, then exactly one succeeds and the others get 409', async () => {
    const cpf = newCpf();
    const results = await Promise.all(Array.from({ length: 8 }, () => register(h.url, newApplicant({ cpf }))));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'CPF_ALREADY_REGISTERED')).toBe(true);
    const { rows } = await h.onboarding.pool.query('SELECT count(*)::int AS n FROM customers WHERE cpf = $1', [cpf]);
    expect(rows[0].n).toBe(1);
    expect(results.some((r) => r.status === 500)).toBe(false);
  });

  it('when one IP registers more than the limit, then 429 with Retry-After and a Portuguese message; another IP is unaffected', async () => {
    const limited = await startOnboarding({ ONBOARDING_REGISTRATION_RATE_POINTS: '2', ONBOARDING_REGISTRATION_RATE_WINDOW_SECONDS: '60' }, { rateLimitKeyPrefix: `rl:test:${Date.now()}`, runWorker: false });
    try {
      const ip = randomIp();
      const bad = newApplicant({ cpf: '00000000000' }); // cheap: rejected after the limiter
      expect((await register(limited.url, bad, { ip })).status).toBe(422);
      expect((await register(limited.url, bad, { ip })).status).toBe(422);
      const third = await register(limited.url, bad, { ip });
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(third.body).toMatchObject({ code: 'MUITAS_TENTATIVAS', message: expect.stringContaining('Tente novamente') });
      expect((await register(limited.url, bad, { ip: randomIp().replace('198.51.100', '203.0.113') })).status).toBe(422);
    } finally {
      await limited.stop();
    }
  });

  it('serves its OpenAPI document with the registration and admin routes', async () => {
    const doc = await getJson(`${h.url}/openapi.json`);
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/registrations', '/v1/registrations/{id}', '/v1/customers/me', '/v1/admin/kyc/applications', '/v1/admin/kyc/applications/{id}/approve']),
    );
    expect(doc.body.paths['/v1/registrations'].post.requestBody.content['multipart/form-data']).toBeDefined();
  });

  it('keeps the form helper honest: a valid form is accepted', async () => {
    const res = await fetch(`${h.url}/v1/registrations`, { method: 'POST', body: registrationForm(newApplicant()), headers: { 'x-forwarded-for': randomIp() } });
    expect(res.status).toBe(201);
  });
});
