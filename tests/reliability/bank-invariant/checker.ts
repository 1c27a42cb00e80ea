// The bank invariant checker: a pure function of the recorded history and the final state (no I/O), so it can be
// fed a hand-made bad history in a unit test and be seen to fail.
import type { FinalState, FinalTransfer, Op, TransferOp, TransferStatus, TransferStatusRead } from './history';

export type ViolationKind =
  | 'MONEY_NOT_CONSERVED'
  | 'NEGATIVE_BALANCE'
  | 'ACCEPTED_TRANSFER_LOST'
  | 'ACCEPTED_TRANSFER_ALTERED'
  | 'PHANTOM_TRANSFER'
  | 'TRANSFER_NOT_FINAL'
  | 'TRANSFER_TWO_FINAL_STATES'
  | 'TRANSFER_LEDGER_MISMATCH'
  | 'REFUND_EXCEEDS_ORIGINAL'
  | 'LEDGER_BALANCE_MISMATCH'
  | 'RESERVE_NOT_RELEASED'
  | 'API_BALANCE_MISMATCH'
  | 'STATEMENT_MISMATCH'
  | 'SAGA_EVENT_MISSING'
  | 'SAGA_EVENT_DUPLICATED'
  | 'NOTIFICATION_MISSING'
  | 'NOTIFICATION_DUPLICATED'
  | 'NOTIFICATION_NOT_DELIVERED'
  | 'OUTBOX_UNPUBLISHED';

export interface Violation {
  kind: ViolationKind;
  detail: string;
}

export interface CheckStats {
  transfers: { attempted: number; accepted: number; refused: number; indeterminate: number; completed: number; failed: number; pending: number; refunds: number };
  reads: { balance: number; statement: number; transferStatus: number; failed: number };
  refusals: Record<string, number>;
  totalBefore: bigint;
  totalAfter: bigint;
  notifications: { inApp: number; deliveries: number };
}

export interface CheckResult {
  valid: boolean;
  violations: Violation[];
  stats: CheckStats;
}

const FINAL: ReadonlySet<TransferStatus> = new Set(['COMPLETED', 'FAILED']);
const CHANNELS = ['email', 'sms', 'push'] as const;
const sum = (xs: Iterable<bigint>) => {
  let t = 0n;
  for (const x of xs) t += x;
  return t;
};
const countBy = <T>(xs: T[], key: (x: T) => string) => {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
};

