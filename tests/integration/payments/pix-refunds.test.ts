// PIX devolução (issue #18) against the real stack: the receiver returns part and then the rest of a PIX through the
// saga (PIX_REVERSAL lines on both sides), the returns never pass the original — also when sent concurrently with
// different keys —, a repeated key answers the first result, the 90-day window at its edge (fixed clocks), who may
// return, and a return the receiver's balance cannot cover writes nothing.
import { refundDeadline } from '@krt/domain';
import { fixedClock, formatAuthenticationCode, receiptCodeOf } from '@krt/payments';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../../support/pdf-text';
import { addKey, balanceOf, call, deposit, finalStatus, ledgerTotals, newCustomer, pix, refund, startPaymentsApi, TEST_PIN, type TestApi } from './payments-test-kit';

function expectProblem(r: { status: number; body: any }, status: number, code: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.code).toBe(code);
  expect(typeof r.body.message).toBe('string');
  expect(r.body.message.length).toBeGreaterThan(5);
}

describe('PIX devolução', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startPaymentsApi();
  });
  afterAll(async () => api?.close());

  /** A pays B `amount` (A funded with `fund`); returns both and the completed transfer's id. */
  async function paid(amount: string, fund = amount) {
    const [a, b] = await Promise.all([newCustomer(api), newCustomer(api)]);
    await deposit(api, a.accountId, fund);
    const key = await addKey(api, b);
    const sent = await pix(api, a, { key, amount, description: 'Pix a devolver' });
    expect(sent.status).toBe(202);
    expect((await finalStatus(api, a, sent.body.id)).status).toBe('COMPLETED');
    return { a, b, id: sent.body.id as string };
  }

  it('when the receiver returns part and then the rest, then both complete with PIX_REVERSAL lines, balances go back, and a third return is refused', async () => {
    const before = await ledgerTotals(api);
    const { a, b, id } = await paid('100.00');

    const first = await refund(api, b, id, { amount: '30.00', description: 'Parte devolvida' });
    expect(first.status, first.text).toBe(202);
    expect(first.body).toMatchObject({ status: 'PENDING', amount: '30.00', refundOf: id });
    expect(first.body.endToEndId).toMatch(/^D99999999\d{12}[A-Za-z0-9]{11}$/);
    expect((await finalStatus(api, b, first.body.id)).status).toBe('COMPLETED');

    const rest = await refund(api, b, id, { amount: '70.00' });
    expect(rest.status, rest.text).toBe(202);
    expect((await finalStatus(api, b, rest.body.id)).status).toBe('COMPLETED');

    const third = await refund(api, b, id, { amount: '0.01' });
    expectProblem(third, 422, 'REFUND_EXCEEDS_ORIGINAL');
    expect(third.body.message).toBe('Este Pix já foi devolvido por inteiro.');

    expect((await balanceOf(api, a)).available).toBe('100.00');
    expect((await balanceOf(api, b)).available).toBe('0.00');

    // Both parties see the original with its returns; only the receiver is told what remains returnable.
    const forB = await call(api, b.token, 'GET', `/v1/pix/transfers/${id}`);
    expect(forB.body).toMatchObject({ kind: 'PIX', refundedAmount: '100.00', refundableAmount: '0.00' });
    expect(forB.body.refunds.map((r: any) => [r.amount, r.status])).toEqual([
      ['30.00', 'COMPLETED'],
      ['70.00', 'COMPLETED'],
    ]);
    const forA = await call(api, a.token, 'GET', `/v1/pix/transfers/${id}`);
    expect(forA.body).toMatchObject({ kind: 'PIX', refundedAmount: '100.00' });
    expect(forA.body.refundableAmount).toBeUndefined();
    // The return itself: from B back to A, naming the original, no key.
    const ret = await call(api, a.token, 'GET', `/v1/pix/transfers/${first.body.id}`);
    expect(ret.body).toMatchObject({ kind: 'REFUND', refundOf: id, direction: 'RECEIVED', amount: '30.00', description: 'Parte devolvida' });
    expect(ret.body.receiver.key).toBeUndefined();

    const { rows } = await api.rt.pool.query<{ account_id: string; direction: string; amount: string }>(
      "SELECT account_id, direction, amount::text FROM ledger_entries WHERE transfer_id = ANY($1::uuid[]) AND kind = 'PIX_REVERSAL' ORDER BY occurred_at, direction",
      [[first.body.id, rest.body.id]],
    );
    expect(rows).toEqual([
      { account_id: a.accountId, direction: 'CREDIT', amount: '3000' },
      { account_id: b.accountId, direction: 'DEBIT', amount: '3000' },
      { account_id: a.accountId, direction: 'CREDIT', amount: '7000' },
      { account_id: b.accountId, direction: 'DEBIT', amount: '7000' },
    ]);
    const after = await ledgerTotals(api);
    expect(after.debits - before.debits).toBe(after.credits - before.credits);
    expect(after.sumOfBalances).toBe(0n);
  });

  it("when a return completed, then its own receipt names the original and verifies publicly, and the original's receipt lists it", async () => {
    const { a, b, id } = await paid('25.00');
    const ret = await refund(api, b, id, { amount: '7.50', description: 'Devolvendo o troco' });
    expect((await finalStatus(api, b, ret.body.id)).status).toBe('COMPLETED');
    const original = (await call(api, a.token, 'GET', `/v1/pix/transfers/${id}`)).body;
    const pdf = async (token: string, transferId: string) => {
      const res = await fetch(`${api.url}/v1/pix/transfers/${transferId}/receipt.pdf`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      return { text: pdfText(new Uint8Array(await res.arrayBuffer())), disposition: res.headers.get('content-disposition') };
    };
    const own = await pdf(a.token, ret.body.id);
    expect(own.disposition).toBe(`attachment; filename="comprovante-pix-${ret.body.endToEndId}.pdf"`);
    expect(own.text).toContain('Comprovante de devolução Pix');
    expect(own.text).toContain('R$ 7,50');
    expect(own.text).toContain(ret.body.endToEndId);
    expect(own.text).toContain(original.endToEndId);
    expect(own.text).toContain('Devolvendo o troco');
    const code = (await receiptCodeOf(api.rt.ctx, ret.body.id))!;
    expect(own.text).toContain(formatAuthenticationCode(code));
    const verified = await call(api, undefined, 'GET', `/v1/receipts/verify?${new URLSearchParams({ e2e: ret.body.endToEndId, code }).toString()}`);
    expect(verified.body).toMatchObject({ valid: true, receipt: { endToEndId: ret.body.endToEndId, amount: '7.50' } });
    const ofOriginal = await pdf(b.token, id);
    expect(ofOriginal.text).toContain('Valor devolvido deste Pix');
    expect(ofOriginal.text).toContain('Devolução de R$ 7,50');
  });

  it('when ten returns of R$ 20,00 of one R$ 100,00 PIX arrive at once with different keys, then exactly five are accepted', async () => {
    const { b, id } = await paid('100.00');
    const answers = await Promise.all(Array.from({ length: 10 }, () => refund(api, b, id, { amount: '20.00' })));
    const accepted = answers.filter((r) => r.status === 202);
    expect(accepted).toHaveLength(5);
    for (const r of answers.filter((x) => x.status !== 202)) expectProblem(r, 422, 'REFUND_EXCEEDS_ORIGINAL');
    const { rows } = await api.rt.pool.query<{ total: string }>("SELECT sum(amount)::text AS total FROM pix_transfers WHERE refund_of = $1 AND status <> 'FAILED'", [id]);
    expect(rows[0]!.total).toBe('10000');
  });

  it('when a key is sent again, then the first answer comes back marked as replayed; the same key with another amount is refused', async () => {
    const { b, id } = await paid('50.00');
    const key = randomUUID();
    const first = await refund(api, b, id, { amount: '10.00' }, key);
    expect(first.status).toBe(202);
    const again = await refund(api, b, id, { amount: '10.00' }, key);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expectProblem(await refund(api, b, id, { amount: '11.00' }, key), 422, 'IDEMPOTENCY_KEY_REUSED');
    const { rows } = await api.rt.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pix_transfers WHERE refund_of = $1', [id]);
    expect(rows[0]!.n).toBe(1);
    // No key at all: 400, as for a PIX.
    expectProblem(await call(api, b.token, 'POST', `/v1/pix/transfers/${id}/refunds`, { amount: '1.00', pin: TEST_PIN }), 400, 'IDEMPOTENCY_KEY_REQUIRED');
  });

  it('when the payer, a stranger or the return itself is used, then 422 NOT_THE_RECEIVER, 404, and 422 REFUND_NOT_ALLOWED', async () => {
    const { a, b, id } = await paid('40.00');
    expectProblem(await refund(api, a, id, { amount: '1.00' }), 422, 'NOT_THE_RECEIVER');
    const stranger = await newCustomer(api);
    expectProblem(await refund(api, stranger, id, { amount: '1.00' }), 404, 'TRANSFER_NOT_FOUND');
    expectProblem(await refund(api, b, randomUUID(), { amount: '1.00' }), 404, 'TRANSFER_NOT_FOUND');
    const ret = await refund(api, b, id, { amount: '5.00' });
    expect((await finalStatus(api, b, ret.body.id)).status).toBe('COMPLETED');
    // A receives the return; a return cannot be returned.
    expectProblem(await refund(api, a, ret.body.id, { amount: '1.00' }), 422, 'REFUND_NOT_ALLOWED');
    const bad = await refund(api, b, id, { amount: '10,50' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: any) => e.field)).toContain('amount');
  });

  it('when the 90-day window is at its edge (fixed clocks), then the last minute of day 90 is accepted and the first of day 91 refused', async () => {
    const { b, id } = await paid('20.00');
    const { rows } = await api.rt.pool.query<{ completed_at: Date }>('SELECT completed_at FROM pix_transfers WHERE id = $1', [id]);
    const deadline = refundDeadline(rows[0]!.completed_at);
    const lastMinute = await startPaymentsApi({ clock: fixedClock(new Date(deadline.getTime() - 60_000)), relay: false });
    const tooLate = await startPaymentsApi({ clock: fixedClock(deadline), relay: false });
    try {
      const late = await refund(tooLate, b, id, { amount: '1.00' });
      expectProblem(late, 422, 'REFUND_WINDOW_EXPIRED');
      expect(late.body.message).toContain('90 dias');
      // The detail read at that instant no longer offers the return.
      expect((await call(tooLate, b.token, 'GET', `/v1/pix/transfers/${id}`)).body.refundableAmount).toBeUndefined();
      const inTime = await refund(lastMinute, b, id, { amount: '1.00' });
      expect(inTime.status, inTime.text).toBe(202);
      expect((await finalStatus(api, b, inTime.body.id)).status).toBe('COMPLETED');
    } finally {
      await lastMinute.close();
      await tooLate.close();
    }
  });

  it('when the receiver has already spent the money, then the return is refused SALDO_INSUFICIENTE and nothing is written', async () => {
    const { b, id } = await paid('80.00');
    const c = await newCustomer(api);
    const cKey = await addKey(api, c);
    const spent = await pix(api, b, { key: cKey, amount: '60.00' });
    expect((await finalStatus(api, b, spent.body.id)).status).toBe('COMPLETED');
    const before = await balanceOf(api, b);
    expectProblem(await refund(api, b, id, { amount: '50.00' }), 422, 'SALDO_INSUFICIENTE');
    expect(await balanceOf(api, b)).toEqual(before);
    const { rows } = await api.rt.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pix_transfers WHERE refund_of = $1', [id]);
    expect(rows[0]!.n).toBe(0);
    // What the balance covers still goes back.
    const some = await refund(api, b, id, { amount: '20.00' });
    expect(some.status).toBe(202);
    expect((await finalStatus(api, b, some.body.id)).status).toBe('COMPLETED');
  });
});
