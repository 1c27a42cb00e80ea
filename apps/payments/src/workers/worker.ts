// Shared start-up of the payments Kafka consumers: runtime, consumer base (inbox, retries, DLT), optional /health.
import { startConsumer, type RunningConsumer, createKafka, kafkaReadiness } from '@krt/platform/messaging';
import { createServiceApp, listen, onShutdown, type RunningServer } from '@krt/platform/http';
import type { Envelope } from '@krt/contracts';
import type { BatchItem, MessageContext } from '@krt/platform/messaging';
import { postgresReadiness, redisReadiness } from '@krt/platform/persistence';
import { createPaymentsRuntime, type PaymentsRuntime, type RuntimeOptions } from '../runtime';

export interface WorkerHandle {
  runtime: PaymentsRuntime;
  consumer: RunningConsumer;
  stop(): Promise<void>;
}

export interface WorkerOptions extends RuntimeOptions {
  /** Reuse an existing runtime (tests) instead of creating one; it is not closed on stop. */
  runtime?: PaymentsRuntime;
  /** Consumer group override (tests isolate themselves with a unique group). */
  groupId?: string;
  maxAttempts?: number;
  retryDelayMs?: number;
  /** false: one message at a time even where the worker has a batch path (default: KAFKA_BATCH !== '0'). */
  batch?: boolean;
}

export async function startWorker(
  spec: {
    name: string;
    groupId: string;
    topics: string[];
    handle: (rt: PaymentsRuntime, envelope: Envelope, msg: MessageContext) => Promise<void>;
    /** Optional set-wise path for a whole fetched batch (the consumer base falls back to `handle` when it throws). */
    handleBatch?: (rt: PaymentsRuntime, items: BatchItem[]) => Promise<void>;
  },
  opts: WorkerOptions = {},
): Promise<WorkerHandle> {
  const ownRuntime = !opts.runtime;
  const runtime = opts.runtime ?? (await createPaymentsRuntime({ ...opts, name: spec.name, receipts: false }));
  const kafka = createKafka(spec.name, runtime.cfg.KAFKA_BROKERS, runtime.logger);
  const consumer = await startConsumer({
    kafka,
    groupId: opts.groupId ?? spec.groupId,
    topics: spec.topics,
    logger: runtime.logger,
    maxAttempts: opts.maxAttempts,
    retryDelayMs: opts.retryDelayMs,
    handle: (envelope, msg) => spec.handle(runtime, envelope, msg),
    handleBatch: spec.handleBatch && (opts.batch ?? process.env.KAFKA_BATCH !== '0') ? (items) => spec.handleBatch!(runtime, items) : undefined,
  });
  return {
    runtime,
    consumer,
    stop: async () => {
      await consumer.stop();
      if (ownRuntime) await runtime.close();
    },
  };
}

/** Process entry point: starts the worker, an optional /health + /ready server, and graceful shutdown. */
export async function runWorkerProcess(start: () => Promise<WorkerHandle>, name: string): Promise<void> {
  const worker = await start();
  const { runtime } = worker;
  let server: RunningServer | undefined;
  // The stack (scripts/stack/apps.mjs) passes PORT for /health and /ready.
  const port = runtime.cfg.WORKER_HEALTH_PORT || Number(process.env.PORT || 0);
  if (port) {
    const app = createServiceApp({
      service: name,
      logger: runtime.logger,
      readiness: [postgresReadiness(runtime.pool), redisReadiness(runtime.redis), kafkaReadiness(runtime.cfg.KAFKA_BROKERS)],
    });
    server = await listen(app, port, runtime.cfg.HOST);
  }
  runtime.logger.info({ health: server?.port }, `${name} consuming`);
  onShutdown(runtime.logger, async () => {
    await server?.close();
    await worker.stop();
  });
}
