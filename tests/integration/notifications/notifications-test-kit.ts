// Test kit for the notifications: real Kafka envelopes, the SMTP catcher's JSON API, the local SMS outbox, the
// notifications database, and an isolated RabbitMQ namespace with an in-process worker for retry/DLQ scenarios.
import { TOPICS, type Envelope } from '@krt/contracts';
import { generateCpf } from '@krt/domain';
import {
  createSmtpEmailSender,
  FileSmsProvider,
  loadNotificationsConfig,
  readSmsOutbox,
  startNotificationWorker,
  topology,
  type RunningWorker,
  type Topology,
} from '@krt/notifications';
import { databaseUrl } from '@krt/platform/config';
import { createPool, type Pool } from '@krt/platform/persistence';
import { createKafka, AmqpClient, ConfirmPublisher } from '@krt/platform/messaging';
import { createLogger, type Logger } from '@krt/platform/telemetry';
import { randomInt, randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';

export const SMTP_API = 'http://127.0.0.1:8025';
export const AMQP_URL = 'amqp://krt:krt@127.0.0.1:5672';
export const SMS_OUTBOX = loadNotificationsConfig({}).SMS_OUTBOX_PATH;
export const NBSP = '\u00a0';

export interface TestCustomer {
  customerId: string;
  accountId: string;
  fullName: string;
  email: string;
  phone: string;
  cpf: string;
}

export function testCustomer(fullName = `Cliente ${randomUUID().slice(0, 4)} Teste`): TestCustomer {
  const customerId = randomUUID();
  return {
    customerId,
    accountId: randomUUID(),
    fullName,
    email: `ntf-${customerId.slice(0, 8)}@teste.krt.dev`,
    phone: `+55119${String(randomInt(10_000_000, 99_999_999))}`,
    cpf: generateCpf((n) => randomInt(n)).value,
  };
}

export function envelope(type: string, aggregateId: string, payload: unknown): Envelope {
  return { eventId: randomUUID(), type, occurredAt: new Date().toISOString(), aggregateId, correlationId: `test-${randomUUID()}`, schemaVersion: 1, payload };
}

export const accountCreated = (c: TestCustomer) =>
  envelope(TOPICS.accountCreated, c.customerId, { customerId: c.customerId, keycloakUserId: randomUUID(), fullName: c.fullName, cpf: c.cpf, email: c.email, phone: c.phone });

export function pixCompleted(payer: TestCustomer, receiver: TestCustomer, amountCentavos: string) {
  return envelope(TOPICS.pixCompleted, payer.accountId, {
    transferId: randomUUID(),
    endToEndId: `E12345678${new Date().toISOString().replace(/\D/g, '').slice(0, 12)}${randomUUID().replace(/-/g, '').slice(0, 11)}`,
    payer: { customerId: payer.customerId, accountId: payer.accountId },
    receiver: { customerId: receiver.customerId, accountId: receiver.accountId },
    amountCentavos,
    completedAt: new Date().toISOString(),
  });
}

// One connection shared by concurrent callers: they all wait for the same connect before sending.
let producer: Promise<Producer> | undefined;
/** Publishes a real envelope to Kafka, keyed like the outbox relays do (the aggregate / account id). */
export async function publish(topic: string, env: Envelope): Promise<void> {
  producer ??= (async () => {
    const p = createKafka('notifications-test', '127.0.0.1:9092').producer({ allowAutoTopicCreation: false });
    await p.connect();
    return p;
  })();
  await (await producer).send({ topic, messages: [{ key: env.aggregateId, value: JSON.stringify(env) }] });
}
export async function closeProducer() {
  const p = producer;
  producer = undefined;
  await (await p?.catch(() => undefined))?.disconnect().catch(() => undefined);
}

export interface CaughtMail {
  id: string;
  messageId: string | null;
  envelope: { from: string; to: string[] };
  subject: string;
  text?: string;
  snippet?: string;
  headers: Record<string, string>;
}

/** E-mails the SMTP catcher received for `address`, newest first. */
export async function mailsTo(address: string): Promise<CaughtMail[]> {
  const res = await fetch(`${SMTP_API}/api/messages?to=${encodeURIComponent(address)}`);
  if (!res.ok) throw new Error(`catcher answered ${res.status}`);
  return ((await res.json()) as { messages: CaughtMail[] }).messages;
}

export async function mail(id: string): Promise<CaughtMail & { text: string; html: string }> {
  const res = await fetch(`${SMTP_API}/api/messages/${id}`);
  return (await res.json()) as CaughtMail & { text: string; html: string };
}

export async function smsTo(phone: string) {
  return (await readSmsOutbox(SMS_OUTBOX)).filter((s) => s.to === phone);
}

let pool: Pool | undefined;
export function notificationsDb(): Pool {
  pool ??= createPool(databaseUrl('notifications'), { max: 4, applicationName: 'notifications-test' });
  return pool;
}
export async function closeDb() {
  await pool?.end();
  pool = undefined;
}

export async function inApp(customerId: string) {
  const { rows } = await notificationsDb().query<{ id: string; kind: string; title: string; body: string; event_id: string }>(
    'SELECT id, kind, title, body, event_id FROM notifications WHERE customer_id = $1 ORDER BY created_at',
    [customerId],
  );
  return rows;
}

export async function deliveriesOf(customerId: string) {
  const { rows } = await notificationsDb().query<{ event_id: string; channel: string; status: string; attempts: number; last_error: string | null; kind: string }>(
    'SELECT event_id, channel, status, attempts, last_error, kind FROM deliveries WHERE customer_id = $1 ORDER BY channel',
    [customerId],
  );
  return rows;
}

export async function customerKnown(customerId: string) {
  const { rowCount } = await notificationsDb().query('SELECT 1 FROM customers WHERE customer_id = $1', [customerId]);
  return (rowCount ?? 0) > 0;
}

/** An isolated RabbitMQ namespace (own exchange, queues, delay queues, DLQ) with short retry delays. */
export interface IsolatedPipeline {
  namespace: string;
  topology: Topology;
  amqp: AmqpClient;
  publisher: ConfirmPublisher;
  pool: Pool;
  logger: Logger;
  env: Record<string, string>;
  startWorker(opts?: { smtpPort?: number; logger?: Logger }): Promise<RunningWorker>;
  close(): Promise<void>;
}

export async function isolatedPipeline(delaysMs = [150, 300, 450]): Promise<IsolatedPipeline> {
  const namespace = `test-ntf-${randomUUID().slice(0, 8)}`;
  const t = topology(namespace, delaysMs);
  const logger = createLogger('notifications-test', { level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const amqp = new AmqpClient({ url: AMQP_URL, name: namespace, logger });
  await amqp.start();
  const publisher = new ConfirmPublisher(amqp);
  const dbPool = createPool(databaseUrl('notifications'), { max: 20, applicationName: namespace });
  const workers: RunningWorker[] = [];
  const senders: Array<{ close(): void }> = [];
  return {
    namespace,
    topology: t,
    amqp,
    publisher,
    pool: dbPool,
    logger,
    env: { NOTIFICATIONS_AMQP_NAMESPACE: namespace, NOTIFICATIONS_RETRY_DELAYS_MS: delaysMs.join(',') },
    async startWorker(opts = {}) {
      const email = createSmtpEmailSender({ host: '127.0.0.1', port: opts.smtpPort ?? 1025, secure: false, from: 'KRT Bank <nao-responda@krt.bank>' });
      senders.push(email);
      const w = await startNotificationWorker({
        pool: dbPool,
        amqp,
        publisher,
        topology: t,
        logger: opts.logger ?? logger,
        email,
        sms: new FileSmsProvider(SMS_OUTBOX),
        liveExchange: 'krt.live',
        prefetch: 5,
      });
      workers.push(w);
      return w;
    },
    async close() {
      for (const w of workers) await w.stop().catch(() => undefined);
      for (const s of senders) s.close();
      // Leave nothing behind in the shared broker.
      const conn = await amqp.current().catch(() => undefined);
      if (conn) {
        const ch = await conn.createChannel();
        for (const c of ['email', 'sms', 'push'] as const) {
          await ch.deleteQueue(t.queue(c)).catch(() => undefined);
          for (let i = 1; i <= delaysMs.length; i++) await ch.deleteQueue(t.retryQueue(c, i)).catch(() => undefined);
        }
        await ch.deleteQueue(t.dlq).catch(() => undefined);
        await ch.deleteExchange(t.exchange).catch(() => undefined);
        await ch.close().catch(() => undefined);
      }
      await publisher.close();
      await amqp.close();
      await dbPool.end();
    },
  };
}
