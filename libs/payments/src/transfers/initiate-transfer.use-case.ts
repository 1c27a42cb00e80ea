// PIX initiation (saga step 1): in ONE SQL transaction, the idempotency record, limit checks, the reserve, the
// PENDING transfer and the `pix.initiated` outbox row. Answers at once; the saga continues through Kafka.
// Group commit: the initiations that arrive while earlier groups are in flight are decided together in one
// transaction of a handful of set-wise statements, each in arrival order with the same rules as one alone. If a group
// fails unexpectedly (a constraint, a deadlock), its initiations are retried one at a time, so one bad request never
// fails the others.
import { TOPICS } from '@krt/contracts';
import {
  checkPixLimits,
  checkReserve,
  generateEndToEndId,
  KRT_ISPB,
  Money,
  nightWindowStart,
  PixKey,
  randomAlphanumeric11,
  saoPauloDayStart,
} from '@krt/domain';
import { AppError } from '@krt/platform/http';
import { commitTransaction, rollbackTransaction, type PoolClient } from '@krt/platform/persistence';
import { enqueue, outboxEnvelope, outboxWritten, traceparentFor, type OutboxMessage } from '@krt/platform/messaging';
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { changeReserve, findAccountByCustomer, snapshotOf, type AccountRow } from '../accounts/account.repository';
import type { BalanceSnapshot } from '../accounts/balance-cache';
import { findAccountByKey } from '../keys/pix-keys.use-cases';
import { limitsOf, loadLimits } from '../limits/limits.use-cases';
import { fromDomainError, PaymentsErrors } from '../shared/payments.errors';
import type { PaymentsContext } from '../shared/payments.context';
import { replayStored, retryTransient, runIdempotent, storedRefusal, type StoredError } from '../shared/idempotency';
import { afterLedgerCommit } from '../shared/read-routing';
import { verifyTransactionPin } from '../pin/transaction-pin.use-cases';
import { hasCompletedTransferTo, sentTodayAndTonight } from './transfer.repository';

export interface InitiatePixCommand {
  customerId: string;
  idempotencyKey: string;
  key: string;
  amount: Money;
  description?: string | undefined;
  /** The transaction PIN (checked first; never in the request's hash, never stored). */
  pin: string;
  correlationId: string;
  traceparent?: string | undefined;
}

export interface AcceptedTransfer {
  id: string;
  status: 'PENDING';
  endToEndId: string;
  amount: string;
  createdAt: string;
}