export function checkBankInvariant(ops: Op[], final: FinalState): CheckResult {
  const violations: Violation[] = [];
  const add = (kind: ViolationKind, detail: string) => violations.push({ kind, detail });
  const transfersById = new Map(final.transfers.map((t) => [t.id, t]));
  const transferOps = ops.filter((o): o is TransferOp => o.type === 'transfer');

  // 1. Total money exactly conserved: the run moves money only between its own customers.
  const totalBefore = sum(final.customers.map((c) => c.initialCentavos));
  const totalAfter = sum(final.customers.map((c) => c.posted));
  if (totalBefore !== totalAfter) add('MONEY_NOT_CONSERVED', `customers held ${totalBefore} centavos before and ${totalAfter} after (difference ${totalAfter - totalBefore})`);
  const apiTotal = final.customers.every((c) => c.api) ? sum(final.customers.map((c) => c.api!.posted)) : undefined;
  if (apiTotal !== undefined && apiTotal !== totalBefore) add('MONEY_NOT_CONSERVED', `the balances the API shows add up to ${apiTotal} centavos, not ${totalBefore}`);

  // 2. No balance ever observed below zero (during the run, and at the end).
  for (const o of ops) {
    if (o.type !== 'balance' || o.outcome !== 'ok') continue;
    for (const [field, v] of [['posted', o.posted], ['reserved', o.reserved], ['available', o.available]] as const) {
      if (v !== undefined && v < 0n) add('NEGATIVE_BALANCE', `${o.customer} read ${field} = ${v} at ${o.completedAt} ms`);
    }
  }
  for (const c of final.customers) {
    if (c.posted < 0n || c.posted - c.reserved < 0n || c.reserved < 0n) add('NEGATIVE_BALANCE', `${c.id} ends with posted ${c.posted}, reserved ${c.reserved}`);
  }

  // 3. Every accepted transfer reached exactly one final state, unchanged; nothing appeared that nobody asked for.
  for (const o of transferOps) {
    if (o.outcome !== 'ok') continue;
    const t = o.transferId ? transfersById.get(o.transferId) : undefined;
    if (!t) {
      add('ACCEPTED_TRANSFER_LOST', `transfer ${o.transferId ?? '(no id)'} of ${o.amountCentavos} from ${o.from} was accepted but is not in the database`);
      continue;
    }
    if (t.amountCentavos !== o.amountCentavos || t.payerCustomerId !== o.from || t.receiverCustomerId !== o.to || (t.refundOf ?? undefined) !== o.refundOf) {
      add('ACCEPTED_TRANSFER_ALTERED', `transfer ${t.id}: asked ${o.from}→${o.to} ${o.amountCentavos}${o.refundOf ? ` returning ${o.refundOf}` : ''}, stored ${t.payerCustomerId}→${t.receiverCustomerId} ${t.amountCentavos}${t.refundOf ? ` returning ${t.refundOf}` : ''}`);
    }
  }
  const acceptedIds = new Set(transferOps.filter((o) => o.outcome === 'ok' && o.transferId).map((o) => o.transferId!));
  const indeterminateBy = countBy(
    transferOps.filter((o) => o.outcome === 'info'),
    (o) => o.from,
  );
  const unclaimedBy = countBy(
    final.transfers.filter((t) => !acceptedIds.has(t.id)),
    (t) => t.payerCustomerId,
  );
  for (const [payer, n] of unclaimedBy) {
    const allowed = indeterminateBy.get(payer) ?? 0;
    if (n > allowed) add('PHANTOM_TRANSFER', `${n} transfers from ${payer} exist that no accepted request created, but only ${allowed} requests were indeterminate`);
  }
  for (const t of final.transfers) {
    if (!FINAL.has(t.status)) add('TRANSFER_NOT_FINAL', `transfer ${t.id} is still ${t.status} after quiescence`);
  }
  const seenStatus = new Map<string, TransferStatusRead[]>();
  for (const o of ops) {
    if (o.type !== 'transfer-status' || o.outcome !== 'ok' || !o.status) continue;
    seenStatus.set(o.transferId, [...(seenStatus.get(o.transferId) ?? []), o]);
  }
  for (const [id, reads] of seenStatus) {
    const finals = new Set(reads.filter((r) => FINAL.has(r.status!)).map((r) => r.status!));
    const dbStatus = transfersById.get(id)?.status;
    if (dbStatus && FINAL.has(dbStatus)) finals.add(dbStatus);
    if (finals.size > 1) add('TRANSFER_TWO_FINAL_STATES', `transfer ${id} was seen ${[...finals].join(' and ')}`);
    // Once final, never PENDING again (reads that began after a final read completed).
    const firstFinal = reads.filter((r) => FINAL.has(r.status!)).reduce((m, r) => Math.min(m, r.completedAt), Infinity);
    if (reads.some((r) => r.status === 'PENDING' && r.invokedAt > firstFinal)) add('TRANSFER_TWO_FINAL_STATES', `transfer ${id} was seen PENDING again after it was final`);
  }

  // 4. Ledger, balances and statements agree.
  const byAccount = new Map(final.customers.map((c) => [c.accountId, c]));
  const customerOfAccount = (accountId: string) => byAccount.get(accountId)?.id;
  const entriesOf = (transferId: string) => final.ledger.filter((e) => e.transferId === transferId);
  for (const t of final.transfers) {
    const lines = entriesOf(t.id);
    // A PIX posts PIX_OUT / PIX_IN; a devolução posts PIX_REVERSAL on both sides.
    const [debitKind, creditKind, otherKinds] = t.refundOf ? (['PIX_REVERSAL', 'PIX_REVERSAL', ['PIX_OUT', 'PIX_IN']] as const) : (['PIX_OUT', 'PIX_IN', ['PIX_REVERSAL']] as const);
    const out = lines.filter((e) => e.kind === debitKind && e.direction === 'DEBIT' && customerOfAccount(e.accountId) === t.payerCustomerId && e.amountCentavos === t.amountCentavos);
    const inn = lines.filter((e) => e.kind === creditKind && e.direction === 'CREDIT' && customerOfAccount(e.accountId) === t.receiverCustomerId && e.amountCentavos === t.amountCentavos);
    const wrongKind = lines.filter((e) => (otherKinds as readonly string[]).includes(e.kind));
    const expected = t.status === 'COMPLETED' ? 1 : 0;
    if (out.length !== expected || inn.length !== expected || wrongKind.length > 0 || lines.length !== 2 * expected) {
      add('TRANSFER_LEDGER_MISMATCH', `${t.status} ${t.refundOf ? 'devolução' : 'transfer'} ${t.id} has ${lines.length} ledger lines (debits to payer ${out.length}, credits to receiver ${inn.length}, of the wrong kind ${wrongKind.length})`);
    }
    const debits = sum(lines.filter((e) => e.direction === 'DEBIT').map((e) => e.amountCentavos));
    const credits = sum(lines.filter((e) => e.direction === 'CREDIT').map((e) => e.amountCentavos));
    if (debits !== credits) add('TRANSFER_LEDGER_MISMATCH', `transfer ${t.id} journal is unbalanced: debits ${debits}, credits ${credits}`);
  }
  // A devolução returns a completed PIX, from its receiver to its payer, and the returns that did not fail never pass it.
  for (const t of final.transfers) {
    const returns = final.transfers.filter((r) => r.refundOf === t.id);
    if (returns.length === 0) continue;
    const held = sum(returns.filter((r) => r.status !== 'FAILED').map((r) => r.amountCentavos));
    if (held > t.amountCentavos) add('REFUND_EXCEEDS_ORIGINAL', `transfer ${t.id} of ${t.amountCentavos} has returns of ${held} that did not fail`);
    if (t.status !== 'COMPLETED' || t.refundOf) add('REFUND_EXCEEDS_ORIGINAL', `${t.status}${t.refundOf ? ' devolução' : ' transfer'} ${t.id} was returned`);
    for (const r of returns) {
      if (r.payerCustomerId !== t.receiverCustomerId || r.receiverCustomerId !== t.payerCustomerId) add('REFUND_EXCEEDS_ORIGINAL', `devolução ${r.id} of ${t.id} goes ${r.payerCustomerId}→${r.receiverCustomerId}, not back to the payer`);
    }
  }
  for (const c of final.customers) {
    const lines = final.ledger.filter((e) => e.accountId === c.accountId);
    const fromLedger = sum(lines.map((e) => (e.direction === 'CREDIT' ? e.amountCentavos : -e.amountCentavos)));
    if (fromLedger !== c.posted) add('LEDGER_BALANCE_MISMATCH', `${c.id}: ledger lines add up to ${fromLedger}, the account says ${c.posted}`);
    const completedIn = sum(final.transfers.filter((t) => t.status === 'COMPLETED' && t.receiverCustomerId === c.id).map((t) => t.amountCentavos));
    const completedOut = sum(final.transfers.filter((t) => t.status === 'COMPLETED' && t.payerCustomerId === c.id).map((t) => t.amountCentavos));
    const model = c.initialCentavos + completedIn - completedOut;
    if (model !== c.posted) add('LEDGER_BALANCE_MISMATCH', `${c.id}: initial ${c.initialCentavos} + completed in ${completedIn} − completed out ${completedOut} = ${model}, the account says ${c.posted}`);
    const pendingOut = sum(final.transfers.filter((t) => t.status === 'PENDING' && t.payerCustomerId === c.id).map((t) => t.amountCentavos));
    if (c.reserved !== pendingOut) add('RESERVE_NOT_RELEASED', `${c.id}: ${c.reserved} centavos reserved, pending transfers hold ${pendingOut}`);
    if (c.api && (c.api.posted !== c.posted || c.api.reserved !== c.reserved || c.api.available !== c.posted - c.reserved)) {
      add('API_BALANCE_MISMATCH', `${c.id}: API shows posted ${c.api.posted} / reserved ${c.api.reserved} / available ${c.api.available}, the database ${c.posted} / ${c.reserved}`);
    }
    if (c.statement) {
      const key = (x: { type: string; kind: string; amountCentavos: bigint; transferId: string | null }) => `${x.type}|${x.kind}|${x.amountCentavos}|${x.transferId ?? ''}`;
      const want = countBy(
        lines.map((e) => ({ ...e, type: e.direction })),
        key,
      );
      const got = countBy(c.statement, key);
      const diff = [...new Set([...want.keys(), ...got.keys()])].filter((k) => want.get(k) !== got.get(k));
      if (diff.length) add('STATEMENT_MISMATCH', `${c.id}: statement and ledger differ on ${diff.length} line(s), e.g. ${diff[0]} (ledger ${want.get(diff[0]!) ?? 0}, statement ${got.get(diff[0]!) ?? 0})`);
    }
  }

  // 5. Every completed (or failed) PIX produced its event once and its notifications exactly once.
  const eventsOf = new Map<string, FinalState['sagaEvents']>();
  for (const e of final.sagaEvents) eventsOf.set(e.transferId, [...(eventsOf.get(e.transferId) ?? []), e]);
  for (const t of final.transfers) {
    if (!FINAL.has(t.status)) continue;
    const type = t.status === 'COMPLETED' ? 'pix.completed' : 'pix.failed';
    const events = (eventsOf.get(t.id) ?? []).filter((e) => e.type === type);
    const wrong = (eventsOf.get(t.id) ?? []).filter((e) => e.type !== type);
    if (events.length === 0) add('SAGA_EVENT_MISSING', `${t.status} transfer ${t.id} has no ${type} event`);
    if (events.length > 1 || wrong.length) add('SAGA_EVENT_DUPLICATED', `transfer ${t.id} emitted ${events.length} ${type} and ${wrong.length} contradicting event(s)`);
    for (const e of events) checkNotifications(t, e.eventId, final, add);
  }

  // 6. No outbox row left unpublished.
  for (const r of final.unpublishedOutbox) add('OUTBOX_UNPUBLISHED', `${r.database}: ${r.topic} event ${r.eventId} was never published`);

  const count = (pred: (o: Op) => boolean) => ops.filter(pred).length;
  const refusals: Record<string, number> = {};
  for (const o of transferOps) if (o.outcome === 'fail') refusals[o.error ?? String(o.httpStatus)] = (refusals[o.error ?? String(o.httpStatus)] ?? 0) + 1;
  const stats: CheckStats = {
    transfers: {
      attempted: transferOps.length,
      accepted: transferOps.filter((o) => o.outcome === 'ok').length,
      refused: transferOps.filter((o) => o.outcome === 'fail').length,
      indeterminate: transferOps.filter((o) => o.outcome === 'info').length,
      completed: final.transfers.filter((t) => t.status === 'COMPLETED').length,
      failed: final.transfers.filter((t) => t.status === 'FAILED').length,
      pending: final.transfers.filter((t) => t.status === 'PENDING').length,
      refunds: final.transfers.filter((t) => t.refundOf).length,
    },
    reads: {
      balance: count((o) => o.type === 'balance' && o.outcome === 'ok'),
      statement: count((o) => o.type === 'statement' && o.outcome === 'ok'),
      transferStatus: count((o) => o.type === 'transfer-status' && o.outcome === 'ok'),
      failed: count((o) => o.type !== 'transfer' && o.outcome !== 'ok'),
    },
    refusals,
    totalBefore,
    totalAfter,
    notifications: { inApp: final.inApp.length, deliveries: final.deliveries.length },
  };
  return { valid: violations.length === 0, violations, stats };
}

