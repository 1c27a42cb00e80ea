// Circuit breaker per upstream: with payments stopped (or frozen), the BFF stops calling it after the threshold and
// answers 503 with Retry-After in under 50 ms; with payments back, the breaker half-opens, closes, and calls succeed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BffClient, closeTestKit, newBankCustomer, startBff, type TestBff, type TestCustomer } from '../integration/bff/bff-test-kit';
import { freePort, PaymentsReplica } from './bff-fault-kit';

const THRESHOLD = 3;
const HALF_OPEN_MS = 3000;

let replica: PaymentsReplica;
let bff: TestBff;
let customer: TestCustomer;
let client: BffClient;

beforeAll(async () => {
  replica = await new PaymentsReplica(await freePort()).start();
  bff = await startBff({
    PAYMENTS_URLS: replica.url,
    BREAKER_THRESHOLD: String(THRESHOLD),
    BREAKER_HALF_OPEN_MS: String(HALF_OPEN_MS),
    UPSTREAM_TIMEOUT_MS: '1000',
    HEALTH_INTERVAL_MS: '500',
  });
  customer = await newBankCustomer();
  client = new BffClient(bff);
  expect((await client.signIn(customer.cpf)).status).toBe(204);
});
afterAll(async () => {
  await bff?.close();
  await replica?.cleanup();
  await closeTestKit();
});

async function timed(path = '/api/v1/accounts/me') {
  const t0 = performance.now();
  const res = await client.get(path);
  return { res, ms: performance.now() - t0 };
}

async function waitUntilClosedAndServing() {
  const deadline = Date.now() + HALF_OPEN_MS + 15_000;
  for (;;) {
    const { res } = await timed();
    if (res.status === 200) return res;
    if (Date.now() > deadline) throw new Error(`payments never came back through the BFF (last ${res.status})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('circuit breaker on the payments upstream', () => {
  it('when payments is stopped, then after the threshold the BFF answers 503 with Retry-After in under 50 ms; when it is back, the breaker closes and calls succeed', async () => {
    expect((await timed()).res.status).toBe(200);
    expect(bff.rt.deps.upstreams.payments.breakerState).toBe('closed');

    await replica.stop();
    const failures: number[] = [];
    for (let i = 0; i < THRESHOLD; i++) {
      const { res } = await timed();
      failures.push(res.status);
    }
    expect(failures.every((s) => s === 503)).toBe(true);
    expect(bff.rt.deps.upstreams.payments.breakerState).toBe('open');

    for (let i = 0; i < 10; i++) {
      const { res, ms } = await timed();
      expect(res.status).toBe(503);
      expect(ms).toBeLessThan(50);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(Math.ceil(HALF_OPEN_MS / 1000));
      expect(res.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', dependency: 'payments' });
    }
    // The dashboard still answers what it can.
    const dash = await client.get('/api/v1/dashboard');
    expect(dash.status).toBe(200);
    expect(dash.body.partial).toEqual(expect.arrayContaining(['balance', 'recent']));

    await replica.start();
    const back = await waitUntilClosedAndServing();
    expect(back.body.customerId).toBe(customer.customerId);
    expect(bff.rt.deps.upstreams.payments.breakerState).toBe('closed');
    for (let i = 0; i < 5; i++) expect((await timed()).res.status).toBe(200);
  });

  it('when payments hangs (frozen process), then calls time out, the breaker opens, and further calls get 503 at once instead of piling up', async () => {
    if (!replica.running) await replica.start();
    await waitUntilClosedAndServing();
    await replica.freeze();
    try {
      const slow = await Promise.all(Array.from({ length: THRESHOLD }, () => timed()));
      for (const { res, ms } of slow) {
        expect(res.status).toBe(504);
        expect(ms).toBeGreaterThanOrEqual(900);
        expect(ms).toBeLessThan(2500);
      }
      expect(bff.rt.deps.upstreams.payments.breakerState).toBe('open');
      // One after another, each answers in under 50 ms...
      for (let i = 0; i < 10; i++) {
        const { res, ms } = await timed();
        expect(res.status).toBe(503);
        expect(ms).toBeLessThan(50);
      }
      // ...and a burst of 30 concurrent calls is answered at once, without waiting on the frozen replica.
      const t0 = performance.now();
      const burst = await Promise.all(Array.from({ length: 30 }, () => timed()));
      expect(burst.every(({ res }) => res.status === 503)).toBe(true);
      expect(performance.now() - t0).toBeLessThan(500);
    } finally {
      await replica.thaw();
    }
    await waitUntilClosedAndServing();
  });
});