export interface InitiateResult {
  transfer: AcceptedTransfer;
  /** True when this is the stored answer to an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}


/** The `pix.initiated` event of an accepted initiation (the one and the grouped path, and a devolução, write the same). */
export function pixInitiated(
  cmd: Pick<InitiatePixCommand, 'customerId' | 'amount' | 'correlationId' | 'traceparent'>,
  t: {
    id: string;
    endToEndId: string;
    payerAccountId: string;
    receiver: { customerId: string; accountId: string };
    description: string;
    firstTimeRecipient: boolean;
    perTransactionLimit: Money;
    now: Date;
    refundOf?: string;
  },
): OutboxMessage<typeof TOPICS.pixInitiated> {
  return {
    topic: TOPICS.pixInitiated,
    key: t.payerAccountId,
    aggregateId: t.id,
    correlationId: cmd.correlationId,
    traceparent: cmd.traceparent,
    payload: {
      transferId: t.id,
      endToEndId: t.endToEndId,
      payer: { customerId: cmd.customerId, accountId: t.payerAccountId },
      receiver: t.receiver,
      amountCentavos: cmd.amount.toCentavos().toString(),
      description: t.description || undefined,
      firstTimeRecipient: t.firstTimeRecipient,
      payerPerTransactionLimitCentavos: t.perTransactionLimit.toCentavos().toString(),
      initiatedAt: t.now.toISOString(),
      ...(t.refundOf ? { refundOf: t.refundOf } : {}),
    },
  };
}

function requestHash(cmd: InitiatePixCommand): string {
  const canonical = JSON.stringify({ key: cmd.key.trim(), amount: cmd.amount.toCentavos().toString(), description: cmd.description ?? '' });
  return createHash('sha256').update(canonical).digest('hex');
}

const replay = (stored: { status_code: number | null; response: unknown }): InitiateResult => ({ transfer: replayStored<AcceptedTransfer>(stored, 202), replayed: true });

/**
 * Initiates a PIX: the transaction PIN first, then the next group commit of this process (see `InitiationGroups`).
 * The PIN is checked before the Idempotency-Key is claimed: a refused PIN writes nothing but its attempt counter (no
 * idempotency record that would replay the refusal when the customer retries the key with the right PIN), and a
 * replay of an accepted PIX needs the PIN too (one primary-key read), so a token alone never learns its answer.
 */
export async function initiatePixTransfer(ctx: PaymentsContext, cmd: InitiatePixCommand): Promise<InitiateResult> {
  await verifyTransactionPin(ctx, cmd);
  let groups = groupsByContext.get(ctx);
  if (!groups) groupsByContext.set(ctx, (groups = new InitiationGroups(ctx)));
  // The event's trace is the caller's: resolved here, in the request's context, not in the group's.
  return groups.submit({ ...cmd, traceparent: traceparentFor(cmd.traceparent) });
}

/**
 * One initiation (its PIN already checked) in its own transaction; a transaction the database aborted as a deadlock
 * victim is retried whole (nothing of it was kept).
 */
function initiatePixTransferAlone(ctx: PaymentsContext, cmd: InitiatePixCommand): Promise<InitiateResult> {
  return retryTransient(ctx, 'pix initiation', () => initiateOnce(ctx, cmd));
}

async function initiateOnce(ctx: PaymentsContext, cmd: InitiatePixCommand): Promise<InitiateResult> {
  const { body, replayed } = await runIdempotent<AcceptedTransfer>(ctx, { customerId: cmd.customerId, key: cmd.idempotencyKey, hash: requestHash(cmd), acceptedStatus: 202 }, async (client) => {
    const accepted = await reserveAndRecord(ctx, client, cmd, ctx.clock());
    return { body: accepted.transfer, snapshot: accepted.snapshot };
  });
  return { transfer: body, replayed };
}

async function reserveAndRecord(
  ctx: PaymentsContext,
  client: import('@krt/platform/persistence').PoolClient,
  cmd: InitiatePixCommand,
  now: Date,
): Promise<{ transfer: AcceptedTransfer; snapshot: BalanceSnapshot }> {
  // The payer's row lock serialises this customer's PIX: limits and the reserve see every earlier transfer.
  const payer = await findAccountByCustomer(client, cmd.customerId, true);
  if (!payer) throw PaymentsErrors.accountNotFound();
  if (payer.status === 'BLOCKED') throw PaymentsErrors.accountBlocked();
  const { account: receiver, key } = await findAccountByKey(client, cmd.key);
  if (receiver.id === payer.id) throw PaymentsErrors.selfTransfer();
  receiverAccepts(receiver.status, receiver.kind);

  const limits = await loadLimits(client, payer.id);
  const nightStart = nightWindowStart(now);
  const { today, tonight } = await sentTodayAndTonight(client, payer.id, saoPauloDayStart(now), nightStart);
  const limitCheck = checkPixLimits({
    amount: cmd.amount,
    limits,
    spentToday: Money.fromCentavos(today),
    spentThisNight: Money.fromCentavos(tonight),
    at: now,
  });
  if (!limitCheck.ok) throw fromDomainError(limitCheck.error);

  const funds = checkReserve(Money.fromCentavos(payer.posted - payer.reserved), cmd.amount);
  if (!funds.ok) throw fromDomainError(funds.error);
  const reserved = await changeReserve(client, payer.id, cmd.amount.toCentavos());
  if (!reserved) throw PaymentsErrors.insufficientFunds();

  const firstTimeRecipient = !(await hasCompletedTransferTo(client, payer.id, receiver.id));
  const id = randomUUID();
  const endToEndId = generateEndToEndId(KRT_ISPB, now, randomAlphanumeric11((n) => randomInt(n)));
  const description = cmd.description?.trim() ?? '';
  await client.query(
    `INSERT INTO pix_transfers (id, end_to_end_id, payer_account_id, payer_customer_id, receiver_account_id, receiver_customer_id,
       receiver_key_type, receiver_key, amount, description, status, created_at, deadline_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'PENDING', $11, now() + make_interval(secs => $12::double precision / 1000))`,
    [id, endToEndId, payer.id, cmd.customerId, receiver.id, receiver.customer_id, key.type, key.value, cmd.amount.toCentavos().toString(), description, now, ctx.pendingDeadlineMs],
  );
  await enqueue(
    client,
    pixInitiated(cmd, {
      id,
      endToEndId,
      payerAccountId: payer.id,
      receiver: { customerId: receiver.customer_id!, accountId: receiver.id },
      description,
      firstTimeRecipient,
      perTransactionLimit: limits.perTransaction,
      now,
    }),
    now,
  );
  return {
    transfer: { id, status: 'PENDING', endToEndId, amount: cmd.amount.toApiString(), createdAt: now.toISOString() },
    snapshot: snapshotOf(reserved, now),
  };
}

/** A PIX (or devolução) may go to an ACTIVE customer account only: a BLOCKED one is named (issue #19). */
export function receiverAccepts(status: string | null, kind: string | null): void {
  if (status === 'BLOCKED' && kind === 'CUSTOMER') throw PaymentsErrors.payeeAccountBlocked();
  if (status !== 'ACTIVE' || kind !== 'CUSTOMER') throw PaymentsErrors.receiverUnavailable();
}

// ---- Group commit -------------------------------------------------------------------------------------------------

/**
 * Groups one process keeps in flight (each holds one pooled connection: at most half the pool, so the other routes
 * and the relay keep theirs), and the most initiations one group takes.
 */
const GROUPS_IN_FLIGHT = 3;
const GROUP_MAX = 64;

interface Waiting {
  cmd: InitiatePixCommand;
  hash: string;
  resolve: (r: InitiateResult) => void;
  reject: (e: unknown) => void;
}

type Outcome = { ok: InitiateResult } | { err: unknown };

const groupsByContext = new WeakMap<PaymentsContext, InitiationGroups>();
const payerOf = (cmd: InitiatePixCommand) => cmd.customerId.toLowerCase();
const keyOf = (cmd: InitiatePixCommand) => `${payerOf(cmd)} ${cmd.idempotencyKey}`;

/**
 * Initiations wait while GROUPS_IN_FLIGHT groups are running; when one ends, the next group takes the waiting ones in
 * arrival order. Alone (no load) an initiation goes at once; under load many share one transaction. A payer's
 * initiations are never in two groups at once: a payer with a group in flight waits for it, so each payer's
 * initiations are decided in the order they arrived (limits and balance count them in that order), whatever order
 * the database would give two concurrent groups.
 */
class InitiationGroups {
  private waiting: Waiting[] = [];
  private inFlight = 0;
  private readonly maxInFlight: number;
  /** Payers (customer ids) with a group in flight. */
  private readonly busyPayers = new Set<string>();

