// The account-opening form's first step: "can this CPF still open an account?" — public, rate-limited, says nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newApplicant, newCpf, randomIp, register, startOnboarding, type Harness } from './onboarding-harness';

async function check(url: string, body: unknown, ip = randomIp()) {
  const res = await fetch(`${url}/v1/registrations/cpf-check`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'x-forwarded-for': ip } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe('POST /v1/registrations/cpf-check', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startOnboarding({}, { runWorker: false });
  });
  afterAll(async () => h?.stop());

  it('when a CPF has no application, then it is available; once registered (bare or formatted), it is not — and nothing else is said', async () => {
    const applicant = newApplicant();
    expect(await check(h.url, { cpf: applicant.cpf })).toMatchObject({ status: 200, body: { available: true } });
    expect((await register(h.url, applicant)).status).toBe(201);
    const formatted = `${applicant.cpf.slice(0, 3)}.${applicant.cpf.slice(3, 6)}.${applicant.cpf.slice(6, 9)}-${applicant.cpf.slice(9)}`;
    for (const cpf of [applicant.cpf, formatted]) {
      const taken = await check(h.url, { cpf });
      expect(taken.status).toBe(200);
      expect(taken.body).toEqual({ available: false }); // no name, status or id of whoever holds it
    }
    expect(await check(h.url, { cpf: newCpf() })).toMatchObject({ status: 200, body: { available: true } });
  });

  it('when the CPF has wrong check digits or the body has other fields, then 422 with a field error in Portuguese', async () => {
    const bad = await check(h.url, { cpf: '123.456.789-00' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'cpf', code: 'CPF_INVALID', message: 'CPF inválido.' })]);
    expect((await check(h.url, { cpf: newCpf(), name: 'x' })).status).toBe(422);
    expect((await check(h.url, {})).status).toBe(422);
  });

  it('when one IP checks more than the limit, then 429 with Retry-After; another IP is unaffected', async () => {
    const limited = await startOnboarding({ ONBOARDING_CPF_CHECK_RATE_POINTS: '3', ONBOARDING_CPF_CHECK_RATE_WINDOW_SECONDS: '60' }, { rateLimitKeyPrefix: `rl:test:cpf:${Date.now()}`, runWorker: false });
    try {
      const ip = randomIp();
      for (let i = 0; i < 3; i++) expect((await check(limited.url, { cpf: newCpf() }, ip)).status).toBe(200);
      const refused = await check(limited.url, { cpf: newCpf() }, ip);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.body).toMatchObject({ code: 'MUITAS_TENTATIVAS' });
      expect((await check(limited.url, { cpf: newCpf() }, randomIp().replace('198.51.100', '203.0.113'))).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});