/** pix.completed: payer PIX_SENT + receiver PIX_RECEIVED in-app, and e-mail, SMS and push to each, once. pix.failed: the payer's PIX_FAILED. */
function checkNotifications(t: FinalTransfer, eventId: string, final: FinalState, add: (k: ViolationKind, d: string) => void) {
  const expected =
    t.status === 'COMPLETED'
      ? [
          { customerId: t.payerCustomerId, kind: 'PIX_SENT' },
          { customerId: t.receiverCustomerId, kind: 'PIX_RECEIVED' },
        ]
      : [{ customerId: t.payerCustomerId, kind: 'PIX_FAILED' }];
  const inApp = final.inApp.filter((n) => n.eventId === eventId);
  for (const e of expected) {
    const n = inApp.filter((x) => x.customerId === e.customerId && x.kind === e.kind).length;
    if (n === 0) add('NOTIFICATION_MISSING', `${t.status} transfer ${t.id}: no in-app ${e.kind} for ${e.customerId}`);
    if (n > 1) add('NOTIFICATION_DUPLICATED', `${t.status} transfer ${t.id}: ${n} in-app ${e.kind} for ${e.customerId}`);
  }
  const strays = inApp.filter((x) => !expected.some((e) => e.customerId === x.customerId && e.kind === x.kind));
  if (strays.length) add('NOTIFICATION_DUPLICATED', `${t.status} transfer ${t.id}: unexpected in-app notification(s) ${strays.map((s) => `${s.kind}→${s.customerId}`).join(', ')}`);
  if (t.status !== 'COMPLETED') return;
  const deliveries = final.deliveries.filter((d) => d.eventId === eventId);
  for (const e of expected) {
    for (const channel of CHANNELS) {
      const rows = deliveries.filter((d) => d.customerId === e.customerId && d.channel === channel);
      if (rows.length === 0) add('NOTIFICATION_MISSING', `transfer ${t.id}: no ${channel} delivery for ${e.customerId}`);
      else if (rows.length > 1) add('NOTIFICATION_DUPLICATED', `transfer ${t.id}: ${rows.length} ${channel} deliveries for ${e.customerId}`);
      else if (rows[0]!.status !== 'delivered') add('NOTIFICATION_NOT_DELIVERED', `transfer ${t.id}: ${channel} to ${e.customerId} is ${rows[0]!.status}`);
    }
  }
}

/** JSON-friendly copy (bigint → string) for printing and saving. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2);
}
