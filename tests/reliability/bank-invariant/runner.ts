// The bank-invariant run (in the spirit of Jepsen's bank test) against the REAL local stack, through the BFF:
// N customers with known funds send each other PIX and read balances, statements and transfer statuses for T
// seconds while a fault schedule kills and restarts real processes. Then the system quiesces, the final state is
// read from the databases and through the BFF, and the pure checker judges the recorded history.
// Used by tests/faults/reliability-bank-invariant.test.ts (small run) and scripts/bank-invariant.mjs (on demand).
import { TOPICS } from '@krt/contracts';
import { generateCpf } from '@krt/domain';
import { databaseUrl } from '@krt/platform/config';
import { createKafka } from '@krt/platform/messaging';
import { DEV_TRANSACTION_PIN_KEY, hashTransactionPin, parseTransactionPinKey } from '@krt/platform/auth';
import { createRealmUser, fundAccount, passwordGrant } from '@krt/testing';
import { randomInt, randomUUID } from 'node:crypto';
import pg from 'pg';
import { checkBankInvariant, type CheckResult } from './checker';
import { describeFault, FaultInjector, type FaultSpec } from './faults';
import type { FinalState, FinalTransfer, Op, StatementItem, TransferStatus } from './history';

export interface BankRunOptions {
  customers: number;
  seconds: number;
  schedule: FaultSpec[];
  /** The BFF the clients talk to (the stack's, by default). */
  bffUrl?: string;
  /** The payments API used for setup only (sandbox deposits under dual control, waiting for the accounts). */
  paymentsUrl?: string;
  /** Funds of each customer before the run, in centavos. */
  initialCentavos?: bigint;
  /** PIX amounts are drawn from 1..max centavos. Small by default: the BACEN night limit (R$ 1.000) must not bite. */
  maxAmountCentavos?: number;
  /** Upper bound of the whole client load (requests per second), under the BFF's per-IP API rate limit. */
  maxRequestsPerSecond?: number;
  /** How long to wait for every transfer, event and notification to settle after the faults. */
  quiesceTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface BankRunReport {
  options: { customers: number; seconds: number; schedule: string[] };
  startedAt: string;
  wallSeconds: number;
  faults: FaultInjector['records'];
  restored: string[];
  quiesced: { ms: number; complete: boolean; waitingFor: string[] };
  result: CheckResult;
  ops: Op[];
  final: FinalState;
}

const PASSWORD = 'Krt#Banco2026';
/** Every customer's transaction PIN: set through account.created (its keyed hash), sent with each PIX and devolução. */
const PIN = '4721';
const PIN_KEY = parseTransactionPinKey(DEV_TRANSACTION_PIN_KEY);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const centavos = (s: string) => {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(s);
  if (!m) throw new Error(`not an API amount: ${s}`);
  return (m[1] ? -1n : 1n) * (BigInt(m[2]!) * 100n + BigInt(m[3]!));
};
const reais = (c: bigint) => `${c / 100n}.${(c % 100n).toString().padStart(2, '0')}`;

interface Customer {
  id: string;
  cpf: string;
  accountId: string;
  key: string;
  session?: BffSession;
}

/** A browser-like client of the BFF: the session cookie and `X-CSRF: 1`. */
class BffSession {
  cookie = '';
  constructor(
    readonly base: string,
    readonly cpf: string,
  ) {}

