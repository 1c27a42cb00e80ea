// Payments benchmark (not a test): `npx tsx bench/payments-bench.ts`.
//
// Part 1 — PIX through the running stack (payments API + Fraud and Payment consumers + Kafka):
//   A) PIX accepted per second at a stated concurrency (burst), and how fast the saga drains it;
//   B) latency from POST to COMPLETED without a backlog (closed loop: each customer waits for COMPLETED).
// Part 2 — reads with a million ledger entries, in a separate schema (payments_bench) so the service's tables stay small:
//   balance (Redis read model and primary database), statement first page / deep page / filtered, with EXPLAIN plans.
//
// Environment: BENCH_PAYMENTS_URLS (default http://127.0.0.1:5002), BENCH_CONCURRENCY (20), BENCH_TRANSFERS (1000),
// BENCH_LATENCY_CONCURRENCY (5), BENCH_LATENCY_SAMPLES (200),
// BENCH_ENTRIES (1000000), BENCH_SKIP_PIX=1 / BENCH_SKIP_READS=1.
import { TOPICS } from '@krt/contracts';
import { generateCpf, Money } from '@krt/domain';
import { applyAccountCreated, BANK_CASH_ACCOUNT_ID, createPaymentsContext, readBalance, statementPage } from '@krt/payments';
import { createPool, type Pool, PLATFORM_MIGRATIONS_DIR, createRedis } from '@krt/platform/persistence';
import { createLogger } from '@krt/platform/telemetry';
import { runner } from 'node-pg-migrate';
import { createRealmUser, fundAccount, passwordGrant } from '@krt/testing';
import { randomInt, randomUUID } from 'node:crypto';
import os from 'node:os';
import { PAYMENTS_MIGRATIONS } from '../apps/payments/src/runtime';
import { PIN, pinHashOf } from './lib/customers';

const URLS = (process.env.BENCH_PAYMENTS_URLS ?? 'http://127.0.0.1:5002').split(',');
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const TRANSFERS = Number(process.env.BENCH_TRANSFERS ?? 1000);
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const LATENCY_CONCURRENCY = Number(process.env.BENCH_LATENCY_CONCURRENCY ?? 5);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 200);
const PG = 'postgres://krt:krt@127.0.0.1:5433';
const logger = createLogger('payments-bench', { level: 'warn' });

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}
const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
const line = (label: string, xs: number[]) => console.log(`  ${label.padEnd(44)} p50 ${fmt(pct(xs, 50)).padStart(9)}  p95 ${fmt(pct(xs, 95)).padStart(9)}  p99 ${fmt(pct(xs, 99)).padStart(9)}  (n=${xs.length})`);

async function api(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const url = URLS[randomInt(URLS.length)]!;
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as { id: string; value: string } & Record<string, unknown> };
}

async function customer(pool: Pool) {
  const cpf = generateCpf((n) => randomInt(n)).value;
  const customerId = randomUUID();
  const user = await createRealmUser({ username: cpf, password: 'Krt#Bench2026', email: `bench-${customerId.slice(0, 8)}@bench.krt.dev`, customerId });
  const account = await applyAccountCreated(
    pool,
    {
      eventId: randomUUID(),
      type: TOPICS.accountCreated,
      occurredAt: new Date().toISOString(),
      aggregateId: customerId,
      correlationId: `bench-${customerId}`,
      schemaVersion: 1,
      payload: { customerId, keycloakUserId: user.id, fullName: `Bench ${customerId.slice(0, 6)} Silva`, cpf, email: `bench-${customerId.slice(0, 8)}@bench.krt.dev`, phone: '+5511987654321', transactionPinHash: pinHashOf(customerId) },
    },
    new Date(),
  );
  const { access_token } = await passwordGrant(cpf, 'Krt#Bench2026');
  return { customerId, token: access_token, accountId: account!.id };
}

