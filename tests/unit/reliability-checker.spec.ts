// The bank-invariant checker fed hand-made histories: a clean one passes, and each kind of damage is caught.
import { describe, expect, it } from 'vitest';
import { checkBankInvariant, type ViolationKind } from '../reliability/bank-invariant/checker';
import type { FinalState, LedgerEntryRow, Op } from '../reliability/bank-invariant/history';

const A = 'cust-a';
const B = 'cust-b';
const ACC = { [A]: 'acc-a', [B]: 'acc-b' } as Record<string, string>;

/** Two customers with R$ 100,00 each; A sends B R$ 10,00 (t1, completed) and R$ 5,00 (t2, failed by fraud). */
function cleanRun(): { ops: Op[]; final: FinalState } {
  const ops: Op[] = [
    { type: 'transfer', process: 0, invokedAt: 0, completedAt: 20, outcome: 'ok', httpStatus: 202, from: A, to: B, amountCentavos: 1000n, idempotencyKey: 'k1', transferId: 't1' },
    { type: 'transfer', process: 0, invokedAt: 30, completedAt: 50, outcome: 'ok', httpStatus: 202, from: A, to: B, amountCentavos: 500n, idempotencyKey: 'k2', transferId: 't2' },
    { type: 'transfer', process: 1, invokedAt: 40, completedAt: 60, outcome: 'fail', httpStatus: 422, error: 'SALDO_INSUFICIENTE', from: B, to: A, amountCentavos: 99_999n, idempotencyKey: 'k3' },
    { type: 'balance', process: 1, customer: A, invokedAt: 55, completedAt: 60, outcome: 'ok', posted: 10_000n, reserved: 1500n, available: 8500n },
    { type: 'transfer-status', process: 0, customer: A, transferId: 't1', invokedAt: 70, completedAt: 80, outcome: 'ok', status: 'PENDING' },
    { type: 'transfer-status', process: 0, customer: A, transferId: 't1', invokedAt: 90, completedAt: 100, outcome: 'ok', status: 'COMPLETED' },
    { type: 'statement', process: 1, customer: B, invokedAt: 90, completedAt: 95, outcome: 'ok', items: 2 },
  ];
  const deposit = (acc: string, j: string): LedgerEntryRow => ({ accountId: acc, journalId: j, direction: 'CREDIT', kind: 'DEPOSIT', amountCentavos: 10_000n, transferId: null });
  const ledger: LedgerEntryRow[] = [
    deposit('acc-a', 'j0'),
    deposit('acc-b', 'j1'),
    { accountId: 'acc-a', journalId: 'j2', direction: 'DEBIT', kind: 'PIX_OUT', amountCentavos: 1000n, transferId: 't1' },
    { accountId: 'acc-b', journalId: 'j2', direction: 'CREDIT', kind: 'PIX_IN', amountCentavos: 1000n, transferId: 't1' },
  ];
  const statementOf = (acc: string) => ledger.filter((e) => e.accountId === acc).map((e) => ({ type: e.direction, kind: e.kind, amountCentavos: e.amountCentavos, transferId: e.transferId }));
  const final: FinalState = {
    customers: [
      { id: A, accountId: ACC[A]!, initialCentavos: 10_000n, posted: 9000n, reserved: 0n, api: { posted: 9000n, reserved: 0n, available: 9000n }, statement: statementOf('acc-a') },
      { id: B, accountId: ACC[B]!, initialCentavos: 10_000n, posted: 11_000n, reserved: 0n, api: { posted: 11_000n, reserved: 0n, available: 11_000n }, statement: statementOf('acc-b') },
    ],
    transfers: [
      { id: 't1', payerCustomerId: A, receiverCustomerId: B, amountCentavos: 1000n, status: 'COMPLETED' },
      { id: 't2', payerCustomerId: A, receiverCustomerId: B, amountCentavos: 500n, status: 'FAILED' },
    ],
    ledger,
    sagaEvents: [
      { eventId: 'e1', type: 'pix.completed', transferId: 't1' },
      { eventId: 'e2', type: 'pix.failed', transferId: 't2' },
    ],
    inApp: [
      { eventId: 'e1', customerId: A, kind: 'PIX_SENT' },
      { eventId: 'e1', customerId: B, kind: 'PIX_RECEIVED' },
      { eventId: 'e2', customerId: A, kind: 'PIX_FAILED' },
    ],
    deliveries: (['email', 'sms', 'push'] as const).flatMap((channel) => [A, B].map((customerId) => ({ eventId: 'e1', channel, customerId, status: 'delivered' as const }))),
    unpublishedOutbox: [],
  };
  return { ops, final };
}

