// Differential test of the saga consumers' batch path (issue #16): the same seeded random workload — PIX between a
// handful of accounts, refusals for insufficient funds, fraud rejections, deadline failures racing the decision,
// conflicting decisions, duplicate events inside a batch and redelivered batches, a receiver blocked by an operator
// between the initiation and the settlement (issue #19: PAYEE_ACCOUNT_BLOCKED) — is applied in two identical
// worlds: through `assessTransfers` / `applyFraudDecisions` (random batch sizes) and through `assessTransfer` /
// `applyFraudDecision` one message at a time. Outcomes, balances, ledger lines and emitted events must be the same.
// Real PostgreSQL and Redis; each world writes its outbox/inbox in a private schema so no event reaches the stack.
import { TOPICS, type Envelope } from '@krt/contracts';
import {
  afterLedgerCommit,
  applyAccountCreated,
  applyFraudDecision,
  applyFraudDecisions,
  assessTransfer,
  assessTransfers,
  changeReserve,
  failTransfer,
  fixedClock,
  postDeposit,
  type DepositCommand,
  type FailureCause,
  type PaymentsContext,
} from '@krt/payments';
import { generateCpf, Money } from '@krt/domain';
import { databaseUrl } from '@krt/platform/config';
import { withTransaction } from '@krt/platform/persistence';
import { createLogger } from '@krt/platform/telemetry';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPaymentsConfig } from '../../../apps/payments/src/config';
import { createPaymentsRuntime, type PaymentsRuntime } from '../../../apps/payments/src/runtime';
import { createPrivateOutbox, type PrivateOutbox } from '../../support/private-outbox';
import { accountCreatedEnvelope, prng } from './payments-test-kit';

const ACCOUNTS = 6;
const ROUNDS = 5;
const ATTEMPTS_PER_ROUND = 40;
const DEADLINE: FailureCause = { event: 'DEADLINE_EXPIRED', code: 'DEADLINE_EXPIRED', reason: 'Pix não concluído no prazo (teste).' };

/** Opening balances: a deposit in its own transaction, posted as an approved dual-control deposit request posts it. */
async function deposit(ctx: PaymentsContext, cmd: DepositCommand): Promise<void> {
  const posted = await withTransaction(ctx.pool, (client) => postDeposit(client, cmd, new Date()));
  await afterLedgerCommit(ctx, posted.snapshots);
}

interface World {
  mode: 'batch' | 'single';
  outbox: PrivateOutbox;
  rt: PaymentsRuntime;
  accounts: { id: string; customerId: string; name: string }[];
  /** Transfer id per attempt index (undefined: refused at initiation). */
  transfers: (string | undefined)[];
  /** What each delivery returned, in delivery order: applied status or null. */
  returned: string[];
}

/** One delivery step, the same in both worlds: attempt indexes (fraud phase) or decision indexes (payment phase). */
type Delivery = number[];

