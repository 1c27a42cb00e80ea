// The one Kafka consumer base: validated envelopes, an inbox for exactly-once effects, bounded retries, dead-letter topic.
import { deadLetterTopic, envelopeSchema, type Envelope } from '@krt/contracts';
import type { Consumer, ConsumerRunConfig, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type pg from 'pg';
import { startMetricsServer, type RunningServer } from '../http/http';
import { connectWithRetry } from './kafka';
import { commitTransaction, rollbackTransaction } from '../persistence/db';
import type { Logger } from '../telemetry/logger';
import { consumerDuration, consumerMessages, consumerRestarts, inboxDuplicates, observePool, trackConsumerLag } from '../telemetry/metrics';
import { activeTraceparent, context, contextFromHeaders, contextFromTraceparent, SpanKind, SpanStatusCode, trace, tracer, type Context, type Span } from '../telemetry/telemetry';

export interface MessageContext {
  topic: string;
  partition: number;
  offset: string;
  attempt: number;
}

/** One message of a batch: its envelope, where it came from, and the traceparent of its own `process` span. */
export interface BatchItem {
  envelope: Envelope;
  ctx: MessageContext;
  /** Events emitted for this message carry this traceparent, so the trace continues from its consumer span. */
  traceparent: string | undefined;
}

export interface ConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  logger: Logger;
  /** Applies one event. Throwing means "retry"; after `maxAttempts` the message goes to the dead-letter topic. */
  handle: (envelope: Envelope, ctx: MessageContext) => Promise<void>;
  /**
   * Optional: applies the valid messages of one partition's fetch (in offset order, two or more; a single one goes
   * through `handle`) at once, all or nothing. When it throws, that batch is applied again one message at a time
   * through `handle` (retries, dead-letter topic), so a poison message is still isolated. Offsets are resolved
   * only after it returns.
   */
  handleBatch?: (items: BatchItem[]) => Promise<void>;
  /** Most messages given to `handleBatch` at once (default KAFKA_BATCH_MAX or 200). */
  maxBatchSize?: number;
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

  const parse = (message: KafkaMessage): Envelope | Error => {
    try {
      return envelopeSchema.parse(JSON.parse(message.value?.toString() ?? '')) as Envelope;
    } catch (err) {
      return err as Error;
    }
  };

  // One `process <topic>` span per message, continuing the producer's trace (the relay's publish span from the
  // message header, else the envelope's traceparent). Not made active here: the caller decides what runs inside.
  const startProcessSpan = (topic: string, partition: number, message: KafkaMessage, envelope: Envelope, batchSize: number): { span: Span; ctx: Context } => {
    const headerCtx = contextFromHeaders(message.headers);
    const parent = trace.getSpanContext(headerCtx) ? headerCtx : contextFromTraceparent(envelope.traceparent);
    const span = tracer().startSpan(
      `process ${topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': topic,
          'messaging.consumer.group.name': opts.groupId,
          'messaging.destination.partition.id': String(partition),
          'messaging.kafka.offset': Number(message.offset),
          'messaging.message.id': envelope.eventId,
          'krt.correlation_id': envelope.correlationId,
          ...(batchSize > 1 ? { 'messaging.batch.message_count': batchSize } : {}),
        },
      },
      parent,
    );
    return { span, ctx: trace.setSpan(parent, span) };
  };

  /** The one-at-a-time path: `handle` with bounded retries, then the dead-letter topic. Runs inside the message's span. */
  const processOne = async (topic: string, partition: number, message: KafkaMessage, envelope: Envelope, span: Span) => {
    const labels = { group: opts.groupId, topic };
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
  };

  const endSpan = (span: Span, err?: unknown) => {
    if (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message?.slice(0, 200) });
    }
    span.end();
  };

  /** Applies a chunk of one partition: invalid envelopes to the dead-letter topic first, then `handleBatch` (two or more), else one by one. */
  const processChunk = async (topic: string, partition: number, messages: KafkaMessage[], handleBatch: NonNullable<ConsumerOptions['handleBatch']>) => {
    const labels = { group: opts.groupId, topic };
    const valid: { message: KafkaMessage; envelope: Envelope }[] = [];
    for (const message of messages) {
      const parsed = parse(message);
      if (parsed instanceof Error) {
        consumerMessages.inc({ ...labels, outcome: 'dead_lettered' });
        await deadLetter(topic, message, `invalid envelope: ${parsed.message}`);
      } else valid.push({ message, envelope: parsed });
    }
    if (valid.length === 0) return;
    const started = performance.now();
    const spans = valid.map((v) => startProcessSpan(topic, partition, v.message, v.envelope, valid.length));
    const items: BatchItem[] = valid.map((v, i) => ({
      envelope: v.envelope,
      ctx: { topic, partition, offset: v.message.offset, attempt: 1 },
      traceparent: activeTraceparent(spans[i]!.ctx) ?? v.envelope.traceparent,
    }));
    // A batch of one costs less through `handle` (simpler statements); larger ones go through `handleBatch`.
    if (valid.length > 1) {
      try {
        // The batch's own work (database spans) is recorded under the first message's span.
        await context.with(spans[0]!.ctx, () => handleBatch(items));
        consumerMessages.inc({ ...labels, outcome: 'processed' }, valid.length);
        const seconds = (performance.now() - started) / 1000;
        for (const { span } of spans) {
          consumerDuration.observe(labels, seconds);
          span.end();
        }
        return;
      } catch (err) {
        log.warn({ err, topic, partition, messages: valid.length }, 'batch failed, applying its messages one at a time');
        for (const { span } of spans) span.addEvent('batch failed', { 'exception.message': String((err as Error).message).slice(0, 300) });
      }
    }
    for (const [i, v] of valid.entries()) {
      const { span, ctx } = spans[i]!;
      const one = performance.now();
      try {
        await context.with(ctx, () => processOne(topic, partition, v.message, v.envelope, span));
        endSpan(span);
      } catch (err) {
        endSpan(span, err);
        throw err;
      } finally {
        consumerDuration.observe(labels, (performance.now() - one) / 1000);
      }
    }
  };

  const partitionsConsumedConcurrently = opts.partitionsConsumedConcurrently ?? Number(process.env.KAFKA_PARTITIONS_CONCURRENCY ?? 1);
  const handleBatch = opts.handleBatch;
  let runConfig: ConsumerRunConfig;
  if (handleBatch) {
    const maxBatch = Math.max(1, opts.maxBatchSize ?? Number(process.env.KAFKA_BATCH_MAX ?? 200));
    runConfig = {
      autoCommit: true,
      partitionsConsumedConcurrently,
      // Offsets are resolved by hand, only after a chunk's effects committed (or went to the dead-letter topic).
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
        for (let i = 0; i < batch.messages.length; i += maxBatch) {
          if (!isRunning() || isStale()) return;
          const chunk = batch.messages.slice(i, i + maxBatch);
          await processChunk(batch.topic, batch.partition, chunk, handleBatch);
          resolveOffset(chunk[chunk.length - 1]!.offset);
          await commitOffsetsIfNecessary();
          await heartbeat();
        }
      },
    };
  } else {
    runConfig = {
      autoCommit: true,
      partitionsConsumedConcurrently,
      eachMessage: async ({ topic, partition, message }) => {
        const envelope = parse(message);
        if (envelope instanceof Error) {
          consumerMessages.inc({ group: opts.groupId, topic, outcome: 'dead_lettered' });
          await deadLetter(topic, message, `invalid envelope: ${envelope.message}`);
          return;
        }
        const started = performance.now();
        const { span, ctx } = startProcessSpan(topic, partition, message, envelope, 1);
        try {
          await context.with(ctx, () => processOne(topic, partition, message, envelope, span));
          endSpan(span);
        } catch (err) {
          endSpan(span, err);
          throw err;
        } finally {
          consumerDuration.observe({ group: opts.groupId, topic }, (performance.now() - started) / 1000);
        }
      },
    };
  }
  const supervisor = superviseConsumer(consumer, runConfig, log, opts.groupId);
  await consumer.run(runConfig);

  return {
    consumer,
    stop: async () => {
      supervisor.stop();
      await consumer.disconnect();
      await dlq.disconnect();
      await stopLag();
    },
  };
}

/**
 * Keeps a consumer consuming for the life of its process.
 *
 * - kafkajs starts a crashed consumer again only when it deems the error retriable. After any other error — a plain
 *   error out of the message callback (a dead-letter send that failed), a broker answering BROKER_NOT_AVAILABLE or
 *   REBALANCE_IN_PROGRESS at the wrong moment while Kafka restarts — it leaves the consumer stopped for good while the
 *   process lives on, so its topics silently stop being consumed. Such a consumer is run again here after a pause that
 *   grows with consecutive crashes (1 s up to 30 s) and resets once it has joined its group again.
 * - A consumer that shows no sign of life — no fetch, heartbeat, join or crash — for `stallMs` (default
 *   KAFKA_CONSUMER_STALL_MS or 90 s; an idle healthy one fetches every few seconds) while no batch is being handled is
 *   stopped and run again. (A handler that takes long is not a stall: its batch is in progress.)
 */
export function superviseConsumer(
  consumer: Pick<Consumer, 'on' | 'events' | 'run' | 'stop'>,
  runConfig: ConsumerRunConfig,
  log: Logger,
  groupId: string,
  opts: { firstDelayMs?: number; stallMs?: number; stopTimeoutMs?: number } = {},
) {
  const stallMs = opts.stallMs ?? Number(process.env.KAFKA_CONSUMER_STALL_MS ?? 90_000);
  let stopped = false;
  let crashes = 0;
  let timer: NodeJS.Timeout | undefined;
  let lastSign = Date.now();
  let inBatch = 0;
  let restarting = false;
  const sign = () => {
    lastSign = Date.now();
  };
  const run = () => {
    // A failure to start comes back as a CRASH event (kafkajs' runner reports it there).
    consumer.run(runConfig).catch((err: unknown) => log.error({ err }, 'consumer could not be run again'));
  };
  const removers = [
    consumer.on(consumer.events.FETCH_START, sign),
    consumer.on(consumer.events.HEARTBEAT, sign),
    consumer.on(consumer.events.GROUP_JOIN, () => {
      crashes = 0;
      sign();
    }),
    consumer.on(consumer.events.START_BATCH_PROCESS, () => {
      inBatch += 1;
      sign();
    }),
    consumer.on(consumer.events.END_BATCH_PROCESS, () => {
      inBatch = Math.max(0, inBatch - 1);
      sign();
    }),
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      sign();
      inBatch = 0;
      if (payload.restart || stopped) return;
      crashes += 1;
      const delayMs = Math.min((opts.firstDelayMs ?? 1000) * 2 ** Math.min(crashes - 1, 5), 30_000);
      consumerRestarts.inc({ group: groupId, cause: 'crash' });
      log.error({ err: payload.error, crashes, delayMs }, 'consumer stopped by an error kafkajs does not restart on; running it again');
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (!stopped) run();
      }, delayMs);
    }),
  ];
  const watchdog = setInterval(
    () => {
      if (stopped || restarting || inBatch > 0) return;
      const silentMs = Date.now() - lastSign;
      if (silentMs < stallMs) return;
      restarting = true;
      consumerRestarts.inc({ group: groupId, cause: 'stall' });
      log.error({ silentMs }, 'consumer stalled (no fetch, heartbeat or crash); stopping it and running it again');
      const stopTimeoutMs = opts.stopTimeoutMs ?? 15_000;
      const deadline = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), stopTimeoutMs).unref());
      void Promise.race([consumer.stop().then(
        () => true,
        () => true,
      ), deadline]).then((stoppedInTime) => {
        restarting = false;
        sign();
        if (stopped) return;
        if (stoppedInTime) run();
        else log.fatal({ stopTimeoutMs }, 'stalled consumer did not stop; trying again later');
      });
    },
    Math.max(50, Math.min(stallMs / 3, 10_000)),
  );
  watchdog.unref();
  return {
    /** Consecutive crashes that kafkajs left stopped (reset by a group join). */
    get crashes() {
      return crashes;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(watchdog);
      for (const remove of removers) remove();
    },
  };
}

/**
 * Runs `effect` exactly once per (consumer, event id): the inbox row and the effect commit in one transaction.
 * Returns false when the event had already been applied (a redelivery). Outbox rows the effect enqueues wake the
 * relays after the COMMIT (`commitTransaction` runs the transaction's after-commit hooks).
 */
export async function applyOnce(
  pool: pg.Pool,
  consumer: string,
  envelope: Envelope,
  effect: (client: pg.PoolClient) => Promise<void>,
): Promise<boolean> {
  observePool(pool);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const inserted = await client.query('INSERT INTO inbox (consumer, event_id, topic) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [consumer, envelope.eventId, envelope.type]);
    if (inserted.rowCount === 0) {
      await rollbackTransaction(client);
      inboxDuplicates.inc({ consumer });
      return false;
    }
    await effect(client);
    await commitTransaction(client, pool);
    return true;
  } catch (err) {
    await rollbackTransaction(client);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * `applyOnce` for a batch: claims the inbox rows of all `envelopes` in one statement and runs `effect` on the
 * envelopes claimed now (first delivery of each event id, in the given order), all in one transaction.
 * Returns the claimed envelopes ([] when every one had already been applied).
 */
export async function applyOnceBatch(
  pool: pg.Pool,
  consumer: string,
  envelopes: Envelope[],
  effect: (client: pg.PoolClient, claimed: Envelope[]) => Promise<void>,
): Promise<Envelope[]> {
  observePool(pool);
  const unique = [...new Map(envelopes.map((e) => [e.eventId, e])).values()];
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ event_id: string }>(
      'INSERT INTO inbox (consumer, event_id, topic) SELECT $1, * FROM unnest($2::uuid[], $3::text[]) ON CONFLICT DO NOTHING RETURNING event_id',
      [consumer, unique.map((e) => e.eventId), unique.map((e) => e.type)],
    );
    const fresh = new Set(rows.map((r) => r.event_id));
    const claimed = unique.filter((e) => fresh.has(e.eventId.toLowerCase()));
    if (envelopes.length > claimed.length) inboxDuplicates.inc({ consumer }, envelopes.length - claimed.length);
    if (claimed.length === 0) {
      await rollbackTransaction(client);
      return [];
    }
    await effect(client, claimed);
    await commitTransaction(client, pool);
    return claimed;
  } catch (err) {
    await rollbackTransaction(client);
    throw err;
  } finally {
    client.release();
  }
}
