// Round-robin over payments replicas: two real payments processes both receive traffic; when one is killed, the
// other takes all of it and no request fails (a refused connection is retried on the other replica, and the health
// check takes the dead one out of the rotation).
import { randomUUID } from 'node:crypto';
import { eventually } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BffClient, closeTestKit, newBankCustomer, startBff, type TestBff, type TestCustomer } from '../integration/bff/bff-test-kit';
import { freePort, PaymentsReplica } from './bff-fault-kit';

let one: PaymentsReplica;
let two: PaymentsReplica;
let bff: TestBff;
let customer: TestCustomer;
let client: BffClient;

beforeAll(async () => {
  // Assigned before starting, so afterAll stops a replica that started even when the other one failed to.
  one = new PaymentsReplica(await freePort());
  two = new PaymentsReplica(await freePort());
  await Promise.all([one.start(), two.start()]);
  // Read cache off: every request below must reach a replica (this test counts them there).
  bff = await startBff({ PAYMENTS_URLS: `${one.url},${two.url}`, HEALTH_INTERVAL_MS: '500', BREAKER_THRESHOLD: '5', READ_CACHE_TTL_MS: '0' });
  customer = await newBankCustomer();
  client = new BffClient(bff);
  expect((await client.signIn(customer.cpf)).status).toBe(204);
});
afterAll(async () => {
  await bff?.close();
  await Promise.all([one?.cleanup(), two?.cleanup()]);
  await closeTestKit();
});

async function burst(prefix: string, n: number, paths = ['/api/v1/accounts/me', '/api/v1/accounts/me/balance']) {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await client.get(paths[i % paths.length]!, { headers: { 'x-correlation-id': `${prefix}-${i}` } });
    statuses.push(res.status);
  }
  return statuses;
}

describe('payments replicas behind the BFF', () => {
  it('when two replicas run, then both receive traffic; when one is killed, the other takes all of it with no failed request', async () => {
    const round1 = `rr-${randomUUID().slice(0, 8)}`;
    expect(await burst(round1, 20)).toEqual(Array(20).fill(200));
    await eventually(async () => one.requestsLogged(round1) + two.requestsLogged(round1) === 20, { timeoutMs: 5000, what: 'request logs' });
    expect(one.requestsLogged(round1)).toBeGreaterThanOrEqual(8);
    expect(two.requestsLogged(round1)).toBeGreaterThanOrEqual(8);

    await one.kill();
    // Right after the crash, before the health check has noticed: still no failed request.
    const during = `kill-${randomUUID().slice(0, 8)}`;
    expect(await burst(during, 10)).toEqual(Array(10).fill(200));
    await eventually(async () => two.requestsLogged(during) === 10, { timeoutMs: 5000, what: 'the survivor answered the requests sent during the crash' });
    await eventually(async () => bff.rt.deps.upstreams.payments.stats().replicas.find((r) => r.url === one.url)?.healthy === false, {
      timeoutMs: 3000,
      what: 'health check marks the dead replica',
    });

    const after = `after-${randomUUID().slice(0, 8)}`;
    expect(await burst(after, 20)).toEqual(Array(20).fill(200));
    await eventually(async () => two.requestsLogged(after) === 20, { timeoutMs: 5000, what: 'the surviving replica logged every request' });
    expect(bff.rt.deps.upstreams.payments.breakerState).toBe('closed');

    // The dead replica comes back: the health check returns it to the rotation.
    await one.start();
    await eventually(async () => bff.rt.deps.upstreams.payments.stats().replicas.every((r) => r.healthy), { timeoutMs: 5000, what: 'replica back in rotation' });
    const round3 = `back-${randomUUID().slice(0, 8)}`;
    expect(await burst(round3, 10)).toEqual(Array(10).fill(200));
    await eventually(async () => one.requestsLogged(round3) + two.requestsLogged(round3) === 10, { timeoutMs: 5000, what: 'request logs' });
    expect(one.requestsLogged(round3)).toBeGreaterThan(0);
  });
});