async function pixBench() {
  const pool = createPool(`${PG}/payments`, { applicationName: 'payments-bench' });
  const payers = await Promise.all(Array.from({ length: CONCURRENCY }, () => customer(pool)));
  const receivers = await Promise.all(Array.from({ length: 5 }, () => customer(pool)));
  const keys: string[] = [];
  for (const r of receivers) keys.push((await api('POST', '/v1/pix/keys', r.token, { type: 'EVP' })).body.value);
  for (const p of payers) await fundAccount(p.accountId, '900.00', { paymentsUrl: URLS[0], description: 'bench', reason: 'Saldo do benchmark' });
  const post = (p: { token: string }) =>
    api('POST', '/v1/pix/transfers', p.token, { key: keys[randomInt(keys.length)], amount: '0.50', description: 'bench', pin: PIN }, { 'idempotency-key': randomUUID() });

  // Phase A — acceptance throughput: one worker per payer fires PIX back to back (the saga runs behind, through Kafka).
  // The payer's account row lock serialises its own PIX, as it does for a real customer.
  const started = new Map<string, number>();
  const acceptMs: number[] = [];
  let next = 0;
  let refused = 0;
  const t0 = performance.now();
  const wall0 = Date.now();
  await Promise.all(
    payers.map(async (p) => {
      while (next < TRANSFERS) {
        next += 1;
        const sentAt = Date.now();
        const s = performance.now();
        const r = await post(p);
        acceptMs.push(performance.now() - s);
        if (r.status === 202) started.set(r.body.id, sentAt);
        else refused += 1;
      }
    }),
  );
  const acceptSeconds = (performance.now() - t0) / 1000;
  const ids = [...started.keys()];
  const deadline = Date.now() + 300_000;
  let pending = ids.length;
  while (pending > 0 && Date.now() < deadline) {
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pix_transfers WHERE id = ANY($1::uuid[]) AND status = 'PENDING'", [ids]);
    pending = rows[0]!.n;
    if (pending) await new Promise((r) => setTimeout(r, 250));
  }
  const { rows } = await pool.query<{ id: string; status: string; done: Date }>(
    'SELECT id, status, COALESCE(completed_at, failed_at) AS done FROM pix_transfers WHERE id = ANY($1::uuid[])',
    [ids],
  );
  const backlogE2e = rows.filter((r) => r.status === 'COMPLETED').map((r) => r.done.getTime() - started.get(r.id)!);
  const lastDone = Math.max(...rows.filter((r) => r.done).map((r) => r.done.getTime()));
  console.log(`\nPIX through the stack — ${URLS.length} API instance(s), one Fraud and one Payment consumer process, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}`);
  console.log(`A) burst: ${TRANSFERS} PIX of R$ 0,50 at concurrency ${CONCURRENCY} (one in-flight POST per payer, not waiting for the saga)`);
  console.log(`  accepted: ${ids.length} (refused ${refused}) in ${acceptSeconds.toFixed(2)} s → ${(ids.length / acceptSeconds).toFixed(0)} PIX accepted/s`);
  console.log(`  completed: ${backlogE2e.length}, failed: ${rows.filter((r) => r.status === 'FAILED').length}, still pending: ${pending}`);
  console.log(`  saga throughput (first POST → last settlement): ${(backlogE2e.length / ((lastDone - wall0) / 1000)).toFixed(0)} PIX completed/s`);
  line('POST /v1/pix/transfers → 202', acceptMs);
  line('POST → COMPLETED (includes the queue behind)', backlogE2e);

  // Phase B — latency without a backlog: each worker sends one PIX and waits until it is COMPLETED before the next.
  const closed: number[] = [];
  let left = LATENCY_SAMPLES;
  await Promise.all(
    payers.slice(0, LATENCY_CONCURRENCY).map(async (p) => {
      while (left > 0) {
        left -= 1;
        const s = performance.now();
        const r = await post(p);
        if (r.status !== 202) continue;
        for (;;) {
          const { rows: st } = await pool.query<{ status: string }>('SELECT status FROM pix_transfers WHERE id = $1', [r.body.id]);
          if (st[0]!.status !== 'PENDING') break;
          await new Promise((res) => setTimeout(res, 5));
        }
        closed.push(performance.now() - s);
      }
    }),
  );
  console.log(`B) steady: ${LATENCY_SAMPLES} PIX, ${LATENCY_CONCURRENCY} customers each waiting for COMPLETED before the next PIX`);
  line('POST → COMPLETED (Kafka, fraud, settlement)', closed);
  await pool.end();
}

