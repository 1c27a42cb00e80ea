// The transaction PIN in payments (issue #23) against the real stack: PIX, devolução and limit change need it; a
// missing one is a 400, a wrong one a 403 with the attempts left, and nothing of a refused request is written but the
// count (no transfer, no ledger line, no reserve, no idempotency record); the third wrong PIN in a row locks the
// customer's PIX (423, Retry-After) and announces `pix.pin-locked`, concurrent wrong PINs included; the lock ends on
// its own; a customer from before the PIN sets one; changing it needs a password typed just now (auth_time); the PIN
// chosen at registration arrives hashed in account.created; the PIN is in no row, answer or log line.
import { hashTransactionPin } from '@krt/platform/auth';
import { codeFlowToken, eventually } from '@krt/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedLogger } from '../../support/captured-logger';
import {
  addKey,
  balanceOf,
  call,
  deposit,
  finalStatus,
  newCustomer,
  PASSWORD,
  pix,
  refund,
  setLimits,
  startPaymentsApi,
  TEST_PIN,
  type Customer,
  type TestApi,
} from './payments-test-kit';

const WRONG_PIN = '9035';
/** Random ids may hold a PIN's digits by chance (a transfer id once had …4721…): PINs are looked for outside them. */
const withoutIds = (text: string) => text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>');
const LOCK_SECONDS = 3;

