// Kafka (kafkajs): client factory, an idempotent producer, a readiness check that notices a dead broker in ~1 s.
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import type { Logger } from '../telemetry/logger';
import type { ReadinessCheck } from '../http/readiness';

export { Kafka };

/**
 * Runs `connect` until it succeeds or `timeoutMs` (KAFKA_STARTUP_TIMEOUT_MS, default 120 s) has passed, with growing
 * pauses (0.5 s up to 5 s; cockatiel's retry policy): a process started while the broker is away waits for it
 * instead of exiting. `cleanup` runs after each failed attempt (disconnect what was half-connected).
 */
export async function connectWithRetry(
  what: string,
  connect: () => Promise<void>,
  opts: { logger?: Logger; timeoutMs?: number; cleanup?: () => Promise<void> } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? Number(process.env.KAFKA_STARTUP_TIMEOUT_MS ?? 120_000));
  const policy = retry(
    handleWhen(() => Date.now() < deadline),
    { maxAttempts: Number.MAX_SAFE_INTEGER, backoff: new ExponentialBackoff({ initialDelay: 500, maxDelay: 5000 }) },
  );
  policy.onRetry(({ attempt, ...reason }) => {
    if (attempt === 1 || attempt % 10 === 0) opts.logger?.warn({ err: 'error' in reason ? reason.error : undefined, what, attempt }, 'Kafka not reachable at start-up, waiting for it');
  });
  await policy.execute(async ({ attempt }) => {
    try {
      await connect();
      if (attempt > 0) opts.logger?.info({ what, attempt }, 'Kafka reachable: started');
    } catch (err) {
      await opts.cleanup?.().catch(() => undefined);
      throw err;
    }
  });
}

export function createKafka(clientId: string, brokers: string, logger?: Logger): Kafka {
  return new Kafka({
    clientId,
    brokers: brokers.split(',').map((b) => b.trim()),
    connectionTimeout: 1500,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 200, retries: 5, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator: () => ({ namespace, level, log }) => {
      if (!logger) return;
      const { message, ...extra } = log;
      const fn = level <= logLevel.ERROR ? 'error' : 'warn';
      logger[fn]({ kafka: namespace, ...extra }, String(message));
    },
  });
}

/**
 * The outbox relay's producer: idempotent, one request in flight (per-key order). Its retries are bounded (kafkajs
 * warns that this may break the idempotence guarantee); the relay therefore never reuses a producer after a failed
 * send but starts a new one, and consumers dedupe by event id.
 */
export function createProducer(kafka: Kafka): Producer {
  // The explicit default partitioner (murmur2, as the Java client) only silences kafkajs's v2 migration notice.
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
}

/**
 * Readiness: a dedicated admin client asks the cluster for its brokers with no retries, so a stopped
 * broker is reported within the readiness deadline, and a restarted one is found again without a restart.
 */
export function kafkaReadiness(brokers: string): ReadinessCheck {
  const kafka = new Kafka({
    clientId: 'krt-readiness',
    brokers: brokers.split(','),
    connectionTimeout: 1000,
    requestTimeout: 1000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  // Concurrent probes share one connect; a failed probe drops the connection so the next one starts afresh.
  let admin: Promise<Admin> | undefined;
  return {
    name: 'kafka',
    check: async () => {
      const current = (admin ??= (async () => {
        const a = kafka.admin({ retry: { retries: 0 } });
        await a.connect();
        return a;
      })());
      try {
        const cluster = await (await current).describeCluster();
        if (!cluster.brokers.length) throw new Error('no brokers');
      } catch (e) {
        if (admin === current) admin = undefined;
        await (await current.catch(() => undefined))?.disconnect().catch(() => undefined);
        throw e;
      }
    },
  };
}
