// Keycloak stopped while a customer is approved: no half-created customer; Keycloak back: provisioning completes exactly once.
import { TOPICS } from '@krt/contracts';
import { eventually, passwordGrant, serviceAccountToken } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPONENTS } from '../../scripts/stack.mjs';
import { probeTopic } from '../integration/onboarding/kafka-probe';
import { getJson, newApplicant, register, startOnboarding, type Harness } from '../integration/onboarding/onboarding-harness';

const keycloak = COMPONENTS.find((c) => c.name === 'keycloak')!;

async function keycloakUsersNamed(username: string): Promise<unknown[]> {
  const token = await serviceAccountToken();
  const res = await fetch(`http://127.0.0.1:8080/admin/realms/krt-bank/users?username=${username}&exact=true`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as unknown[];
}

describe('provisioning saga when Keycloak is down during approval', () => {
  let h: Harness;
  let probe: Awaited<ReturnType<typeof probeTopic>>;
  beforeAll(async () => {
    [h, probe] = await Promise.all([
      startOnboarding(
        { ONBOARDING_PROVISIONING_POLL_MS: '300', ONBOARDING_PROVISIONING_MAX_BACKOFF_MS: '2000', KEYCLOAK_ADMIN_TIMEOUT_MS: '2000' },
        { provisioningBaseBackoffMs: 200, keycloakHalfOpenAfterMs: 1000 },
      ),
      probeTopic(TOPICS.accountCreated),
    ]);
  });
  afterAll(async () => {
    if (!keycloak.pid() || !(await keycloak.healthy().catch(() => false))) await keycloak.start();
    await probe?.stop();
    await h?.stop();
  });

  it('when Keycloak is stopped, the approved customer stays APPROVED (nothing in Keycloak, no account.created); when it is back, one user and one account.created', async () => {
    const applicant = newApplicant();
    await keycloak.stop();

    const reg = await register(h.url, applicant);
    expect(reg.status).toBe(201);
    expect(reg.body.status).toBe('APPROVED');
    const id = reg.body.applicationId as string;

    // several retries happen while Keycloak is down; the state stays consistent
    await eventually(
      async () => {
        const { rows } = await h.onboarding.pool.query('SELECT attempts FROM provisioning WHERE customer_id = $1', [id]);
        return rows[0]?.attempts >= 3;
      },
      { timeoutMs: 30_000, what: 'three provisioning attempts' },
    );
    const { rows: pending } = await h.onboarding.pool.query(
      `SELECT c.status, c.keycloak_user_id, p.password_ciphertext IS NOT NULL AS sealed, p.completed_at, p.last_error
         FROM customers c JOIN provisioning p ON p.customer_id = c.id WHERE c.id = $1`,
      [id],
    );
    expect(pending[0]).toMatchObject({ status: 'APPROVED', keycloak_user_id: null, sealed: true, completed_at: null, last_error: expect.any(String) });
    expect((await getJson(`${h.url}/v1/registrations/${id}?token=${reg.body.statusToken}`)).body.status).toBe('APPROVED');
    expect(probe.seen.filter((m) => m.envelope.payload?.customerId === id)).toHaveLength(0);
    const { rowCount: queued } = await h.onboarding.pool.query(`SELECT 1 FROM outbox WHERE envelope->'payload'->>'customerId' = $1`, [id]);
    expect(queued).toBe(0);

    await keycloak.start();

    await eventually(
      async () => {
        const { rows } = await h.onboarding.pool.query('SELECT status FROM customers WHERE id = $1', [id]);
        return rows[0]?.status === 'ACTIVE';
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'customer ACTIVE after Keycloak is back' },
    );
    await eventually(async () => probe.seen.some((m) => m.envelope.payload?.customerId === id), { timeoutMs: 20_000, what: 'account.created published' });
    await new Promise((r) => setTimeout(r, 3000)); // room for a duplicate to show up, if there were one

    expect(await keycloakUsersNamed(applicant.cpf)).toHaveLength(1);
    expect(probe.seen.filter((m) => m.envelope.payload?.customerId === id)).toHaveLength(1);
    const { rows: done } = await h.onboarding.pool.query('SELECT password_ciphertext, completed_at FROM provisioning WHERE customer_id = $1', [id]);
    expect(done[0]).toMatchObject({ password_ciphertext: null, completed_at: expect.any(Date) });
    const tokens = await passwordGrant(applicant.cpf, applicant.password);
    const account = await eventually(async () => {
      const r = await getJson('http://127.0.0.1:5002/v1/accounts/me/balance', tokens.access_token);
      return r.status === 200 ? r.body : undefined;
    }, { timeoutMs: 30_000, what: 'payments account' });
    expect(account.available).toBe('0.00');
  });
});