  async signIn(): Promise<number> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const res = await fetch(`${this.base}/auth/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf': '1' },
        body: JSON.stringify({ cpf: this.cpf, password: PASSWORD }),
        signal: AbortSignal.timeout(15_000),
      }).catch(() => undefined);
      if (res?.status === 204) {
        const sc = res.headers.getSetCookie().find((c) => /^(__Host-)?krt-session=/.test(c));
        this.cookie = sc!.split(';')[0]!;
        return 204;
      }
      await res?.text().catch(() => undefined);
      const retryAfter = Number(res?.headers.get('retry-after') ?? '1');
      await sleep(Math.min(30, Math.max(1, retryAfter)) * 1000);
    }
    throw new Error('sign-in through the BFF kept failing');
  }

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 10_000) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { 'x-csrf': '1', cookie: this.cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Setup: customers with Keycloak users, ledger accounts (account.created on Kafka → the Account consumer), funds.

async function setupCustomers(opts: Required<Pick<BankRunOptions, 'customers' | 'bffUrl' | 'paymentsUrl' | 'initialCentavos'>>, log: (l: string) => void): Promise<Customer[]> {
  const kafka = createKafka('bank-invariant', '127.0.0.1:9092');
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const out: Customer[] = [];
  try {
    const one = async (): Promise<Customer> => {
      const cpf = generateCpf((n) => randomInt(n)).value;
      const id = randomUUID();
      const email = `banco-${id.slice(0, 8)}@teste.krt.dev`;
      const fullName = `Cliente Banco ${id.slice(0, 4)}`;
      const user = await createRealmUser({ username: cpf, password: PASSWORD, email, customerId: id, roles: ['customer'] });
      await producer.send({
        topic: TOPICS.accountCreated,
        messages: [
          {
            key: id,
            value: JSON.stringify({
              eventId: randomUUID(),
              type: TOPICS.accountCreated,
              occurredAt: new Date().toISOString(),
              aggregateId: id,
              correlationId: `bank-invariant-${randomUUID()}`,
              schemaVersion: 1,
              payload: { customerId: id, keycloakUserId: user.id, fullName, cpf, email, phone: '+5511987654321', transactionPinHash: hashTransactionPin(PIN_KEY, id, PIN) },
            }),
          },
        ],
      });
      const { access_token } = await passwordGrant(cpf, PASSWORD);
      let accountId: string | undefined;
      for (let i = 0; i < 120 && !accountId; i++) {
        const r = await fetch(`${opts.paymentsUrl}/v1/accounts/me`, { headers: { authorization: `Bearer ${access_token}` } });
        if (r.status === 200) accountId = ((await r.json()) as { accountId: string }).accountId;
        else await sleep(250);
      }
      if (!accountId) throw new Error('the Account consumer did not open the ledger account within 30 s');
      await fundAccount(accountId, reais(opts.initialCentavos), { paymentsUrl: opts.paymentsUrl, description: 'Depósito inicial (teste do banco)', reason: 'Saldo inicial do teste do banco' });
      const session = new BffSession(opts.bffUrl, cpf);
      await session.signIn();
      const key = await session.call('POST', '/api/v1/pix/keys', { type: 'EVP' });
      if (key.status !== 201) throw new Error(`EVP key: ${key.status} ${key.text}`);
      return { id, cpf, accountId, key: key.body.value, session };
    };
    // A few at a time: Keycloak and the sign-in rate limit (per IP) are the bottlenecks.
    while (out.length < opts.customers) {
      const batch = Math.min(3, opts.customers - out.length);
      out.push(...(await Promise.all(Array.from({ length: batch }, one))));
      log(`setup: ${out.length}/${opts.customers} customers with R$ ${reais(opts.initialCentavos)} each`);
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The load: each customer is one client process; it sends PIX to random others and reads.

/** 202 = ok; an answer the service gives for a request it refused = fail; anything else may have taken effect = info. */
function classify(status: number): 'ok' | 'fail' | 'info' {
  if (status === 202 || status === 200) return 'ok';
  if (status >= 400 && status < 500 && status !== 408) return 'fail';
  return 'info';
}

async function runLoad(customers: Customer[], opts: Required<Pick<BankRunOptions, 'seconds' | 'maxAmountCentavos' | 'maxRequestsPerSecond'>>, t0: number, ops: Op[]) {
  const deadline = t0 + opts.seconds * 1000;
  const thinkMs = Math.max(50, Math.ceil((customers.length * 1000) / opts.maxRequestsPerSecond));
  const now = () => Date.now() - t0;
  const accepted: Array<{ transferId: string; payer: number; receiver: number; amount: bigint }> = [];

  /**
   * A devolução: part of one of the last PIX `p` received (up to half of it, so a second return of the same PIX may
   * still fit or be refused for passing it). A PIX still pending is refused (REFUND_NOT_ALLOWED): a `fail` like any refusal.
   */
  async function refundOne(p: number, invokedAt: number) {
    const me = customers[p]!;
    const received = accepted.filter((a) => a.receiver === p);
    const pick = received[received.length - 1 - randomInt(Math.min(5, received.length) || 1)];
    if (!pick) return;
    const amount = 1n + BigInt(randomInt(Number(pick.amount / 2n) + 1));
    const idempotencyKey = randomUUID();
    const op: Op = { type: 'transfer', process: p, invokedAt, completedAt: 0, outcome: 'info', from: me.id, to: customers[pick.payer]!.id, amountCentavos: amount, idempotencyKey, refundOf: pick.transferId };
    ops.push(op);
    try {
      const r = await me.session!.call('POST', `/api/v1/pix/transfers/${pick.transferId}/refunds`, { amount: reais(amount), pin: PIN }, { 'idempotency-key': idempotencyKey });
      op.httpStatus = r.status;
      op.outcome = classify(r.status);
      if (r.status === 202) op.transferId = r.body.id;
      else op.error = r.body?.code ?? `HTTP ${r.status}`;
      if (r.status === 202 && r.body?.status !== 'PENDING') op.outcome = 'info';
    } catch (e) {
      op.error = (e as Error).name === 'TimeoutError' ? 'timeout' : (e as Error).message;
    }
    op.completedAt = now();
  }

  async function client(p: number) {
    const me = customers[p]!;
    const s = me.session!;
    while (Date.now() < deadline) {
      const roll = Math.random();
      const invokedAt = now();
      try {
        if (roll < 0.45) {
          let to = randomInt(customers.length - 1);
          if (to >= p) to++;
          const amount = BigInt(1 + randomInt(opts.maxAmountCentavos));
          const idempotencyKey = randomUUID();
          const op: Op = { type: 'transfer', process: p, invokedAt, completedAt: 0, outcome: 'info', from: me.id, to: customers[to]!.id, amountCentavos: amount, idempotencyKey };
          ops.push(op);
          try {
            const r = await s.call('POST', '/api/v1/pix/transfers', { key: customers[to]!.key, amount: reais(amount), description: 'Teste do banco', pin: PIN }, { 'idempotency-key': idempotencyKey });
            op.httpStatus = r.status;
            op.outcome = classify(r.status);
            if (r.status === 202) {
              op.transferId = r.body.id;
              accepted.push({ transferId: r.body.id, payer: p, receiver: to, amount });
            } else op.error = r.body?.code ?? `HTTP ${r.status}`;
            if (r.status === 202 && r.body?.status !== 'PENDING') op.outcome = 'info';
          } catch (e) {
            op.error = (e as Error).name === 'TimeoutError' ? 'timeout' : (e as Error).message;
          }
          op.completedAt = now();
        } else if (roll < 0.7) {
          const op: Op = { type: 'balance', process: p, customer: me.id, invokedAt, completedAt: 0, outcome: 'info' };
          ops.push(op);
          try {
            const r = await s.call('GET', '/api/v1/accounts/me/balance');
            op.httpStatus = r.status;
            op.outcome = r.status === 200 ? 'ok' : 'fail';
            if (r.status === 200) {
              op.posted = centavos(r.body.posted);
              op.reserved = centavos(r.body.reserved);
              op.available = centavos(r.body.available);
            } else op.error = r.body?.code ?? `HTTP ${r.status}`;
          } catch (e) {
            op.error = (e as Error).message;
          }
          op.completedAt = now();
        } else if (roll < 0.8) {
          await refundOne(p, invokedAt);
        } else if (roll < 0.85) {
          const op: Op = { type: 'statement', process: p, customer: me.id, invokedAt, completedAt: 0, outcome: 'info' };
          ops.push(op);
          try {
            const r = await s.call('GET', '/api/v1/accounts/me/statement?limit=10');
            op.httpStatus = r.status;
            op.outcome = r.status === 200 ? 'ok' : 'fail';
            if (r.status === 200) op.items = r.body.items.length;
            else op.error = r.body?.code ?? `HTTP ${r.status}`;
          } catch (e) {
            op.error = (e as Error).message;
          }
          op.completedAt = now();
        } else {
          const mine = accepted.filter((a) => a.payer === p);
          const pick = mine[mine.length - 1 - randomInt(Math.min(5, mine.length) || 1)];
          if (pick) {
            const op: Op = { type: 'transfer-status', process: p, customer: me.id, transferId: pick.transferId, invokedAt, completedAt: 0, outcome: 'info' };
            ops.push(op);
            try {
              const r = await s.call('GET', `/api/v1/pix/transfers/${pick.transferId}`);
              op.httpStatus = r.status;
              op.outcome = r.status === 200 ? 'ok' : 'fail';
              if (r.status === 200) op.status = r.body.status as TransferStatus;
              else op.error = r.body?.code ?? `HTTP ${r.status}`;
            } catch (e) {
              op.error = (e as Error).message;
            }
            op.completedAt = now();
          }
        }
        // The session ended (it cannot with these lifetimes, but a fault might): sign in again.
        const last = ops[ops.length - 1];
        if (last?.httpStatus === 401) await s.signIn().catch(() => undefined);
      } catch {
        /* recorded on the op */
      }
      await sleep(thinkMs / 2 + randomInt(thinkMs));
    }
  }
  await Promise.all(customers.map((_, p) => client(p)));
}

// ---------------------------------------------------------------------------------------------------------------
// Quiescence and the final state.

async function readFinal(customers: Customer[], payments: pg.Pool, notifications: pg.Pool, withApi: boolean): Promise<FinalState> {
  const accountIds = customers.map((c) => c.accountId);
  const customerIds = customers.map((c) => c.id);
  const acc = await payments.query<{ id: string; posted: string; reserved: string }>('SELECT id, posted::text, reserved::text FROM accounts WHERE id = ANY($1::uuid[])', [accountIds]);
  const deposits = await payments.query<{ account_id: string; total: string }>(
    "SELECT account_id, sum(amount)::text AS total FROM ledger_entries WHERE account_id = ANY($1::uuid[]) AND kind = 'DEPOSIT' GROUP BY account_id",
    [accountIds],
  );
  const tr = await payments.query<{ id: string; payer_customer_id: string; receiver_customer_id: string; amount: string; status: TransferStatus; refund_of: string | null }>(
    'SELECT id, payer_customer_id, receiver_customer_id, amount::text, status, refund_of FROM pix_transfers WHERE payer_account_id = ANY($1::uuid[]) OR receiver_account_id = ANY($1::uuid[])',
    [accountIds],
  );
  const transfers: FinalTransfer[] = tr.rows.map((r) => ({
    id: r.id,
    payerCustomerId: r.payer_customer_id,
    receiverCustomerId: r.receiver_customer_id,
    amountCentavos: BigInt(r.amount),
    status: r.status,
    refundOf: r.refund_of,
  }));
  const transferIds = transfers.map((t) => t.id);
  const le = await payments.query<{ account_id: string; journal_id: string; direction: 'DEBIT' | 'CREDIT'; kind: FinalState['ledger'][number]['kind']; amount: string; transfer_id: string | null }>(
    'SELECT account_id, journal_id, direction, kind, amount::text, transfer_id FROM ledger_entries WHERE account_id = ANY($1::uuid[])',
    [accountIds],
  );
  const ev = await payments.query<{ event_id: string; topic: 'pix.completed' | 'pix.failed'; transfer_id: string }>(
    "SELECT event_id, topic, envelope->'payload'->>'transferId' AS transfer_id FROM outbox WHERE topic IN ('pix.completed', 'pix.failed') AND envelope->'payload'->>'transferId' = ANY($1::text[])",
    [transferIds],
  );
  const unpublished = await payments.query<{ event_id: string; topic: string }>(
    "SELECT event_id, topic FROM outbox WHERE published_at IS NULL AND (message_key = ANY($1::text[]) OR envelope->'payload'->>'transferId' = ANY($2::text[]))",
    [accountIds, transferIds],
  );
  const eventIds = ev.rows.map((r) => r.event_id);
  const inApp = await notifications.query<{ event_id: string; customer_id: string; kind: string }>('SELECT event_id, customer_id, kind FROM notifications WHERE event_id = ANY($1::uuid[])', [eventIds]);
  const del = await notifications.query<{ event_id: string; channel: 'email' | 'sms' | 'push'; customer_id: string; status: 'sending' | 'failed' | 'delivered' }>(
    'SELECT event_id, channel, customer_id, status FROM deliveries WHERE event_id = ANY($1::uuid[])',
    [eventIds],
  );
  const row = new Map(acc.rows.map((r) => [r.id, r]));
  const dep = new Map(deposits.rows.map((r) => [r.account_id, BigInt(r.total)]));
  const final: FinalState = {
    customers: customers.map((c) => ({
      id: c.id,
      accountId: c.accountId,
      initialCentavos: dep.get(c.accountId) ?? 0n,
      posted: BigInt(row.get(c.accountId)!.posted),
      reserved: BigInt(row.get(c.accountId)!.reserved),
    })),
    transfers,
    ledger: le.rows.map((r) => ({ accountId: r.account_id, journalId: r.journal_id, direction: r.direction, kind: r.kind, amountCentavos: BigInt(r.amount), transferId: r.transfer_id })),
    sagaEvents: ev.rows.map((r) => ({ eventId: r.event_id, type: r.topic, transferId: r.transfer_id })),
    inApp: inApp.rows.map((r) => ({ eventId: r.event_id, customerId: r.customer_id, kind: r.kind })),
    deliveries: del.rows.map((r) => ({ eventId: r.event_id, channel: r.channel, customerId: r.customer_id, status: r.status })),
    unpublishedOutbox: unpublished.rows.map((r) => ({ database: 'payments', eventId: r.event_id, topic: r.topic })),
  };
  void customerIds;
  if (withApi) {
    for (const [i, c] of customers.entries()) {
      const fc = final.customers[i]!;
      const lines = final.ledger.filter((e) => e.accountId === c.accountId).length;
      for (let attempt = 0; attempt < 40; attempt++) {
        const s = c.session!;
        const bal = await s.call('GET', '/api/v1/accounts/me/balance').catch(() => undefined);
        const statement: StatementItem[] = [];
        let cursor: string | undefined;
        let ok = bal?.status === 200;
        while (ok) {
          const page = await s.call('GET', `/api/v1/accounts/me/statement?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).catch(() => undefined);
          if (page?.status !== 200) {
            ok = false;
            break;
          }
          for (const it of page.body.items) statement.push({ type: it.type, kind: it.kind, amountCentavos: centavos(it.amount), transferId: it.transferId ?? null });
          cursor = page.body.nextCursor ?? undefined;
          if (!cursor) break;
        }
        if (bal?.status === 401) await s.signIn().catch(() => undefined);
        if (ok && bal) {
          fc.api = { posted: centavos(bal.body.posted), reserved: centavos(bal.body.reserved), available: centavos(bal.body.available) };
          fc.statement = statement;
          // A statement read from the replica may lag the primary for a moment: read again until it caught up.
          if (statement.length === lines && fc.api.posted === fc.posted) break;
        }
        await sleep(500);
      }
    }
  }
  return final;
}