describe('Batched saga consumers against one at a time (differential)', () => {
  const seed = Number(process.env.PIX_BATCH_DIFF_SEED ?? Date.now() % 1_000_000);
  const logger = createLogger('batch-diff-test', { level: 'warn' });
  const start = new Date(Math.floor(Date.now() / 1000) * 1000);
  let worlds: World[] = [];

  async function newWorld(mode: World['mode']): Promise<World> {
    const outbox = await createPrivateOutbox(`batchdiff_${mode}`);
    const url = `${databaseUrl('payments')}?options=-c%20search_path%3D${outbox.schema}%2Cpublic`;
    // The world's own outbox/inbox first on the search path, the payments tables after.
    const cfg = loadPaymentsConfig({ ...process.env, PAYMENTS_DATABASE_URL: url, PAYMENTS_READ_DATABASE_URL: '', PAYMENTS_DB_POOL_MAX: '4' });
    const rt = await createPaymentsRuntime({ name: `batch-diff-${mode}`, cfg, logger, clock: fixedClock(start), migrate: false });
    return { mode, outbox, rt, accounts: [], transfers: [], returned: [] };
  }

  beforeAll(async () => {
    worlds = [await newWorld('batch'), await newWorld('single')];
    const rnd = prng(seed);
    const opening = Array.from({ length: ACCOUNTS }, () => 20_000 + Math.floor(rnd() * 80_000)); // R$ 200 … R$ 1.000
    for (const w of worlds) {
      for (let i = 0; i < ACCOUNTS; i++) {
        const customerId = randomUUID();
        const name = `Cliente ${i} Diferencial`;
        const envelope = accountCreatedEnvelope({ customerId, keycloakUserId: randomUUID(), fullName: name, cpf: generateCpf((n) => Math.floor(rnd() * n)).value, email: `diff-${customerId.slice(0, 8)}@teste.krt.dev` });
        const account = (await applyAccountCreated(w.rt.pool, envelope, start))!;
        await deposit(w.rt.ctx, { accountId: account.id, amount: Money.fromCentavos(BigInt(opening[i]!)), description: 'Depósito inicial' });
        w.accounts.push({ id: account.id, customerId, name });
      }
    }
  });

  afterAll(async () => {
    for (const w of worlds) {
      await w.rt.close();
      await w.outbox.drop();
    }
  });

  /** Test-side initiation (the payments API's rule: reserve the amount or refuse), writing `pix.initiated` envelopes. */
  async function initiate(w: World, attempt: number, job: { from: number; to: number; amount: number; limit: number }): Promise<Envelope | undefined> {
    const payer = w.accounts[job.from]!;
    const receiver = w.accounts[job.to]!;
    const initiatedAt = new Date(start.getTime() + attempt * 7_000);
    return withTransaction(w.rt.pool, async (client) => {
      const reserved = await changeReserve(client, payer.id, BigInt(job.amount));
      if (!reserved) return undefined;
      const id = randomUUID();
      const e2e = `E00000000${randomUUID().replace(/-/g, '').slice(0, 23)}`;
      await client.query(
        `INSERT INTO pix_transfers (id, end_to_end_id, payer_account_id, payer_customer_id, receiver_account_id, receiver_customer_id, receiver_key_type, receiver_key, amount, description, created_at, deadline_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'EVP', $7, $8, $9, $10, $11)`,
        [id, e2e, payer.id, payer.customerId, receiver.id, receiver.customerId, randomUUID(), job.amount, `diferencial ${attempt}`, initiatedAt, new Date(initiatedAt.getTime() + 86_400_000)],
      );
      w.transfers[attempt] = id;
      return {
        eventId: randomUUID(),
        type: TOPICS.pixInitiated,
        occurredAt: initiatedAt.toISOString(),
        aggregateId: id,
        correlationId: `diff-${attempt}`,
        schemaVersion: 1,
        payload: {
          transferId: id,
          endToEndId: e2e,
          payer: { customerId: payer.customerId, accountId: payer.id },
          receiver: { customerId: receiver.customerId, accountId: receiver.id },
          amountCentavos: String(job.amount),
          description: `diferencial ${attempt}`,
          firstTimeRecipient: attempt % 3 === 0,
          payerPerTransactionLimitCentavos: String(job.limit),
          initiatedAt: initiatedAt.toISOString(),
        },
      } satisfies Envelope;
    });
  }

  /** Unpublished envelopes of the world's private outbox, in order; marks them taken. */
  async function drain(w: World, topics: string[]): Promise<Envelope[]> {
    const { rows } = await w.outbox.pool.query<{ seq: string; envelope: Envelope }>(
      'UPDATE outbox SET published_at = now() WHERE published_at IS NULL AND topic = ANY($1) RETURNING seq, envelope',
      [topics],
    );
    return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map((r) => r.envelope);
  }

  /** A delivery plan over `n` events: random batch sizes, duplicates inside a batch, earlier batches redelivered. */
  function plan(rnd: () => number, n: number): Delivery[] {
    const deliveries: Delivery[] = [];
    let i = 0;
    while (i < n) {
      const size = 1 + Math.floor(rnd() * 12);
      const batch = Array.from({ length: Math.min(size, n - i) }, (_, k) => i + k);
      i += batch.length;
      if (rnd() < 0.25) batch.splice(Math.floor(rnd() * batch.length) + 1, 0, batch[Math.floor(rnd() * batch.length)]!); // a duplicate
      deliveries.push(batch);
      if (deliveries.length > 1 && rnd() < 0.2) deliveries.push([...deliveries[Math.floor(rnd() * (deliveries.length - 1))]!]); // redelivery
    }
    return deliveries;
  }

  async function deliverFraud(w: World, events: Envelope[], deliveries: Delivery[]) {
    for (const d of deliveries) {
      const envelopes = d.map((i) => events[i]!);
      if (w.mode === 'batch') {
        const out = await assessTransfers(w.rt.ctx, envelopes.map((envelope) => ({ envelope })));
        w.returned.push(...out.map((a) => (a ? a.decision : 'null')));
      } else {
        for (const envelope of envelopes) w.returned.push((await assessTransfer(w.rt.ctx, envelope))?.decision ?? 'null');
      }
    }
  }

  async function deliverDecisions(w: World, events: Envelope[], deliveries: Delivery[]) {
    const hooked: string[] = [];
    for (const d of deliveries) {
      const envelopes = d.map((i) => events[i]!);
      if (w.mode === 'batch') {
        const out = await applyFraudDecisions(
          w.rt.ctx,
          envelopes.map((envelope) => ({ envelope })),
          (e) => void hooked.push(e.eventId),
        );
        w.returned.push(...out.map((o) => (o ? `${o.applied}:${o.transfer.status}` : 'null')));
      } else {
        for (const envelope of envelopes) {
          const o = await applyFraudDecision(w.rt.ctx, envelope, (e) => void hooked.push(e.eventId));
          w.returned.push(o ? `${o.applied}:${o.transfer.status}` : 'null');
        }
      }
    }
    // The fault-test hook runs once per delivered envelope, duplicates included.
    expect(hooked).toEqual(deliveries.flat().map((i) => events[i]!.eventId));
  }

  it(`when a seeded random workload (seed ${seed}) goes through the batched handlers and one at a time, then outcomes, balances, ledger lines and events are the same`, async () => {
    const rnd = prng(seed + 1);
    let attempt = 0;
    const counts = { refused: 0, rejected: 0, deadline: 0, conflicting: 0, duplicates: 0 };
    // Rounds in which one account is blocked (by an operator) while its incoming PIX wait for their settlement.
    const blockedIn = (round: number) => (round % 2 === 1 ? round % ACCOUNTS : undefined);
    const setStatus = (w: World, account: number, status: 'ACTIVE' | 'BLOCKED') => w.rt.pool.query('UPDATE accounts SET status = $2 WHERE id = $1', [w.accounts[account]!.id, status]);
    const emitted: Map<World, string[]> = new Map(worlds.map((w) => [w, []]));
    for (let round = 0; round < ROUNDS; round++) {
      const jobs = Array.from({ length: ATTEMPTS_PER_ROUND }, () => {
        const from = Math.floor(rnd() * ACCOUNTS);
        let to = Math.floor(rnd() * (ACCOUNTS - 1));
        if (to >= from) to += 1;
        const amount = 1 + Math.floor(rnd() * 30_000); // up to R$ 300: often more than the payer has left
        const limit = rnd() < 0.1 ? Math.max(1, amount - 1) : 500_000; // below the amount: HIGH_AMOUNT, rejected
        return { from, to, amount, limit };
      });
      const sweepBefore = jobs.map(() => rnd() < 0.06);
      const conflict = jobs.map(() => rnd() < 0.06);
      const decisionSeed = Math.floor(rnd() * 1e9);
      for (const w of worlds) {
        const initiated: Envelope[] = [];
        const attemptOf: number[] = [];
        for (const [k, job] of jobs.entries()) {
          const e = await initiate(w, attempt + k, job);
          if (e) {
            initiated.push(e);
            attemptOf.push(attempt + k);
          } else if (w.mode === 'batch') counts.refused++;
        }
        const fraudDeliveries = plan(prng(decisionSeed), initiated.length);
        if (w.mode === 'batch') counts.duplicates += fraudDeliveries.flat().length - initiated.length;
        await deliverFraud(w, initiated, fraudDeliveries);
        const decisions = await drain(w, [TOPICS.fraudCleared, TOPICS.fraudDetected]);
        const ids = new Map(initiated.map((e, n) => [(e.payload as { transferId: string }).transferId, attemptOf[n]!]));
        emitted.get(w)!.push(...decisions.map((d) => `${d.type}:${ids.get((d.payload as { transferId: string }).transferId)}:${(d.payload as { score: number }).score}`));
        // The deadline sweeper wins the race for some transfers; for others a contradicting decision arrives too.
        const extra: Envelope[] = [];
        for (const d of decisions) {
          const n = ids.get((d.payload as { transferId: string }).transferId)! - attempt;
          if (d.type === TOPICS.fraudDetected && w.mode === 'batch') counts.rejected++;
          if (sweepBefore[n]) {
            await withTransaction(w.rt.pool, (client) => failTransfer(client, (d.payload as { transferId: string }).transferId, DEADLINE, start, { correlationId: d.correlationId }));
            if (w.mode === 'batch') counts.deadline++;
          }
          if (conflict[n]) {
            extra.push({ ...d, eventId: randomUUID(), type: d.type === TOPICS.fraudCleared ? TOPICS.fraudDetected : TOPICS.fraudCleared, payload: { ...(d.payload as object), decision: d.type === TOPICS.fraudCleared ? 'REJECTED' : 'APPROVED' } });
            if (w.mode === 'batch') counts.conflicting++;
          }
        }
        const all = [...decisions, ...extra];
        const order = all.map((_, n) => n);
        const shuffle = prng(decisionSeed + 7);
        // Conflicting decisions land anywhere after the first decision's position; the order is the same in both worlds.
        for (let n = decisions.length; n < order.length; n++) {
          const to = Math.floor(shuffle() * n);
          order.splice(to, 0, order.splice(n, 1)[0]!);
        }
        const decisionDeliveries = plan(prng(decisionSeed + 13), all.length).map((d) => d.map((n) => order[n]!));
        const blocked = blockedIn(round);
        if (blocked !== undefined) await setStatus(w, blocked, 'BLOCKED');
        await deliverDecisions(w, all, decisionDeliveries);
        if (blocked !== undefined) await setStatus(w, blocked, 'ACTIVE');
        const finished = await drain(w, [TOPICS.pixCompleted, TOPICS.pixFailed]);
        emitted.get(w)!.push(...finished.map((f) => `${f.type}:${ids.get((f.payload as { transferId: string }).transferId)}`));
      }
      attempt += ATTEMPTS_PER_ROUND;
    }

    const [batch, single] = worlds as [World, World];
    // The workload exercised what it is about.
    expect(counts.refused, 'refusals for insufficient funds').toBeGreaterThan(0);
    expect(counts.rejected, 'fraud rejections').toBeGreaterThan(0);
    expect(counts.duplicates, 'duplicate deliveries').toBeGreaterThan(0);
    expect(counts.deadline + counts.conflicting, 'decisions losing a race').toBeGreaterThan(0);

    // Same refusals at initiation (which depend on every earlier outcome), same returns, same events.
    expect(batch.transfers.map((t) => t !== undefined)).toEqual(single.transfers.map((t) => t !== undefined));
    expect(batch.returned).toEqual(single.returned);
    expect(emitted.get(batch)).toEqual(emitted.get(single));

    const snapshot = async (w: World) => {
      const index = new Map(w.accounts.map((a, i) => [a.id, i]));
      const attemptOf = new Map(w.transfers.flatMap((t, i) => (t ? [[t, i] as const] : [])));
      const { rows: accounts } = await w.rt.pool.query<{ id: string; posted: bigint; reserved: bigint; version: bigint }>('SELECT id, posted, reserved, version FROM accounts WHERE id = ANY($1::uuid[])', [w.accounts.map((a) => a.id)]);
      const { rows: transfers } = await w.rt.pool.query(
        'SELECT id, status, failure_code, failure_reason, fraud_score, fraud_reasons, completed_at, failed_at FROM pix_transfers WHERE id = ANY($1::uuid[])',
        [[...attemptOf.keys()]],
      );
      const { rows: lines } = await w.rt.pool.query(
        `SELECT account_id, journal_id, direction, amount, balance_after, kind, description, counterparty_name, transfer_id, occurred_at FROM ledger_entries
          WHERE account_id = ANY($1::uuid[]) AND kind <> 'DEPOSIT' ORDER BY id`,
        [w.accounts.map((a) => a.id)],
      );
      const journals = new Map<string, string[]>();
      for (const l of lines) journals.set(l.journal_id, [...(journals.get(l.journal_id) ?? []), `${l.direction}:${l.amount}`]);
      return {
        accounts: accounts.map((a) => ({ account: index.get(a.id), posted: a.posted, reserved: a.reserved, version: a.version })).sort((a, b) => a.account! - b.account!),
        transfers: transfers.map(({ id, ...t }) => ({ attempt: attemptOf.get(id), ...t })).sort((a, b) => a.attempt! - b.attempt!),
        lines: lines.map(({ account_id, journal_id, transfer_id, ...l }) => ({ account: index.get(account_id), transfer: attemptOf.get(transfer_id), journal: journals.get(journal_id)!.join(','), ...l })),
      };
    };
    const a = await snapshot(batch);
    const b = await snapshot(single);
    expect(a.transfers.filter((t) => t.status === 'COMPLETED').length, 'completed transfers').toBeGreaterThan(20);
    expect(a.transfers.some((t) => t.status === 'PENDING'), 'a transfer left pending').toBe(false);
    expect(a.transfers.filter((t) => t.failure_code === 'PAYEE_ACCOUNT_BLOCKED').length, 'settlements refused for a blocked receiver').toBeGreaterThan(0);
    expect(a.accounts).toEqual(b.accounts);
    expect(a.transfers).toEqual(b.transfers);
    expect(a.lines).toEqual(b.lines);
    for (const acc of a.accounts) expect(acc.reserved).toBe(0n);
  });
});