function expectProblem(r: { status: number; body: any; text: string }, status: number, code: string) {
  expect(r.status, r.text).toBe(status);
  expect(r.body.code).toBe(code);
  expect(r.body.message.length).toBeGreaterThan(5);
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('transaction PIN (payments)', () => {
  let api: TestApi;
  const logs = capturedLogger('payments-test', 'debug');

  beforeAll(async () => {
    api = await startPaymentsApi({ logger: logs.logger, env: { PIX_PIN_LOCK_SECONDS: String(LOCK_SECONDS) } });
  });
  afterAll(async () => api?.close());

  const pinStatus = async (c: Customer) => (await call(api, c.token, 'GET', '/v1/pix/pin')).body as { status: string; attemptsLeft: number; lockedUntil: string | null };

  /** What a refused request must leave untouched: the payer's balance, transfers, ledger lines and idempotency records. */
  async function footprint(c: Customer) {
    const q = async (sql: string, arg: string) => Number((await api.rt.pool.query<{ n: string }>(sql, [arg])).rows[0]!.n);
    return {
      balance: await balanceOf(api, c),
      transfers: await q('SELECT count(*) AS n FROM pix_transfers WHERE payer_customer_id = $1', c.customerId),
      ledgerLines: await q('SELECT count(*) AS n FROM ledger_entries WHERE account_id = $1', c.accountId),
      idempotencyRecords: await q('SELECT count(*) AS n FROM idempotency_keys WHERE customer_id = $1', c.customerId),
    };
  }

  const pinLockedEvents = (c: Customer) =>
    api.rt.pool.query<{ envelope: any; published_at: Date | null }>("SELECT envelope, published_at FROM outbox WHERE topic = 'pix.pin-locked' AND envelope->'payload'->>'customerId' = $1", [c.customerId]);

  it('when a PIX comes without the PIN, or with a wrong one, then it is refused (400; 403 with 2 then 1 attempts left) and nothing is written; the same Idempotency-Key with the right PIN is then a first request that succeeds, and the count is reset', async () => {
    const [a, b] = await Promise.all([newCustomer(api), newCustomer(api)]);
    await deposit(api, a.accountId, '100.00');
    const key = await addKey(api, b);
    const before = await footprint(a);
    const idem = randomUUID();

    const missing = await call(api, a.token, 'POST', '/v1/pix/transfers', { key, amount: '10.00' }, { 'idempotency-key': idem });
    expectProblem(missing, 400, 'VALIDATION_FAILED');
    expect(missing.body.errors).toContainEqual(expect.objectContaining({ field: 'pin' }));
    const malformed = await pix(api, a, { key, amount: '10.00', pin: '47a1' }, idem);
    expectProblem(malformed, 400, 'VALIDATION_FAILED');
    expect(malformed.body.errors).toContainEqual({ field: 'pin', code: 'PIN_FORMAT', message: expect.any(String) });

    const wrong1 = await pix(api, a, { key, amount: '10.00', pin: WRONG_PIN }, idem);
    expectProblem(wrong1, 403, 'PIN_INVALID');
    expect(wrong1.body.attemptsLeft).toBe(2);
    const wrong2 = await pix(api, a, { key, amount: '10.00', pin: WRONG_PIN }, idem);
    expectProblem(wrong2, 403, 'PIN_INVALID');
    expect(wrong2.body.attemptsLeft).toBe(1);
    expect(await pinStatus(a)).toEqual({ status: 'ACTIVE', attemptsLeft: 1, lockedUntil: null });
    expect(await footprint(a)).toEqual(before);

    const right = await pix(api, a, { key, amount: '10.00' }, idem);
    expect(right.status, right.text).toBe(202);
    expect(right.headers.get('idempotent-replayed')).toBeNull();
    expect(await pinStatus(a)).toEqual({ status: 'ACTIVE', attemptsLeft: 3, lockedUntil: null });
    expect((await finalStatus(api, a, right.body.id)).status).toBe('COMPLETED');
    expect((await balanceOf(api, a)).available).toBe('90.00');

    // A retry of the accepted PIX replays it, with the PIN; the PIN is in no answer.
    const replay = await pix(api, a, { key, amount: '10.00' }, idem);
    expect(replay.status).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(right.body.id);
    for (const r of [missing, malformed, wrong1, wrong2, right, replay]) expect(withoutIds(r.text)).not.toMatch(new RegExp(`${TEST_PIN}|${WRONG_PIN}`));
  });

  it('when a devolução or a limit change comes without the PIN or with a wrong one, then it is refused and nothing changes; with the right PIN it goes through (and resets the count)', async () => {
    const [a, b] = await Promise.all([newCustomer(api), newCustomer(api)]);
    await deposit(api, a.accountId, '50.00');
    const sent = await pix(api, a, { key: await addKey(api, b), amount: '20.00' });
    expect(sent.status, sent.text).toBe(202);
    expect((await finalStatus(api, a, sent.body.id)).status).toBe('COMPLETED');
    const before = await footprint(b);
    const idem = randomUUID();

    const missing = await call(api, b.token, 'POST', `/v1/pix/transfers/${sent.body.id}/refunds`, { amount: '5.00' }, { 'idempotency-key': idem });
    expectProblem(missing, 400, 'VALIDATION_FAILED');
    expect(missing.body.errors).toContainEqual(expect.objectContaining({ field: 'pin' }));
    const wrong = await refund(api, b, sent.body.id, { amount: '5.00', pin: WRONG_PIN }, idem);
    expectProblem(wrong, 403, 'PIN_INVALID');
    expect(wrong.body.attemptsLeft).toBe(2);
    expect(await footprint(b)).toEqual(before);
    const returned = await refund(api, b, sent.body.id, { amount: '5.00' }, idem);
    expect(returned.status, returned.text).toBe(202);
    expect(returned.headers.get('idempotent-replayed')).toBeNull();
    expect((await pinStatus(b)).attemptsLeft).toBe(3);

    const limitsBefore = (await call(api, a.token, 'GET', '/v1/accounts/me/limits')).body;
    const noPin = await call(api, a.token, 'PUT', '/v1/accounts/me/limits', { perTransaction: '100.00' });
    expectProblem(noPin, 400, 'VALIDATION_FAILED');
    expect(noPin.body.errors).toContainEqual(expect.objectContaining({ field: 'pin' }));
    const onlyPin = await setLimits(api, a, {});
    expectProblem(onlyPin, 422, 'VALIDATION_FAILED');
    const wrongLimits = await setLimits(api, a, { perTransaction: '100.00', pin: WRONG_PIN });
    expectProblem(wrongLimits, 403, 'PIN_INVALID');
    expect(wrongLimits.body.attemptsLeft).toBe(2);
    expect((await call(api, a.token, 'GET', '/v1/accounts/me/limits')).body).toEqual(limitsBefore);
    const changed = await setLimits(api, a, { perTransaction: '100.00' });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.perTransaction).toBe('100.00');
    expect((await pinStatus(a)).attemptsLeft).toBe(3);
  });

  it('when the third PIN in a row is wrong, then PIX is locked: 423 with Retry-After and lockedUntil, one pix.pin-locked event published, even the right PIN refused on every operation; after the lock period the right PIN works and the count starts again', async () => {
    const [a, b] = await Promise.all([newCustomer(api), newCustomer(api)]);
    await deposit(api, a.accountId, '30.00');
    const key = await addKey(api, b);
    const before = await footprint(a);

    expect((await pix(api, a, { key, amount: '1.00', pin: WRONG_PIN })).status).toBe(403);
    expect((await setLimits(api, a, { perTransaction: '50.00', pin: WRONG_PIN })).status).toBe(403);
    const third = await pix(api, a, { key, amount: '1.00', pin: WRONG_PIN });
    expectProblem(third, 423, 'PIN_LOCKED');
    expect(third.body.message).toMatch(/^PIX bloqueado por 3 tentativas com a senha de transação errada\. Tente de novo após \d{2}:\d{2}\.$/);
    const lockedUntil = new Date(third.body.lockedUntil);
    expect(lockedUntil.getTime() - Date.now()).toBeGreaterThan(0);
    expect(lockedUntil.getTime() - Date.now()).toBeLessThanOrEqual(LOCK_SECONDS * 1000);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(third.headers.get('retry-after'))).toBeLessThanOrEqual(LOCK_SECONDS);

    const rightWhileLocked = await pix(api, a, { key, amount: '1.00' });
    expectProblem(rightWhileLocked, 423, 'PIN_LOCKED');
    expect(rightWhileLocked.body.lockedUntil).toBe(third.body.lockedUntil);
    expectProblem(await setLimits(api, a, { perTransaction: '50.00' }), 423, 'PIN_LOCKED');
    expectProblem(await pix(api, a, { key, amount: '1.00', pin: WRONG_PIN }), 423, 'PIN_LOCKED');
    expect(await pinStatus(a)).toEqual({ status: 'LOCKED', attemptsLeft: 0, lockedUntil: third.body.lockedUntil });
    expect(await footprint(a)).toEqual(before);

    const events = await eventually(
      async () => {
        const { rows } = await pinLockedEvents(a);
        return rows.every((r) => r.published_at) ? rows : undefined;
      },
      { timeoutMs: 15_000, what: 'pix.pin-locked published' },
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.envelope.payload).toEqual({ customerId: a.customerId, accountId: a.accountId, lockedUntil: third.body.lockedUntil });

    await new Promise((r) => setTimeout(r, lockedUntil.getTime() - Date.now() + 300));
    expect(await pinStatus(a)).toEqual({ status: 'ACTIVE', attemptsLeft: 3, lockedUntil: null });
    const wrongAfter = await pix(api, a, { key, amount: '1.00', pin: WRONG_PIN });
    expectProblem(wrongAfter, 403, 'PIN_INVALID');
    expect(wrongAfter.body.attemptsLeft).toBe(2);
    const after = await pix(api, a, { key, amount: '1.00' });
    expect(after.status, after.text).toBe(202);
    expect(await pinStatus(a)).toEqual({ status: 'ACTIVE', attemptsLeft: 3, lockedUntil: null });
    expect((await pinLockedEvents(a)).rows).toHaveLength(1);
  });

  it('when many wrong PINs arrive at once, then exactly two are counted as 403 (2 and 1 left), the rest are 423, and exactly one lock event is written', async () => {
    const [a, b] = await Promise.all([newCustomer(api), newCustomer(api)]);
    await deposit(api, a.accountId, '10.00');
    const key = await addKey(api, b);
    const results = await Promise.all(Array.from({ length: 8 }, () => pix(api, a, { key, amount: '1.00', pin: WRONG_PIN })));
    const invalid = results.filter((r) => r.status === 403);
    expect(invalid.map((r) => r.body.attemptsLeft).sort()).toEqual([1, 2]);
    expect(results.filter((r) => r.status === 423)).toHaveLength(6);
    expect((await pinLockedEvents(a)).rows).toHaveLength(1);
    const { rows } = await api.rt.pool.query('SELECT failed_attempts FROM transaction_pins WHERE customer_id = $1', [a.customerId]);
    expect(rows[0].failed_attempts).toBe(3);
  });

  it('when a customer from before the PIN makes a PIX, then 403 PIN_NOT_SET; a weak PIN is refused, the first one is set once (then 409), and PIX works with it', async () => {
    const [a, b] = await Promise.all([newCustomer(api, { pin: null }), newCustomer(api)]);
    await deposit(api, a.accountId, '10.00');
    const key = await addKey(api, b);
    expect(await pinStatus(a)).toEqual({ status: 'NOT_SET', attemptsLeft: 3, lockedUntil: null });
    expectProblem(await pix(api, a, { key, amount: '1.00' }), 403, 'PIN_NOT_SET');
    expectProblem(await setLimits(api, a, { perTransaction: '10.00' }), 403, 'PIN_NOT_SET');

    for (const weak of ['1234', '1111', '1212', '1987']) {
      const r = await call(api, a.token, 'POST', '/v1/pix/pin', { pin: weak });
      expectProblem(r, 422, 'PIN_WEAK');
      expect(r.body.errors).toContainEqual({ field: 'pin', code: 'PIN_WEAK', message: r.body.message });
    }
    expectProblem(await call(api, a.token, 'POST', '/v1/pix/pin', {}), 400, 'VALIDATION_FAILED');
    const set = await call(api, a.token, 'POST', '/v1/pix/pin', { pin: '0852' });
    expect(set.status, set.text).toBe(204);
    expectProblem(await call(api, a.token, 'POST', '/v1/pix/pin', { pin: '3579' }), 409, 'PIN_ALREADY_SET');
    expect(await pinStatus(a)).toEqual({ status: 'ACTIVE', attemptsLeft: 3, lockedUntil: null });
    expectProblem(await pix(api, a, { key, amount: '1.00', pin: '3579' }), 403, 'PIN_INVALID');
    expect((await pix(api, a, { key, amount: '1.00', pin: '0852' })).status).toBe(202);

    // The row holds the keyed hash only.
    const { rows } = await api.rt.pool.query('SELECT row_to_json(p)::text AS json, pin_hash FROM transaction_pins p WHERE customer_id = $1', [a.customerId]);
    expect(rows[0].pin_hash).toBe(hashTransactionPin(api.rt.ctx.transactionPin!.key, a.customerId, '0852'));
    // The hash itself is random-looking hex: the PIN is looked for in every other column.
    expect(withoutIds(rows[0].json.replace(rows[0].pin_hash, '<hash>'))).not.toContain('0852');
  });

  it('when the PIN is changed, then only with a password typed just now (auth_time): a password-grant or an old token is refused with 403 REAUTHENTICATION_REQUIRED; a fresh one sets the new PIN, which also lifts a lock', async () => {
    const [a, b, none] = await Promise.all([newCustomer(api), newCustomer(api), newCustomer(api, { pin: null })]);
    await deposit(api, a.accountId, '10.00');
    const key = await addKey(api, b);

    // Keycloak puts no auth_time in a password grant's token: no proof of a password typed just now.
    expect(claimsOf(a.token).auth_time).toBeUndefined();
    const stale = await call(api, a.token, 'PUT', '/v1/pix/pin', { pin: '3579' });
    expectProblem(stale, 403, 'REAUTHENTICATION_REQUIRED');
    expect(stale.body.message).toBe('Confirme sua senha para alterar a senha de transação.');

    for (let i = 0; i < 3; i++) await pix(api, a, { key, amount: '1.00', pin: WRONG_PIN });
    expect((await pinStatus(a)).status).toBe('LOCKED');

    const fresh = await codeFlowToken(a.cpf, PASSWORD);
    expect(Math.abs(Number(claimsOf(fresh).auth_time) - Date.now() / 1000)).toBeLessThan(30);
    expectProblem(await call(api, fresh, 'PUT', '/v1/pix/pin', { pin: '6789' }), 422, 'PIN_WEAK');
    expectProblem(await call(api, fresh, 'PUT', '/v1/pix/pin', { pin: '67' }), 400, 'VALIDATION_FAILED');
    const changed = await call(api, fresh, 'PUT', '/v1/pix/pin', { pin: '3579' });
    expect(changed.status, changed.text).toBe(204);
    expect(await pinStatus(a)).toEqual({ status: 'ACTIVE', attemptsLeft: 3, lockedUntil: null });
    expectProblem(await pix(api, a, { key, amount: '1.00' }), 403, 'PIN_INVALID');
    expect((await pix(api, a, { key, amount: '1.00', pin: '3579' })).status).toBe(202);

    // A customer without a PIN cannot "change" one.
    expectProblem(await call(api, await codeFlowToken(none.cpf, PASSWORD), 'PUT', '/v1/pix/pin', { pin: '3579' }), 409, 'PIN_NOT_SET');

    // The same kind of token, older than the allowed age, is refused.
    const strict = await startPaymentsApi({ relay: false, env: { PIX_PIN_CHANGE_MAX_AUTH_AGE_SECONDS: '1' } });
    try {
      const token = await codeFlowToken(a.cpf, PASSWORD);
      await new Promise((r) => setTimeout(r, 2200));
      expectProblem(await call(strict, token, 'PUT', '/v1/pix/pin', { pin: '0852' }), 403, 'REAUTHENTICATION_REQUIRED');
      expect((await call(api, token, 'PUT', '/v1/pix/pin', { pin: '0852' })).status).toBe(204);
    } finally {
      await strict.close();
    }
  });

  it('when account.created brings the PIN chosen at registration (its hash), then the Account consumer of the stack stores it and that PIN confirms a PIX', async () => {
    const [a, b] = await Promise.all([newCustomer(api, { viaKafka: true, pin: '0852' }), newCustomer(api)]);
    await deposit(api, a.accountId, '10.00');
    const key = await addKey(api, b);
    expectProblem(await pix(api, a, { key, amount: '1.00' }), 403, 'PIN_INVALID');
    expect((await pix(api, a, { key, amount: '1.00', pin: '0852' })).status).toBe(202);
  });

  it('then no log line of the API carried a PIN', () => {
    expect(logs.lines.length).toBeGreaterThan(10);
    const all = logs.lines.join('\n');
    expect(all).not.toMatch(/"pin"\s*:/i);
    for (const pin of [WRONG_PIN, '0852', '3579']) expect(all).not.toContain(`"${pin}"`);
  });
});