const kinds = (r: ReturnType<typeof checkBankInvariant>) => new Set(r.violations.map((v) => v.kind));
const expectCaught = (r: ReturnType<typeof checkBankInvariant>, kind: ViolationKind) => {
  expect(r.valid).toBe(false);
  expect(kinds(r)).toContain(kind);
};

describe('bank invariant checker', () => {
  it('when the history and the final state are consistent, then there is no violation and the figures are counted', () => {
    const { ops, final } = cleanRun();
    const r = checkBankInvariant(ops, final);
    expect(r.violations).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.stats.transfers).toEqual({ attempted: 3, accepted: 2, refused: 1, indeterminate: 0, completed: 1, failed: 1, pending: 0, refunds: 0 });
    expect(r.stats.refusals).toEqual({ SALDO_INSUFICIENTE: 1 });
    expect(r.stats.totalBefore).toBe(20_000n);
    expect(r.stats.totalAfter).toBe(20_000n);
  });

  it('when money was lost (the receiver was never credited) and a balance was seen below zero, then the run fails with both', () => {
    const { ops, final } = cleanRun();
    final.customers[1]!.posted = 10_000n; // B's credit vanished
    final.customers[1]!.api = { posted: 10_000n, reserved: 0n, available: 10_000n };
    final.ledger = final.ledger.filter((e) => !(e.kind === 'PIX_IN' && e.transferId === 't1'));
    ops.push({ type: 'balance', process: 1, customer: A, invokedAt: 120, completedAt: 125, outcome: 'ok', posted: 0n, reserved: 500n, available: -500n });
    const r = checkBankInvariant(ops, final);
    expectCaught(r, 'MONEY_NOT_CONSERVED');
    expectCaught(r, 'NEGATIVE_BALANCE');
    expectCaught(r, 'TRANSFER_LEDGER_MISMATCH');
    expect(r.violations.find((v) => v.kind === 'MONEY_NOT_CONSERVED')!.detail).toContain('difference -1000');
  });

  it('when a transfer was seen COMPLETED and later FAILED, or PENDING again after it was final, then TRANSFER_TWO_FINAL_STATES', () => {
    const { ops, final } = cleanRun();
    ops.push({ type: 'transfer-status', process: 0, customer: A, transferId: 't1', invokedAt: 110, completedAt: 120, outcome: 'ok', status: 'FAILED' });
    expectCaught(checkBankInvariant(ops, final), 'TRANSFER_TWO_FINAL_STATES');

    const again = cleanRun();
    again.ops.push({ type: 'transfer-status', process: 0, customer: A, transferId: 't1', invokedAt: 130, completedAt: 140, outcome: 'ok', status: 'PENDING' });
    expectCaught(checkBankInvariant(again.ops, again.final), 'TRANSFER_TWO_FINAL_STATES');
  });

  it('when an accepted transfer is missing, one is still pending, or one exists that no request explains, then each is named', () => {
    const { ops, final } = cleanRun();
    final.transfers = final.transfers.filter((t) => t.id !== 't2');
    final.sagaEvents = final.sagaEvents.filter((e) => e.transferId !== 't2');
    expectCaught(checkBankInvariant(ops, final), 'ACCEPTED_TRANSFER_LOST');

    const pending = cleanRun();
    pending.final.transfers[1]!.status = 'PENDING';
    pending.final.customers[0]!.reserved = 0n; // and the reserve is gone although it is pending
    const r = checkBankInvariant(pending.ops, pending.final);
    expectCaught(r, 'TRANSFER_NOT_FINAL');
    expectCaught(r, 'RESERVE_NOT_RELEASED');

    const phantom = cleanRun();
    phantom.final.transfers.push({ id: 't9', payerCustomerId: B, receiverCustomerId: A, amountCentavos: 99_999n, status: 'FAILED' });
    phantom.final.sagaEvents.push({ eventId: 'e9', type: 'pix.failed', transferId: 't9' });
    phantom.final.inApp.push({ eventId: 'e9', customerId: B, kind: 'PIX_FAILED' });
    expectCaught(checkBankInvariant(phantom.ops, phantom.final), 'PHANTOM_TRANSFER');
    // …unless a request of that payer was indeterminate (a timeout may have created it).
    phantom.ops.push({ type: 'transfer', process: 1, invokedAt: 1, completedAt: 5001, outcome: 'info', error: 'timeout', from: B, to: A, amountCentavos: 99_999n, idempotencyKey: 'k9' });
    expect(kinds(checkBankInvariant(phantom.ops, phantom.final)).has('PHANTOM_TRANSFER')).toBe(false);
  });

  it('when an outbox row was never published, then OUTBOX_UNPUBLISHED', () => {
    const { ops, final } = cleanRun();
    final.unpublishedOutbox.push({ database: 'payments', eventId: 'e7', topic: 'pix.completed' });
    expectCaught(checkBankInvariant(ops, final), 'OUTBOX_UNPUBLISHED');
  });

  it('when a completed PIX notified the payer twice, or the receiver not at all, or an e-mail is stuck, then the notification violations appear', () => {
    const dup = cleanRun();
    dup.final.inApp.push({ eventId: 'e1', customerId: A, kind: 'PIX_SENT' });
    expectCaught(checkBankInvariant(dup.ops, dup.final), 'NOTIFICATION_DUPLICATED');

    const missing = cleanRun();
    missing.final.inApp = missing.final.inApp.filter((n) => n.kind !== 'PIX_RECEIVED');
    expectCaught(checkBankInvariant(missing.ops, missing.final), 'NOTIFICATION_MISSING');

    const stuck = cleanRun();
    stuck.final.deliveries[0]!.status = 'sending';
    expectCaught(checkBankInvariant(stuck.ops, stuck.final), 'NOTIFICATION_NOT_DELIVERED');

    const twice = cleanRun();
    twice.final.sagaEvents.push({ eventId: 'e1b', type: 'pix.completed', transferId: 't1' });
    expectCaught(checkBankInvariant(twice.ops, twice.final), 'SAGA_EVENT_DUPLICATED');
  });

  it('when the API balance or the statement disagrees with the ledger, then API_BALANCE_MISMATCH / STATEMENT_MISMATCH', () => {
    const { ops, final } = cleanRun();
    final.customers[0]!.api = { posted: 9000n, reserved: 0n, available: 9500n };
    final.customers[1]!.statement = final.customers[1]!.statement!.slice(1);
    const r = checkBankInvariant(ops, final);
    expectCaught(r, 'API_BALANCE_MISMATCH');
    expectCaught(r, 'STATEMENT_MISMATCH');
  });

  it('when the account balance drifts from its ledger lines (a FAILED transfer still debited), then LEDGER_BALANCE_MISMATCH', () => {
    const { ops, final } = cleanRun();
    final.customers[0]!.posted = 8500n;
    final.customers[0]!.api = { posted: 8500n, reserved: 0n, available: 8500n };
    final.customers[1]!.posted = 11_500n;
    final.customers[1]!.api = { posted: 11_500n, reserved: 0n, available: 11_500n };
    const r = checkBankInvariant(ops, final);
    expect(kinds(r).has('MONEY_NOT_CONSERVED')).toBe(false); // the total still adds up…
    expectCaught(r, 'LEDGER_BALANCE_MISMATCH'); // …but the books do not
  });

  /** cleanRun plus B returning R$ 4,00 of t1 to A (r1, completed: PIX_REVERSAL on both sides). */
  function withRefund() {
    const { ops, final } = cleanRun();
    ops.push({ type: 'transfer', process: 1, invokedAt: 110, completedAt: 120, outcome: 'ok', httpStatus: 202, from: B, to: A, amountCentavos: 400n, idempotencyKey: 'k4', transferId: 'r1', refundOf: 't1' });
    final.transfers.push({ id: 'r1', payerCustomerId: B, receiverCustomerId: A, amountCentavos: 400n, status: 'COMPLETED', refundOf: 't1' });
    final.ledger.push(
      { accountId: 'acc-b', journalId: 'j3', direction: 'DEBIT', kind: 'PIX_REVERSAL', amountCentavos: 400n, transferId: 'r1' },
      { accountId: 'acc-a', journalId: 'j3', direction: 'CREDIT', kind: 'PIX_REVERSAL', amountCentavos: 400n, transferId: 'r1' },
    );
    const [a, b] = final.customers as [FinalState['customers'][number], FinalState['customers'][number]];
    a.posted = 9400n;
    a.api = { posted: 9400n, reserved: 0n, available: 9400n };
    b.posted = 10_600n;
    b.api = { posted: 10_600n, reserved: 0n, available: 10_600n };
    for (const c of final.customers) c.statement = final.ledger.filter((e) => e.accountId === c.accountId).map((e) => ({ type: e.direction, kind: e.kind, amountCentavos: e.amountCentavos, transferId: e.transferId }));
    final.sagaEvents.push({ eventId: 'e3', type: 'pix.completed', transferId: 'r1' });
    final.inApp.push({ eventId: 'e3', customerId: B, kind: 'PIX_SENT' }, { eventId: 'e3', customerId: A, kind: 'PIX_RECEIVED' });
    final.deliveries.push(...(['email', 'sms', 'push'] as const).flatMap((channel) => [A, B].map((customerId) => ({ eventId: 'e3', channel, customerId, status: 'delivered' as const }))));
    return { ops, final };
  }

  it('when a received PIX is partly returned (devolução) with PIX_REVERSAL lines, then there is no violation and the return is counted', () => {
    const { ops, final } = withRefund();
    const r = checkBankInvariant(ops, final);
    expect(r.violations).toEqual([]);
    expect(r.stats.transfers.refunds).toBe(1);
  });

  it('when returns pass the original, a failed PIX was returned, or a return was posted as a PIX, then REFUND_EXCEEDS_ORIGINAL and TRANSFER_LEDGER_MISMATCH', () => {
    const over = withRefund();
    over.final.transfers.find((t) => t.id === 'r1')!.amountCentavos = 1400n;
    for (const o of over.ops) if (o.type === 'transfer' && o.transferId === 'r1') o.amountCentavos = 1400n;
    expectCaught(checkBankInvariant(over.ops, over.final), 'REFUND_EXCEEDS_ORIGINAL');

    const ofFailed = withRefund();
    ofFailed.final.transfers.find((t) => t.id === 'r1')!.refundOf = 't2';
    expectCaught(checkBankInvariant(ofFailed.ops, ofFailed.final), 'REFUND_EXCEEDS_ORIGINAL');

    const asPix = withRefund();
    for (const e of asPix.final.ledger) if (e.transferId === 'r1') e.kind = e.direction === 'DEBIT' ? 'PIX_OUT' : 'PIX_IN';
    expectCaught(checkBankInvariant(asPix.ops, asPix.final), 'TRANSFER_LEDGER_MISMATCH');
  });
});
