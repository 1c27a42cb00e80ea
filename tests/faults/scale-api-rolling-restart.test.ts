// Two payments API replicas behind the BFF; one is restarted with SIGTERM (as a rolling update does) while customers
// keep reading and sending PIX through the BFF: no request fails.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PROCESSES, instancesOf, stackEnv, startInstance, stopInstance, type AppInstance } from '../../scripts/stack/apps.mjs';
import { BffClient, closeTestKit, depositTo, newBankCustomer, startBff, TEST_PIN, type TestBff } from '../integration/bff/bff-test-kit';

const payments = APP_PROCESSES.find((a) => a.name === 'payments')!;
const [first, second] = instancesOf(payments, { PAYMENTS_REPLICAS: '2' }) as [AppInstance, AppInstance];

describe('rolling restart of a payments replica under load', () => {
  let bff: TestBff;
  const clients: BffClient[] = [];
  let receiverKey: string;

  beforeAll(async () => {
    await startInstance(second, await stackEnv());
    // Rate limits out of the way: six tight loops from one IP would otherwise meet the per-session/IP limits (429), and
    // this test is about the restart, not the limits.
    bff = await startBff({
      PAYMENTS_URLS: `http://127.0.0.1:${first.port},http://127.0.0.1:${second.port}`,
      HEALTH_INTERVAL_MS: '500',
      RATE_LIMIT_API_PER_SESSION: '1000000',
      RATE_LIMIT_API_PER_IP: '1000000',
    });
    const [a, b, receiver] = await Promise.all([newBankCustomer(), newBankCustomer(), newBankCustomer()]);
    for (const c of [a, b]) {
      await depositTo(c.accountId, '2000.00');
      const client = new BffClient(bff);
      expect((await client.signIn(c.cpf)).status).toBe(204);
      clients.push(client);
    }
    const receiverClient = new BffClient(bff);
    expect((await receiverClient.signIn(receiver.cpf)).status).toBe(204);
    const key = await receiverClient.post<{ value: string }>('/api/v1/pix/keys', { type: 'EVP' });
    expect(key.status).toBe(201);
    receiverKey = key.body.value;
  });
  afterAll(async () => {
    await stopInstance(second.name);
    await bff?.close();
    await closeTestKit();
  });

  it('when one replica gets SIGTERM and comes back during steady load, then every request through the BFF succeeds', async () => {
    const failures: string[] = [];
    let ok = 0;
    let pixSent = 0;
    let running = true;
    const worker = async (client: BffClient, i: number) => {
      while (running) {
        const n = ok + failures.length;
        let res;
        if (n % 10 === 9 && i === 0) {
          // Now and then a PIX (a write with an Idempotency-Key), the rest reads.
          res = await client.post('/api/v1/pix/transfers', { key: receiverKey, amount: '1.00', description: 'Carga', pin: TEST_PIN }, { headers: { 'idempotency-key': randomUUID() } });
          if (res.status === 202) pixSent++;
        } else {
          res = await client.get(n % 2 ? '/api/v1/accounts/me/balance' : '/api/v1/accounts/me/statement?limit=5');
        }
        if (res.status === 200 || res.status === 202) ok++;
        else failures.push(`${res.status} ${res.text.slice(0, 200)}`);
      }
    };
    const load = Promise.all(clients.flatMap((c) => [worker(c, 0), worker(c, 1), worker(c, 2)]));

    await new Promise((r) => setTimeout(r, 3000));
    const servedBefore = bff.rt.deps.upstreams.payments.stats().replicas.map((r) => r.requests);
    const stoppedAt = Date.now();
    expect(await stopInstance(second.name, { graceMs: 25_000 })).toBe(true); // SIGTERM; waits for the exit
    const drainMs = Date.now() - stoppedAt;
    await new Promise((r) => setTimeout(r, 2000)); // traffic on one replica only
    await startInstance(second, await stackEnv()); // back, ready
    const secondBack = () => bff.rt.deps.upstreams.payments.stats().replicas.find((r) => r.url.endsWith(`:${second.port}`))!;
    await new Promise((r) => setTimeout(r, 1000)); // the BFF's health check puts it back in rotation
    const servedAtReturn = secondBack().requests;
    await new Promise((r) => setTimeout(r, 3000));
    running = false;
    await load;

    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(100);
    expect(pixSent).toBeGreaterThan(0);
    // Both replicas took traffic before the restart, and the restarted one takes it again afterwards.
    expect(servedBefore.every((n) => n > 0)).toBe(true);
    const after = bff.rt.deps.upstreams.payments.stats().replicas;
    expect(after.every((r) => r.healthy)).toBe(true);
    expect(secondBack().requests).toBeGreaterThan(servedAtReturn);
    // The process drained and exited on its own, within the shutdown bound (20 s), never killed.
    expect(drainMs).toBeLessThan(20_000);
  }, 120_000);
});
