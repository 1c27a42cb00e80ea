// A real poison message for the back office's dead-letter page (issue #19), its fix, and the effect its replay must
// have — through the running stack's Kafka and the notifications database, nothing faked.
//
// The cause: the Notification consumer refuses an `account.created` whose e-mail is already another known customer's
// (one customer would read the other's notifications) and sends it to `account.created.dlt` at once with the reason
// "contact conflict: …". Retrying cannot help; the fix is to correct the other customer's contact (a newer
// `account.created` of that customer refreshes it, as onboarding's events do), and then to replay the dead letter: the
// customer becomes known to the notifications and gets their welcome notification — once, however often it is
// replayed (the consumer's inbox).
import { deadLetterTopic, TOPICS } from '@krt/contracts';
import { generateCpf } from '@krt/domain';
import { databaseUrl } from '@krt/platform/config';
import { createPool, type Pool } from '@krt/platform/persistence';
import { createKafka } from '@krt/platform/messaging';
import type { Consumer, Producer } from 'kafkajs';
import { randomInt, randomUUID } from 'node:crypto';

const BROKERS = process.env.E2E_KAFKA_BROKERS ?? '127.0.0.1:9092';
const NOTIFICATIONS_DB = process.env.E2E_NOTIFICATIONS_DATABASE_URL ?? databaseUrl('notifications');

interface Person {
  customerId: string;
  fullName: string;
  cpf: string;
  email: string;
  phone: string;
}

const person = (fullName: string, email: string): Person => ({
  customerId: randomUUID(),
  fullName,
  cpf: generateCpf((n) => randomInt(n)).value,
  email,
  phone: `+55119${String(randomInt(10_000_000, 99_999_999))}`,
});

/** The customer whose e-mail the poison message collides with, per marker (fixPoisonCause corrects it). */
const holders = new Map<string, Person>();

let pool: Pool | undefined;
const db = () => (pool ??= createPool(NOTIFICATIONS_DB, { max: 2, applicationName: 'e2e-dead-letters' }));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function withProducer<T>(fn: (p: Producer) => Promise<T>): Promise<T> {
  const producer = createKafka('krt-e2e-dead-letters', BROKERS).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    return await fn(producer);
  } finally {
    await producer.disconnect();
  }
}

/** Publishes `account.created` for `p` as onboarding's outbox relay does (keyed by the customer id). */
async function publishAccountCreated(producer: Producer, p: Person): Promise<string> {
  const eventId = randomUUID();
  const envelope = {
    eventId,
    type: TOPICS.accountCreated,
    occurredAt: new Date().toISOString(),
    aggregateId: p.customerId,
    correlationId: `e2e-${randomUUID()}`,
    schemaVersion: 1,
    payload: { customerId: p.customerId, keycloakUserId: randomUUID(), fullName: p.fullName, cpf: p.cpf, email: p.email, phone: p.phone },
  };
  await producer.send({ topic: TOPICS.accountCreated, messages: [{ key: p.customerId, value: JSON.stringify(envelope), headers: { 'event-id': eventId } }] });
  return eventId;
}

async function knownEmail(customerId: string): Promise<string | undefined> {
  const { rows } = await db().query<{ email: string }>('SELECT email FROM customers WHERE customer_id = $1', [customerId]);
  return rows[0]?.email;
}

/**
 * Makes a real dead letter: a customer is known to the notifications, then an `account.created` of a second customer
 * with the same e-mail arrives and lands in `account.created.dlt`. Resolves once it is there. `marker` is the second
 * customer's id: the dead letter's key and its payload's `customerId`.
 */
export async function makePoisonMessage(): Promise<{ topic: string; originalTopic: string; key: string; marker: string }> {
  const tag = randomUUID().slice(0, 8);
  const email = `dlt-${tag}@krt.test`;
  const holder = person('Helena Titular Conflito', email);
  const poison = person('Pedro Conflito Contato', email);
  let consumer: Consumer | undefined;
  try {
    await withProducer(async (producer) => {
      await publishAccountCreated(producer, holder);
      await waitFor('the first customer known to the notifications', () => knownEmail(holder.customerId));
      // Watch the dead-letter topic from its current end (taken before sending), then send the colliding account.created.
      const kafka = createKafka('krt-e2e-dead-letters', BROKERS);
      const topic = deadLetterTopic(TOPICS.accountCreated);
      const admin = kafka.admin();
      await admin.connect();
      const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
      consumer = kafka.consumer({ groupId: `e2e-dead-letters-${tag}` });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: false });
      let seen!: () => void;
      const deadLettered = new Promise<void>((r) => (seen = r));
      await consumer.run({
        eachMessage: async ({ message }) => {
          if (message.key?.toString() === poison.customerId) seen();
        },
      });
      for (const p of ends) consumer.seek({ topic, partition: p.partition, offset: p.high });
      await publishAccountCreated(producer, poison);
      await Promise.race([deadLettered, new Promise((_, reject) => setTimeout(() => reject(new Error('the poison account.created did not reach account.created.dlt in 60 s')), 60_000))]);
    });
  } finally {
    await (consumer as Consumer | undefined)?.disconnect().catch(() => undefined);
  }
  holders.set(poison.customerId, holder);
  return { topic: deadLetterTopic(TOPICS.accountCreated), originalTopic: TOPICS.accountCreated, key: poison.customerId, marker: poison.customerId };
}

/** Fixes the cause: the first customer's e-mail is corrected (a newer account.created of theirs); resolves once applied. */
export async function fixPoisonCause(marker: string): Promise<void> {
  const holder = holders.get(marker);
  if (!holder) throw new Error(`no poison message made with marker ${marker} in this process`);
  const corrected = { ...holder, email: holder.email.replace('@', '.corrigido@') };
  await withProducer((producer) => publishAccountCreated(producer, corrected));
  await waitFor('the corrected e-mail', async () => (await knownEmail(holder.customerId)) === corrected.email);
  holders.set(marker, corrected);
}

/** How many welcome notifications (ACCOUNT_CREATED, in-app) the poison message's customer has: 1 after a replay, never 2. */
export async function effectCount(marker: string): Promise<number> {
  const { rows } = await db().query<{ n: number }>("SELECT count(*)::int AS n FROM notifications WHERE customer_id = $1 AND kind = 'ACCOUNT_CREATED'", [marker]);
  return rows[0]!.n;
}

/** Whether the replay's effect is there: the customer is known to the notifications and has their welcome notification. */
export async function effectApplied(marker: string): Promise<boolean> {
  return Boolean(await knownEmail(marker)) && (await effectCount(marker)) >= 1;
}

/** Closes the database pool (call from the spec's afterAll). */
export async function closeDeadLetters(): Promise<void> {
  await pool?.end();
  pool = undefined;
}
