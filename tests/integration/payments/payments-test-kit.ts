// Test kit for the payments integration tests: an in-process API on a random port (real Postgres, Redis, Kafka,
// Keycloak), customers with real Keycloak tokens and ledger accounts, deposits and transfer polling.
import { TOPICS, type Envelope } from '@krt/contracts';
import { generateCpf } from '@krt/domain';
import { applyAccountCreated, type Clock } from '@krt/payments';
import { createTokenVerifier, hashTransactionPin, parseTransactionPinKey } from '@krt/platform/auth';
import { listen, type RunningServer } from '@krt/platform/http';
import { createKafka, OutboxRelay } from '@krt/platform/messaging';
import { createLogger, type Logger } from '@krt/platform/telemetry';
import { createRealmUser, eventually, fundAccount, operatorToken, passwordGrant } from '@krt/testing';
import { randomInt, randomUUID } from 'node:crypto';
import { createPaymentsApp } from '../../../apps/payments/src/app';
import { loadPaymentsConfig } from '../../../apps/payments/src/config';
import { createPaymentsRuntime, type PaymentsRuntime } from '../../../apps/payments/src/runtime';

export interface TestApi {
  url: string;
  rt: PaymentsRuntime;
  server: RunningServer;
  close(): Promise<void>;
}

/**
 * The API in this process, with its own outbox relay (competing with the stack's relays, as replicas do). `env`
 * overrides its configuration (e.g. PIX_PIN_LOCK_SECONDS).
 */
export async function startPaymentsApi(opts: { clock?: Clock; relay?: boolean; poolMax?: number; logger?: Logger; env?: Record<string, string> } = {}): Promise<TestApi> {
  const logger = opts.logger ?? createLogger('payments-test', { level: 'warn' });
  const cfg = loadPaymentsConfig({ ...process.env, ...(opts.poolMax ? { PAYMENTS_DB_POOL_MAX: String(opts.poolMax) } : {}), ...opts.env });
  const rt = await createPaymentsRuntime({ name: 'payments-test', logger, clock: opts.clock, cfg });
  const app = createPaymentsApp({ logger, readiness: [], ctx: rt.ctx, verifyToken: createTokenVerifier(rt.cfg) });
  const server = await listen(app, 0);
  let relay: OutboxRelay | undefined;
  if (opts.relay !== false) {
    relay = new OutboxRelay({ pool: rt.pool, connectionString: rt.cfg.PAYMENTS_DATABASE_URL, kafka: createKafka('payments-test-relay', rt.cfg.KAFKA_BROKERS), logger });
    await relay.start();
  }
  return {
    url: `http://127.0.0.1:${server.port}`,
    rt,
    server,
    close: async () => {
      await server.close();
      await relay?.stop();
      await rt.close();
    },
  };
}

export interface Customer {
  customerId: string;
  cpf: string;
  fullName: string;
  email: string;
  token: string;
  accountId: string;
}

export const PASSWORD = 'Krt#Teste2026';
/** Every kit customer's transaction PIN (issue #23), unless created with another one or none. */
export const TEST_PIN = '4721';

/** The keyed hash onboarding puts in `account.created` for `pin` (the stack's development TRANSACTION_PIN_KEY). */
export function transactionPinHashOf(customerId: string, pin: string): string {
  return hashTransactionPin(parseTransactionPinKey(loadPaymentsConfig().TRANSACTION_PIN_KEY), customerId, pin);
}
/** The operator `operador`'s token (the maker of deposit requests); `supervisora` is operatorToken('checker'). */
export const adminToken = (): Promise<string> => operatorToken('maker');

export function accountCreatedEnvelope(p: { customerId: string; keycloakUserId: string; fullName: string; cpf: string; email: string; transactionPinHash?: string }): Envelope {
  return {
    eventId: randomUUID(),
    type: TOPICS.accountCreated,
    occurredAt: new Date().toISOString(),
    aggregateId: p.customerId,
    correlationId: `test-${randomUUID()}`,
    schemaVersion: 1,
    payload: { ...p, phone: '+5511987654321' },
  };
}

/**
 * A realm user with a customer_id, a token, and an open ledger account (opened directly, or through Kafka), with the
 * transaction PIN `pin` chosen at registration (default TEST_PIN; null: a customer from before the PIN, without one).
 */
export async function newCustomer(api: TestApi, opts: { name?: string; viaKafka?: boolean; pin?: string | null } = {}): Promise<Customer> {
  const cpf = generateCpf((n) => randomInt(n)).value;
  const customerId = randomUUID();
  const email = `pay-${customerId.slice(0, 8)}@teste.krt.dev`;
  const fullName = opts.name ?? `Cliente ${customerId.slice(0, 4)} da Silva`;
  const user = await createRealmUser({ username: cpf, password: PASSWORD, email, customerId });
  const pin = opts.pin === undefined ? TEST_PIN : opts.pin;
  const envelope = accountCreatedEnvelope({ customerId, keycloakUserId: user.id, fullName, cpf, email, ...(pin ? { transactionPinHash: transactionPinHashOf(customerId, pin) } : {}) });
  const { access_token: token } = await passwordGrant(cpf, PASSWORD);
  let accountId: string;
  if (opts.viaKafka) {
    await publish(TOPICS.accountCreated, customerId, envelope);
    accountId = await eventually(
      async () => {
        const r = await call(api, token, 'GET', '/v1/accounts/me');
        return r.status === 200 ? (r.body as { accountId: string }).accountId : undefined;
      },
      { timeoutMs: 30_000, what: 'account opened by the Account consumer' },
    );
  } else {
    accountId = (await applyAccountCreated(api.rt.pool, envelope, new Date()))!.id;
  }
  return { customerId, cpf, fullName, email, token, accountId };
}