/** What is still moving: pending transfers, unpublished outbox rows, notifications not yet stored or delivered. */
function unsettled(final: FinalState): string[] {
  const waiting: string[] = [];
  const pending = final.transfers.filter((t) => t.status === 'PENDING').length;
  if (pending) waiting.push(`${pending} pending transfer(s)`);
  if (final.unpublishedOutbox.length) waiting.push(`${final.unpublishedOutbox.length} unpublished outbox row(s)`);
  const done = final.transfers.filter((t) => t.status !== 'PENDING');
  const missingEvents = done.filter((t) => !final.sagaEvents.some((e) => e.transferId === t.id)).length;
  if (missingEvents) waiting.push(`${missingEvents} saga event(s)`);
  const finalEvents = new Set(final.sagaEvents.filter((e) => done.some((t) => t.id === e.transferId && (t.status === 'COMPLETED') === (e.type === 'pix.completed'))).map((e) => e.eventId));
  const completedEvents = new Set(final.sagaEvents.filter((e) => e.type === 'pix.completed' && finalEvents.has(e.eventId)).map((e) => e.eventId));
  const expectedInApp = completedEvents.size * 2 + (finalEvents.size - completedEvents.size);
  const inApp = final.inApp.filter((n) => finalEvents.has(n.eventId)).length;
  if (inApp < expectedInApp) waiting.push(`${expectedInApp - inApp} in-app notification(s)`);
  const delivered = final.deliveries.filter((d) => completedEvents.has(d.eventId) && d.status === 'delivered').length;
  if (delivered < completedEvents.size * 6) waiting.push(`${completedEvents.size * 6 - delivered} e-mail/SMS/push deliveries of completed PIX`);
  return waiting;
}