async function readsBench() {
  // A schema of its own in the payments database (search_path in the URL), migrated like the real one.
  const admin = createPool(`${PG}/payments`, { applicationName: 'payments-bench' });
  await admin.query('CREATE SCHEMA IF NOT EXISTS payments_bench');
  await admin.end();
  const url = `${PG}/payments?options=${encodeURIComponent('-c search_path=payments_bench')}`;
  for (const [dir, table] of [
    [PLATFORM_MIGRATIONS_DIR, 'pgmigrations_platform'],
    [PAYMENTS_MIGRATIONS, 'pgmigrations'],
  ] as const) {
    await runner({ databaseUrl: url, dir, direction: 'up', migrationsTable: table, schema: 'payments_bench', count: Infinity, singleTransaction: true, log: () => undefined });
  }
  const pool = createPool(url, { applicationName: 'payments-bench', statementTimeoutMs: 600_000 });
  const redis = createRedis('redis://127.0.0.1:6380', 'payments-bench');
  const ctx = createPaymentsContext({ pool, redis, logger });
  const BIG = '00000000-0000-4000-8000-00000000b16b';
  const { rows: count } = await pool.query<{ n: bigint }>('SELECT count(*)::bigint AS n FROM ledger_entries');
  if (count[0]!.n < BigInt(ENTRIES)) {
    console.log(`\nLoading ${ENTRIES.toLocaleString('pt-BR')} ledger entries into schema payments_bench (once)…`);
    const t = performance.now();
    await pool.query('TRUNCATE ledger_entries');
    await pool.query("DELETE FROM accounts WHERE kind = 'CUSTOMER'");
    await pool.query("UPDATE accounts SET posted = 0 WHERE kind = 'BANK_CASH'");
    // 40 customer accounts; the big one gets half of all journals. Each journal = 2 balanced lines vs. the cash account,
    // spread over the last 12 months (so every monthly partition holds data).
    await pool.query(
      `INSERT INTO accounts (id, kind, customer_id, holder_name, holder_cpf, number)
       SELECT CASE WHEN g = 0 THEN $1::uuid ELSE gen_random_uuid() END, 'CUSTOMER', gen_random_uuid(), 'Cliente Bench ' || g, lpad(g::text, 11, '0'), 'B' || g
         FROM generate_series(0, 39) g`,
      [BIG],
    );
    const journals = ENTRIES / 2;
    await pool.query(
      `WITH acc AS (SELECT array_agg(id ORDER BY (id <> $1::uuid), id) AS ids FROM accounts WHERE kind = 'CUSTOMER'),
       j AS (
         SELECT g, gen_random_uuid() AS journal_id,
                CASE WHEN g % 2 = 0 THEN (SELECT ids[1] FROM acc) ELSE (SELECT ids[1 + (g % 40)] FROM acc) END AS account_id,
                (100 + (g::bigint * 7919) % 50000)::bigint AS amount,
                now() - ((g::double precision / $2) * interval '360 days') AS at
           FROM generate_series(1, $2::int) g)
       -- One journal in three moves money out of the customer (a smaller amount), so both directions are present.
       INSERT INTO ledger_entries (journal_id, account_id, direction, amount, balance_after, kind, description, counterparty_name, occurred_at)
       SELECT journal_id, account_id, CASE WHEN g % 3 = 0 THEN 'DEBIT' ELSE 'CREDIT' END, CASE WHEN g % 3 = 0 THEN amount / 2 ELSE amount END, 0,
              CASE WHEN g % 3 = 0 THEN 'PIX_OUT' ELSE 'DEPOSIT' END, 'Lançamento bench ' || (g % 97), 'Contraparte ' || (g % 13), at FROM j
       UNION ALL
       SELECT journal_id, $3::uuid, CASE WHEN g % 3 = 0 THEN 'CREDIT' ELSE 'DEBIT' END, CASE WHEN g % 3 = 0 THEN amount / 2 ELSE amount END, 0,
              CASE WHEN g % 3 = 0 THEN 'PIX_IN' ELSE 'DEPOSIT' END, 'Lançamento bench ' || (g % 97), 'Cliente', at FROM j`,
      [BIG, journals, BANK_CASH_ACCOUNT_ID],
    );
    await pool.query(
      `UPDATE accounts a SET posted = s.net, version = version + 1 FROM (
         SELECT account_id, sum(CASE WHEN direction = 'CREDIT' THEN amount ELSE -amount END)::bigint AS net FROM ledger_entries GROUP BY account_id) s
       WHERE a.id = s.account_id`,
    );
    await pool.query('VACUUM ANALYZE ledger_entries');
    await pool.query('VACUUM ANALYZE accounts');
    console.log(`  loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const { rows: stats } = await pool.query<{ total: bigint; big: bigint; parts: number; d: bigint; c: bigint }>(
    `SELECT count(*)::bigint AS total, count(*) FILTER (WHERE account_id = $1)::bigint AS big,
            (SELECT count(*)::int FROM pg_inherits WHERE inhparent = 'ledger_entries'::regclass) AS parts,
            sum(amount) FILTER (WHERE direction = 'DEBIT')::bigint AS d, sum(amount) FILTER (WHERE direction = 'CREDIT')::bigint AS c
       FROM ledger_entries`,
    [BIG],
  );
  const s = stats[0]!;
  console.log(`\nReads (load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}) with ${s.total.toLocaleString('pt-BR')} ledger entries in ${s.parts} partitions (debits ${s.d === s.c ? '=' : '≠'} credits); the measured account has ${s.big.toLocaleString('pt-BR')} entries`);

  const time = async (n: number, fn: () => Promise<unknown>) => {
    for (let i = 0; i < 20; i++) await fn(); // warm-up
    const xs: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await fn();
      xs.push(performance.now() - t);
    }
    return xs;
  };
  await ctx.balanceCache.invalidate(BIG);
  await readBalance(ctx, { id: BIG });
  line('balance (Redis read model)', await time(500, () => readBalance(ctx, { id: BIG })));
  line('balance (primary, cache miss: row by PK)', await time(500, () => pool.query('SELECT posted, reserved, version FROM accounts WHERE id = $1', [BIG])));
  line('statement first page (20)', await time(300, () => statementPage(pool, BIG, {}, 20)));
  const deep = await pool.query<{ occurred_at: Date; id: bigint }>('SELECT occurred_at, id FROM ledger_entries WHERE account_id = $1 ORDER BY occurred_at DESC, id DESC OFFSET 200000 LIMIT 1', [BIG]);
  const { encodeCursor } = await import('@krt/payments');
  const deepCursor = encodeCursor(deep.rows[0]!);
  line('statement page after 200 000 entries (cursor)', await time(300, () => statementPage(pool, BIG, {}, 20, deepCursor)));
  line('statement, type=DEBIT + amount R$ 1–300', await time(300, () => statementPage(pool, BIG, { type: 'DEBIT', minAmount: Money.of('1.00'), maxAmount: Money.of('300.00') }, 20)));
  line('statement, text search q=“bench 42”', await time(100, () => statementPage(pool, BIG, { q: 'bench 42' }, 20)));
  const from = new Date(Date.now() - 95 * 86_400_000).toISOString().slice(0, 10);
  const to = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
  line('statement, one month (from/to)', await time(300, () => statementPage(pool, BIG, { from, to }, 20)));

  const explain = async (label: string, sql: string, params: unknown[]) => {
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) ${sql}`, params);
    const plan = rows.map((r) => r['QUERY PLAN']);
    const nodes = plan.filter((l) => /Scan|Append|Limit|Sort|Subplans Removed/.test(l));
    const shown = [...nodes.slice(0, 5), ...(nodes.length > 5 ? [`      … (${nodes.length - 5} more plan nodes of the same kind)`] : []), ...plan.filter((l) => /Planning Time|Execution Time/.test(l))];
    console.log(`\n  plan — ${label}:\n${shown.map((l) => `    ${l}`).join('\n')}`);
  };
  const STATEMENT_SQL = `SELECT id, occurred_at, direction, kind, amount, description FROM ledger_entries WHERE account_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT 21`;
  await explain('statement first page', STATEMENT_SQL, [BIG]);
  await explain(
    'statement deep page (keyset)',
    `SELECT id, occurred_at FROM ledger_entries WHERE account_id = $1 AND (occurred_at, id) < ($2, $3) ORDER BY occurred_at DESC, id DESC LIMIT 21`,
    [BIG, deep.rows[0]!.occurred_at, deep.rows[0]!.id.toString()],
  );
  await explain('balance on a cache miss', 'SELECT posted, reserved FROM accounts WHERE id = $1', [BIG]);
  await pool.end();
  redis.disconnect();
}

console.log(`KRT Bank payments benchmark — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${new Date().toISOString()}`);
if (!process.env.BENCH_SKIP_PIX) await pixBench();
if (!process.env.BENCH_SKIP_READS) await readsBench();
process.exit(0);