type TestProducer = ReturnType<ReturnType<typeof createKafka>['producer']>;
// One connection shared by concurrent callers: they all wait for the same connect before sending.
let producer: Promise<TestProducer> | undefined;
export async function publish(topic: string, key: string, envelope: Envelope): Promise<void> {
  producer ??= (async () => {
    const p = createKafka('payments-test', '127.0.0.1:9092').producer({ allowAutoTopicCreation: false });
    await p.connect();
    return p;
  })();
  await (await producer).send({ topic, messages: [{ key, value: JSON.stringify(envelope), headers: { 'event-id': envelope.eventId } }] });
}
export async function closeProducer() {
  const p = producer;
  producer = undefined;
  await (await p?.catch(() => undefined))?.disconnect().catch(() => undefined);
}

export interface CallResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

export async function call<T = any>(api: { url: string }, token: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<CallResult<T>> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* CSV and other text bodies */
  }
  return { status: res.status, body: parsed as T, headers: res.headers, text };
}

/** A sandbox deposit under dual control (requested by `operador`, approved by `supervisora`; @krt/testing fundAccount). */
export function deposit(api: TestApi, accountId: string, amount: string, description = 'Depósito de teste') {
  return fundAccount(accountId, amount, { paymentsUrl: api.url, description });
}

export async function addKey(api: TestApi, c: Customer, type = 'EVP', value?: string): Promise<string> {
  const r = await call<{ value: string }>(api, c.token, 'POST', '/v1/pix/keys', value === undefined ? { type } : { type, value });
  if (r.status !== 201) throw new Error(`key failed: ${r.status} ${r.text}`);
  return r.body.value;
}

/** A PIX confirmed with TEST_PIN unless the body brings its own `pin`. */
export function pix(api: TestApi, c: Customer, body: { key: string; amount: string; description?: string; pin?: string }, idempotencyKey: string = randomUUID()) {
  return call(api, c.token, 'POST', '/v1/pix/transfers', { pin: TEST_PIN, ...body }, { 'idempotency-key': idempotencyKey });
}

/** A devolução of `transferId`, confirmed with TEST_PIN unless the body brings its own `pin`. */
export function refund(api: TestApi, c: Customer, transferId: string, body: { amount: string; description?: string; pin?: string }, idempotencyKey: string = randomUUID()) {
  return call(api, c.token, 'POST', `/v1/pix/transfers/${transferId}/refunds`, { pin: TEST_PIN, ...body }, { 'idempotency-key': idempotencyKey });
}

/** New PIX limits, confirmed with TEST_PIN unless the body brings its own `pin`. */
export function setLimits(api: TestApi, c: Customer, body: { perTransaction?: string; daily?: string; night?: string; pin?: string }) {
  return call(api, c.token, 'PUT', '/v1/accounts/me/limits', { pin: TEST_PIN, ...body });
}

export async function finalStatus(api: TestApi, c: Customer, transferId: string, timeoutMs = 40_000) {
  return eventually(
    async () => {
      const r = await call<{ status: string }>(api, c.token, 'GET', `/v1/pix/transfers/${transferId}`);
      return r.status === 200 && r.body.status !== 'PENDING' ? r.body : undefined;
    },
    { timeoutMs, intervalMs: 250, what: `transfer ${transferId} final` },
  ) as Promise<any>;
}

export async function balanceOf(api: TestApi, c: Customer) {
  const r = await call<{ available: string; posted: string; reserved: string }>(api, c.token, 'GET', '/v1/accounts/me/balance');
  if (r.status !== 200) throw new Error(`balance ${r.status} ${r.text}`);
  return r.body;
}

/** Ledger-wide check: total debits = total credits, and the sum of all account balances is zero. */
export async function ledgerTotals(api: TestApi) {
  const { rows } = await api.rt.pool.query<{ debits: bigint; credits: bigint }>(
    "SELECT COALESCE(sum(amount) FILTER (WHERE direction = 'DEBIT'), 0)::bigint AS debits, COALESCE(sum(amount) FILTER (WHERE direction = 'CREDIT'), 0)::bigint AS credits FROM ledger_entries",
  );
  const { rows: bal } = await api.rt.pool.query<{ total: bigint }>('SELECT COALESCE(sum(posted), 0)::bigint AS total FROM accounts');
  return { debits: rows[0]!.debits, credits: rows[0]!.credits, sumOfBalances: bal[0]!.total };
}

/** Fixed São Paulo wall-clock instant today (UTC−3): `saoPauloToday(23)` = 23:00 today in São Paulo. */
export function saoPauloToday(hour: number, minute = 0): Date {
  const now = new Date(Date.now() - 3 * 3_600_000);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour + 3, minute));
}

/** Small deterministic PRNG (mulberry32) so a failing run can be replayed with its seed. */
export function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