export async function runBankInvariant(input: BankRunOptions): Promise<BankRunReport> {
  const log = input.log ?? ((l: string) => console.log(`[bank] ${l}`));
  const opts = {
    bffUrl: 'http://127.0.0.1:5000',
    paymentsUrl: 'http://127.0.0.1:5002',
    initialCentavos: 50_000n,
    maxAmountCentavos: 1500,
    maxRequestsPerSecond: 30,
    quiesceTimeoutMs: 150_000,
    ...input,
  };
  const started = Date.now();
  const payments = new pg.Pool({ connectionString: databaseUrl('payments'), max: 2 });
  const notifications = new pg.Pool({ connectionString: databaseUrl('notifications'), max: 2 });
  // A restarted PostgreSQL client would throw on idle errors: log them instead.
  payments.on('error', () => undefined);
  notifications.on('error', () => undefined);
  const ops: Op[] = [];
  let injector: FaultInjector | undefined;
  let restored: string[] = [];
  try {
    log(`${opts.customers} customers, ${opts.seconds} s of load, faults: ${opts.schedule.map(describeFault).join(', ') || 'none'}`);
    const customers = await setupCustomers(opts, log);
    const t0 = Date.now();
    injector = new FaultInjector(t0, log);
    let loadDone = false;
    const faults = injector.run(opts.schedule, () => loadDone);
    await runLoad(customers, opts, t0, ops);
    loadDone = true;
    log(`load over after ${((Date.now() - t0) / 1000).toFixed(1)} s: ${ops.length} operations; waiting for the faults to end`);
    await faults;
    restored = await injector.restoreAll();
    if (restored.length) log(`restored: ${restored.join(', ')}`);

    const q0 = Date.now();
    let final = await readFinal(customers, payments, notifications, false);
    let waitingFor = unsettled(final);
    while (waitingFor.length && Date.now() - q0 < opts.quiesceTimeoutMs) {
      await sleep(1000);
      final = await readFinal(customers, payments, notifications, false);
      waitingFor = unsettled(final);
    }
    const quiesced = { ms: Date.now() - q0, complete: waitingFor.length === 0, waitingFor };
    log(quiesced.complete ? `quiesced in ${(quiesced.ms / 1000).toFixed(1)} s` : `NOT quiesced after ${(quiesced.ms / 1000).toFixed(1)} s: still ${waitingFor.join(', ')}`);
    final = await readFinal(customers, payments, notifications, true);
    const result = checkBankInvariant(ops, final);
    const report: BankRunReport = {
      options: { customers: opts.customers, seconds: opts.seconds, schedule: opts.schedule.map(describeFault) },
      startedAt: new Date(started).toISOString(),
      wallSeconds: Math.round((Date.now() - started) / 1000),
      faults: injector.records,
      restored,
      quiesced,
      result,
      ops,
      final,
    };
    for (const line of formatReport(report)) log(line);
    return report;
  } finally {
    if (injector) {
      const late = await injector.restoreAll().catch((e: Error) => [`restore failed: ${e.message}`]);
      if (late.length) log(`restored in cleanup: ${late.join(', ')}`);
    }
    await payments.end().catch(() => undefined);
    await notifications.end().catch(() => undefined);
  }
}