  constructor(private readonly ctx: PaymentsContext) {
    this.maxInFlight = Math.max(1, Math.min(GROUPS_IN_FLIGHT, Math.floor((ctx.pool.options.max ?? 10) / 2)));
  }

  submit(cmd: InitiatePixCommand): Promise<InitiateResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ cmd, hash: requestHash(cmd), resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const group = this.take();
      if (group.length === 0) return; // every waiting payer has a group in flight: the next one to end pumps again
      const payers = new Set(group.map((w) => payerOf(w.cmd)));
      for (const p of payers) this.busyPayers.add(p);
      this.inFlight += 1;
      void this.run(group).finally(() => {
        for (const p of payers) this.busyPayers.delete(p);
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /** The next group, in arrival order. A repeated Idempotency-Key waits for a later group, where it finds the first's answer. */
  private take(): Waiting[] {
    const group: Waiting[] = [];
    const later: Waiting[] = [];
    const keys = new Set<string>();
    for (const w of this.waiting) {
      const k = keyOf(w.cmd);
      if (group.length < GROUP_MAX && !keys.has(k) && !this.busyPayers.has(payerOf(w.cmd))) {
        keys.add(k);
        group.push(w);
      } else later.push(w);
    }
    this.waiting = later;
    return group;
  }

  private async run(group: Waiting[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await decideGroup(this.ctx, group);
    } catch (err) {
      // Nothing of the group was kept: each initiation gets its own transaction, and only the bad one fails.
      this.ctx.logger.warn({ err, size: group.length }, 'pix group commit failed; deciding its initiations one at a time');
      await Promise.all(group.map((w) => initiatePixTransferAlone(this.ctx, w.cmd).then(w.resolve, w.reject)));
      return;
    }
    outcomes.forEach((o, i) => ('ok' in o ? group[i]!.resolve(o.ok) : group[i]!.reject(o.err)));
  }
}

interface StoredAnswer {
  customer_id: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response: unknown;
}

type PayerRow = Pick<AccountRow, 'id' | 'customer_id' | 'posted' | 'reserved' | 'version'> & { status?: AccountRow['status'] };

interface ContextRow {
  i: number;
  receiver_id: string | null;
  receiver_customer_id: string | null;
  receiver_status: string | null;
  receiver_kind: string | null;
  per_transaction: bigint | null;
  daily: bigint | null;
  nightly: bigint | null;
  today: bigint;
  tonight: bigint;
  paid_before: boolean;
}

// Claims in (customer, key) order, so two groups never wait for each other's keys in a cycle.
const CLAIM_SQL = `INSERT INTO idempotency_keys (customer_id, key, request_hash)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) ORDER BY 1, 2
  ON CONFLICT DO NOTHING RETURNING customer_id, key`;

const STORED_SQL = `SELECT customer_id, key, request_hash, status_code, response FROM idempotency_keys
  WHERE (customer_id, key) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))`;

// The payers' rows, locked in id order (as every ledger writer does): each customer's PIX are serialised, and the
// limits and the reserve see every earlier transfer.
const LOCK_PAYERS_SQL = `SELECT id, customer_id, status, posted, reserved, version FROM accounts
  WHERE customer_id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`;

// After the locks (a new statement, a new snapshot): receiver by key, limits, the sums the limits count, and whether
// the payer has paid this receiver before.
const CONTEXT_SQL = `SELECT c.i, r.id AS receiver_id, r.customer_id AS receiver_customer_id, r.status AS receiver_status, r.kind AS receiver_kind,
       l.per_transaction, l.daily, l.nightly, s.today, s.tonight,
       EXISTS (SELECT 1 FROM pix_transfers t WHERE t.payer_account_id = c.payer AND t.receiver_account_id = r.id AND t.status = 'COMPLETED') AS paid_before
  FROM unnest($1::int[], $2::uuid[], $3::text[], $4::text[]) AS c(i, payer, key_value, key_type)
  LEFT JOIN pix_keys k ON k.value = c.key_value AND k.type = c.key_type
  LEFT JOIN accounts r ON r.id = k.account_id
  LEFT JOIN pix_limits l ON l.account_id = c.payer
  CROSS JOIN LATERAL (
    SELECT COALESCE(sum(amount) FILTER (WHERE created_at >= $5), 0)::bigint AS today,
           COALESCE(sum(amount) FILTER (WHERE $6::timestamptz IS NOT NULL AND created_at >= $6), 0)::bigint AS tonight
      FROM pix_transfers
     WHERE payer_account_id = c.payer AND status <> 'FAILED' AND refund_of IS NULL AND created_at >= LEAST($5::timestamptz, COALESCE($6::timestamptz, $5::timestamptz))) s`;

const ANSWERS_CTE = `answers AS (
  UPDATE idempotency_keys i SET status_code = a.status, response = a.response
    FROM unnest($1::uuid[], $2::text[], $3::int[], $4::jsonb[]) AS a(customer_id, key, status, response)
   WHERE i.customer_id = a.customer_id AND i.key = a.key)`;

const ANSWERS_ONLY_SQL = `WITH ${ANSWERS_CTE} SELECT 1`;

// Every accepted transfer, its event (arrival order: one payer's events keep their order), every answer and the
// reserves, in one statement. The reserve keeps its guard: fewer rows back than payers means the group is undone.
const WRITE_SQL = `WITH ${ANSWERS_CTE},
transfers AS (
  INSERT INTO pix_transfers (id, end_to_end_id, payer_account_id, payer_customer_id, receiver_account_id, receiver_customer_id,
    receiver_key_type, receiver_key, amount, description, status, created_at, deadline_at)
  SELECT t.*, 'PENDING', $15::timestamptz, now() + make_interval(secs => $16::double precision / 1000)
    FROM unnest($5::uuid[], $6::text[], $7::uuid[], $8::uuid[], $9::uuid[], $10::uuid[], $11::text[], $12::text[], $13::bigint[], $14::text[]) AS t),
events AS (
  INSERT INTO outbox (event_id, topic, message_key, envelope)
  SELECT * FROM unnest($17::uuid[], $18::text[], $19::text[], $20::jsonb[]))
UPDATE accounts a SET reserved = a.reserved + r.amount, version = a.version + r.n
  FROM unnest($21::uuid[], $22::bigint[], $23::int[]) AS r(id, amount, n)
 WHERE a.id = r.id AND a.posted - a.reserved >= r.amount
RETURNING a.id, a.posted, a.reserved, a.version`;

function settle(fn: () => InitiateResult): Outcome {
  try {
    return { ok: fn() };
  } catch (err) {
    return { err };
  }
}

/** One transaction for the group; throws (having kept nothing) on anything but a request's own refusal. */
async function decideGroup(ctx: PaymentsContext, group: Waiting[]): Promise<Outcome[]> {
  const now = ctx.clock();
  const outcomes: Outcome[] = new Array<Outcome>(group.length);
  const client = await ctx.pool.connect();
  try {
    await client.query('BEGIN');
    const claimed = await client.query<{ customer_id: string; key: string }>({
      name: 'pix-group-claim',
      text: CLAIM_SQL,
      values: [group.map((w) => w.cmd.customerId), group.map((w) => w.cmd.idempotencyKey), group.map((w) => w.hash)],
    });
    const mine = new Set(claimed.rows.map((r) => `${r.customer_id} ${r.key}`));
    const claimedIdx = group.flatMap((w, i) => (mine.has(keyOf(w.cmd)) ? [i] : []));
    const repeatedIdx = group.flatMap((w, i) => (mine.has(keyOf(w.cmd)) ? [] : [i]));

    if (repeatedIdx.length > 0) {
      const { rows } = await client.query<StoredAnswer>({
        name: 'pix-group-stored',
        text: STORED_SQL,
        values: [repeatedIdx.map((i) => group[i]!.cmd.customerId), repeatedIdx.map((i) => group[i]!.cmd.idempotencyKey)],
      });
      const stored = new Map(rows.map((r) => [`${r.customer_id} ${r.key}`, r]));
      for (const i of repeatedIdx) {
        const w = group[i]!;
        const s = stored.get(keyOf(w.cmd));
        if (!s || s.status_code === null) throw new Error('pix group commit: the idempotency record of a repeated key is missing');
        outcomes[i] = settle(() => {
          if (s.request_hash !== w.hash) throw PaymentsErrors.idempotencyKeyReused();
          return replay(s);
        });
      }
    }

    let snapshots: BalanceSnapshot[] = [];
    if (claimedIdx.length > 0) snapshots = await decideClaimed(ctx, client, group, claimedIdx, outcomes, now);
    // The outbox rows written (outboxWritten) wake the relay (payments-relay) right after the COMMIT.
    await commitTransaction(client, ctx.pool);
    // On the connection this group already holds (see afterLedgerCommit).
    if (snapshots.length > 0) await afterLedgerCommit(ctx, snapshots, { primary: client });
    return outcomes;
  } catch (e) {
    await rollbackTransaction(client);
    throw e;
  } finally {
    client.release();
  }
}

/** Decides the claimed initiations in arrival order and writes them all; returns the payers' new balances. */
async function decideClaimed(ctx: PaymentsContext, client: PoolClient, group: Waiting[], claimedIdx: number[], outcomes: Outcome[], now: Date): Promise<BalanceSnapshot[]> {
  const { rows: payerRows } = await client.query<PayerRow>({
    name: 'pix-group-lock-payers',
    text: LOCK_PAYERS_SQL,
    values: [[...new Set(claimedIdx.map((i) => group[i]!.cmd.customerId))]],
  });
  const payers = new Map(payerRows.map((p) => [p.customer_id!, p]));
  const payerOf = (w: Waiting) => payers.get(w.cmd.customerId.toLowerCase());
  const keys = new Map(claimedIdx.map((i) => [i, PixKey.detect(group[i]!.cmd.key)]));

  const probes = claimedIdx.flatMap((i) => {
    const payer = payerOf(group[i]!);
    const key = keys.get(i)!;
    return payer && key.ok ? [{ i, payer: payer.id, key: key.value }] : [];
  });
  const dayStart = saoPauloDayStart(now);
  const nightStart = nightWindowStart(now);
  const context = new Map<number, ContextRow>();
  if (probes.length > 0) {
    const { rows } = await client.query<ContextRow>({
      name: 'pix-group-context',
      text: CONTEXT_SQL,
      values: [probes.map((p) => p.i), probes.map((p) => p.payer), probes.map((p) => p.key.value), probes.map((p) => p.key.type), dayStart, nightStart],
    });
    for (const r of rows) context.set(r.i, r);
  }

  // What this group has already taken from each payer, in arrival order.
  const taken = new Map<string, { amount: bigint; count: number }>();
  const answers: { w: Waiting; status: number; response: AcceptedTransfer | StoredError }[] = [];
  const transfers: unknown[][] = [[], [], [], [], [], [], [], [], [], []];
  const events: unknown[][] = [[], [], [], []];
  for (const i of claimedIdx) {
    const w = group[i]!;
    const { cmd } = w;
    try {
      const payer = payerOf(w);
      if (!payer) throw PaymentsErrors.accountNotFound();
      if (payer.status === 'BLOCKED') throw PaymentsErrors.accountBlocked();
      const key = keys.get(i)!;
      if (!key.ok) throw fromDomainError(key.error);
      const c = context.get(i);
      if (!c?.receiver_id) throw PaymentsErrors.pixKeyNotFound();
      if (c.receiver_id === payer.id) throw PaymentsErrors.selfTransfer();
      receiverAccepts(c.receiver_status, c.receiver_kind);
      const before = taken.get(payer.id) ?? { amount: 0n, count: 0 };
      const limits = limitsOf(c);
      const limitCheck = checkPixLimits({
        amount: cmd.amount,
        limits,
        spentToday: Money.fromCentavos(c.today + before.amount),
        // Every transfer of this group is created at `now`, inside the night window when there is one.
        spentThisNight: Money.fromCentavos(c.tonight + (nightStart ? before.amount : 0n)),
        at: now,
      });
      if (!limitCheck.ok) throw fromDomainError(limitCheck.error);
      const funds = checkReserve(Money.fromCentavos(payer.posted - payer.reserved - before.amount), cmd.amount);
      if (!funds.ok) throw fromDomainError(funds.error);

      const amount = cmd.amount.toCentavos();
      taken.set(payer.id, { amount: before.amount + amount, count: before.count + 1 });
      const id = randomUUID();
      const endToEndId = generateEndToEndId(KRT_ISPB, now, randomAlphanumeric11((n) => randomInt(n)));
      const description = cmd.description?.trim() ?? '';
      const envelope = outboxEnvelope(
        pixInitiated(cmd, {
          id,
          endToEndId,
          payerAccountId: payer.id,
          receiver: { customerId: c.receiver_customer_id!, accountId: c.receiver_id },
          description,
          firstTimeRecipient: !c.paid_before,
          perTransactionLimit: limits.perTransaction,
          now,
        }),
        now,
      );
      [id, endToEndId, payer.id, cmd.customerId, c.receiver_id, c.receiver_customer_id, key.value.type, key.value.value, amount.toString(), description].forEach((v, k) => transfers[k]!.push(v));
      [envelope.eventId, envelope.type, payer.id, JSON.stringify(envelope)].forEach((v, k) => events[k]!.push(v));
      const transfer: AcceptedTransfer = { id, status: 'PENDING', endToEndId, amount: cmd.amount.toApiString(), createdAt: now.toISOString() };
      answers.push({ w, status: 202, response: transfer });
      outcomes[i] = { ok: { transfer, replayed: false } };
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      // An expected refusal is the request's answer too: the key keeps the error.
      answers.push({ w, status: e.status, response: storedRefusal(e) });
      outcomes[i] = { err: e };
    }
  }

  const answerValues = [answers.map((a) => a.w.cmd.customerId), answers.map((a) => a.w.cmd.idempotencyKey), answers.map((a) => a.status), answers.map((a) => JSON.stringify(a.response))];
  if (taken.size === 0) {
    await client.query({ name: 'pix-group-answers', text: ANSWERS_ONLY_SQL, values: answerValues });
    return [];
  }
  const reserves = [...taken];
  const { rows } = await client.query<PayerRow>({
    name: 'pix-group-write',
    text: WRITE_SQL,
    values: [
      ...answerValues,
      ...transfers,
      now,
      ctx.pendingDeadlineMs,
      ...events,
      reserves.map(([id]) => id),
      reserves.map(([, t]) => t.amount.toString()),
      reserves.map(([, t]) => t.count),
    ],
  });
  if (rows.length !== reserves.length) throw new Error('pix group commit: a reserve exceeded the available balance');
  outboxWritten(client);
  return rows.map((r) => snapshotOf(r, now));
}
