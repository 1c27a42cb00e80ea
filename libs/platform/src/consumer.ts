// The one Kafka consumer base: validated envelopes, an inbox for exactly-once effects, bounded retries, dead-letter topic.
import { deadLetterTopic, envelopeSchema, type Envelope } from '@krt/contracts';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type pg from 'pg';
import type { Logger } from './logger';

export interface MessageContext {
  topic: string;
  partition: number;
  offset: string;
  attempt: number;
}

export interface ConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  logger: Logger;
  /** Applies one event. Throwing means "retry"; after `maxAttempts` the message goes to the dead-letter topic. */
  handle: (envelope: Envelope, ctx: MessageContext) => Promise<void>;
  maxAttempts?: number;
  retryDelayMs?: number;
  fromBeginning?: boolean;
}

export interface RunningConsumer {
  consumer: Consumer;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startConsumer(opts: ConsumerOptions): Promise<RunningConsumer> {
  const maxAttempts = opts.maxAttempts ?? 5;
  const consumer = opts.kafka.consumer({ groupId: opts.groupId, sessionTimeout: 15_000, heartbeatInterval: 1500, retry: { retries: 10 } });
  const dlq: Producer = opts.kafka.producer({ allowAutoTopicCreation: false });
  await Promise.all([consumer.connect(), dlq.connect()]);
  for (const topic of opts.topics) await consumer.subscribe({ topic, fromBeginning: opts.fromBeginning ?? true });
  const log = opts.logger.child({ consumerGroup: opts.groupId });

  const deadLetter = async (topic: string, message: { key: Buffer | null; value: Buffer | null; headers?: Record<string, unknown> }, reason: string) => {
    await dlq.send({
      topic: deadLetterTopic(topic),
      messages: [{ key: message.key, value: message.value, headers: { ...(message.headers as Record<string, string>), 'dlt-reason': reason.slice(0, 500), 'dlt-group': opts.groupId } }],
    });
    log.error({ topic, reason }, 'message sent to the dead-letter topic');
  };

  await consumer.run({
    autoCommit: true,
    eachMessage: async ({ topic, partition, message }) => {
      let envelope: Envelope;
      try {
        envelope = envelopeSchema.parse(JSON.parse(message.value?.toString() ?? '')) as Envelope;
      } catch (err) {
        await deadLetter(topic, message, `invalid envelope: ${(err as Error).message}`);
        return;
      }
      for (let attempt = 1; ; attempt++) {
        try {
          await opts.handle(envelope, { topic, partition, offset: message.offset, attempt });
          return;
        } catch (err) {
          if (attempt >= maxAttempts) {
            await deadLetter(topic, message, (err as Error).message);
            return;
          }
          log.warn({ err, topic, eventId: envelope.eventId, attempt }, 'handler failed, retrying');
          await sleep((opts.retryDelayMs ?? 200) * 2 ** (attempt - 1));
        }
      }
    },
  });

  return {
    consumer,
    stop: async () => {
      await consumer.disconnect();
      await dlq.disconnect();
    },
  };
}

/**
 * Runs `effect` exactly once per (consumer, event id): the inbox row and the effect commit in one transaction.
 * Returns false when the event had already been applied (a redelivery).
 */
export async function applyOnce(pool: pg.Pool, consumer: string, envelope: Envelope, effect: (client: pg.PoolClient) => Promise<void>): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const inserted = await client.query('INSERT INTO inbox (consumer, event_id, topic) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [consumer, envelope.eventId, envelope.type]);
    if (inserted.rowCount === 0) {
      await client.query('ROLLBACK');
      return false;
    }
    await effect(client);
    await client.query('COMMIT');
    return true;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