/** Unsuccessful operations grouped by kind and answer, with when they happened (to line them up with the faults). */
function unsuccessful(ops: Op[]): string {
  const groups = new Map<string, { n: number; from: number; to: number }>();
  for (const o of ops) {
    if (o.outcome === 'ok') continue;
    const key = `${o.type} ${o.outcome} ${o.httpStatus ?? ''} ${o.error ?? ''}`.replace(/\s+/g, ' ').trim();
    const g = groups.get(key) ?? { n: 0, from: o.invokedAt, to: o.completedAt };
    g.n++;
    g.from = Math.min(g.from, o.invokedAt);
    g.to = Math.max(g.to, o.completedAt);
    groups.set(key, g);
  }
  if (!groups.size) return ' none';
  return [...groups].map(([k, g]) => `\n  - ${k}: ${g.n} (${(g.from / 1000).toFixed(1)}–${(g.to / 1000).toFixed(1)} s)`).join('');
}

/** The human summary: what was done, what was found. */
export function formatReport(r: BankRunReport): string[] {
  const s = r.result.stats;
  const lines = [
    `=== bank invariant: ${r.options.customers} customers, ${r.options.seconds} s, ${r.wallSeconds} s wall ===`,
    `faults injected (${r.faults.length}):`,
    ...r.faults.map((f) => `  - ${f.name}: ${f.ok ? 'ok' : 'FAILED'} ${(f.startedAt / 1000).toFixed(1)}–${(f.endedAt / 1000).toFixed(1)} s — ${f.detail ?? ''}`),
    `transfers: attempted ${s.transfers.attempted}, accepted ${s.transfers.accepted}, refused ${s.transfers.refused}, indeterminate ${s.transfers.indeterminate}; final: completed ${s.transfers.completed}, failed ${s.transfers.failed}, pending ${s.transfers.pending}`,
    `refusals: ${Object.entries(s.refusals).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    `reads ok: balance ${s.reads.balance}, statement ${s.reads.statement}, transfer status ${s.reads.transferStatus}; reads that failed: ${s.reads.failed}`,
    `unsuccessful answers:${unsuccessful(r.ops)}`,
    `money: R$ ${reais(s.totalBefore)} before, R$ ${reais(s.totalAfter)} after`,
    `notifications checked: ${s.notifications.inApp} in-app, ${s.notifications.deliveries} deliveries`,
    `quiesced: ${r.quiesced.complete ? `yes, in ${(r.quiesced.ms / 1000).toFixed(1)} s` : `NO (${r.quiesced.waitingFor.join(', ')})`}`,
    `violations: ${r.result.violations.length}`,
    ...r.result.violations.slice(0, 40).map((v) => `  ! ${v.kind}: ${v.detail}`),
  ];
  return lines;
}
