// The one Kafka consumer base: validated envelopes, an inbox for exactly-once effects, bounded retries, dead-letter topic.
import { deadLetterTopic, envelopeSchema, type Envelope } from '@krt/contracts';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type pg from 'pg';
import { startMetricsServer, type RunningServer } from './http';
import { connectWithRetry } from './kafka';
import type { Logger } from './logger';
import { consumerDuration, consumerMessages, inboxDuplicates, observePool, trackConsumerLag } from './metrics';
import { contextFromHeaders, contextFromTraceparent, SpanKind, SpanStatusCode, trace, withSpan } from './telemetry';

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
  /**
   * How many partitions this process handles at once (order within a partition, i.e. per account, is kept).
   * Defaults to KAFKA_PARTITIONS_CONCURRENCY or 1; the fault suite (rebalances, SIGTERM drains) runs with 1.
   */
  partitionsConsumedConcurrently?: number;
  /** How long start-up waits for an unreachable Kafka before giving up (default KAFKA_STARTUP_TIMEOUT_MS or 120 s). */
  startupTimeoutMs?: number;
}

export interface RunningConsumer {
  consumer: Consumer;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let metricsServer: Promise<RunningServer | undefined> | undefined;

/** With METRICS_PORT set, a consumer process without its own HTTP server still serves /metrics (once per process). */
function ensureMetricsServer(service: string, logger: Logger): void {
  const port = process.env.METRICS_PORT;
  if (!port || metricsServer) return;
  metricsServer = startMetricsServer({ service, logger, port: Number(port) }).then(
    (server) => {
      logger.info({ port: server.port }, 'metrics server listening');
      return server;
    },
    (err) => {
      logger.warn({ err, port }, 'metrics server could not start');
      return undefined;
    },
  );
}

export async function startConsumer(opts: ConsumerOptions): Promise<RunningConsumer> {
  const maxAttempts = opts.maxAttempts ?? 5;
  const consumer = opts.kafka.consumer({ groupId: opts.groupId, sessionTimeout: 15_000, heartbeatInterval: 1500, retry: { retries: 10 } });
  const dlq: Producer = opts.kafka.producer({ allowAutoTopicCreation: false });
  const log = opts.logger.child({ consumerGroup: opts.groupId });
  // Started while Kafka is away (a restart during an outage): wait for it rather than exit.
  await connectWithRetry(
    `consumer ${opts.groupId}`,
    async () => {
      await Promise.all([consumer.connect(), dlq.connect()]);
      for (const topic of opts.topics) await consumer.subscribe({ topic, fromBeginning: opts.fromBeginning ?? true });
    },
    { logger: log, timeoutMs: opts.startupTimeoutMs, cleanup: async () => void (await Promise.allSettled([consumer.disconnect(), dlq.disconnect()])) },
  );
  const stopLag = trackConsumerLag(opts.kafka, opts.groupId, opts.topics, opts.fromBeginning ?? true);
  ensureMetricsServer(opts.groupId, opts.logger);

  const deadLetter = async (topic: string, message: { key: Buffer | null; value: Buffer | null; headers?: Record<string, unknown> }, reason: string) => {
    await dlq.send({
      topic: deadLetterTopic(topic),
      messages: [{ key: message.key, value: message.value, headers: { ...(message.headers as Record<string, string>), 'dlt-reason': reason.slice(0, 500), 'dlt-group': opts.groupId } }],
    });
    log.error({ topic, reason }, 'message sent to the dead-letter topic');
  };

  await consumer.run({
    autoCommit: true,
    partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? Number(process.env.KAFKA_PARTITIONS_CONCURRENCY ?? 1),
    eachMessage: async ({ topic, partition, message }) => {
      let envelope: Envelope;
      try {
        envelope = envelopeSchema.parse(JSON.parse(message.value?.toString() ?? '')) as Envelope;
      } catch (err) {
        consumerMessages.inc({ group: opts.groupId, topic, outcome: 'dead_lettered' });
        await deadLetter(topic, message, `invalid envelope: ${(err as Error).message}`);
        return;
      }
      // Continue the producer's trace: the relay's publish span (message header), else the envelope's traceparent.
      const headerCtx = contextFromHeaders(message.headers);
      const parent = trace.getSpanContext(headerCtx) ? headerCtx : contextFromTraceparent(envelope.traceparent);
      const started = performance.now();
      const labels = { group: opts.groupId, topic };
      await withSpan(
        `process ${topic}`,
        {
          kind: SpanKind.CONSUMER,
          parent,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'process',
            'messaging.destination.name': topic,
            'messaging.consumer.group.name': opts.groupId,
            'messaging.destination.partition.id': String(partition),
            'messaging.kafka.offset': Number(message.offset),
            'messaging.message.id': envelope.eventId,
            'krt.correlation_id': envelope.correlationId,
          },
        },
        async (span) => {
          for (let attempt = 1; ; attempt++) {
            try {
              await opts.handle(envelope, { topic, partition, offset: message.offset, attempt });
              consumerMessages.inc({ ...labels, outcome: 'processed' });
              return;
            } catch (err) {
              span.addEvent('handler failed', { attempt, 'exception.message': String((err as Error).message).slice(0, 300) });
              if (attempt >= maxAttempts) {
                consumerMessages.inc({ ...labels, outcome: 'dead_lettered' });
                span.setStatus({ code: SpanStatusCode.ERROR, message: 'sent to the dead-letter topic' });
                await deadLetter(topic, message, (err as Error).message);
                return;
              }
              consumerMessages.inc({ ...labels, outcome: 'retried' });
              log.warn({ err, topic, eventId: envelope.eventId, attempt }, 'handler failed, retrying');
              await sleep((opts.retryDelayMs ?? 200) * 2 ** (attempt - 1));
            }
          }
        },
      ).finally(() => consumerDuration.observe(labels, (performance.now() - started) / 1000));
    },
  });

  return {
    consumer,
    stop: async () => {
      await consumer.disconnect();
      await dlq.disconnect();
      await stopLag();
    },
  };
}

/**
 * Runs `effect` exactly once per (consumer, event id): the inbox row and the effect commit in one transaction.
 * Returns false when the event had already been applied (a redelivery).
 */
export async function applyOnce(pool: pg.Pool, consumer: string, envelope: Envelope, effect: (client: pg.PoolClient) => Promise<void>): Promise<boolean> {
  observePool(pool);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const inserted = await client.query('INSERT INTO inbox (consumer, event_id, topic) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [consumer, envelope.eventId, envelope.type]);
    if (inserted.rowCount === 0) {
      await client.query('ROLLBACK');
      inboxDuplicates.inc({ consumer });
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
