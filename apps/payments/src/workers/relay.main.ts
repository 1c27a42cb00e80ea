// Payments relay (own process, payments-relay): the outbox relay (outbox rows → Kafka) and the PIX deadline sweeper,
// apart from the API so each scales and restarts on its own. /health, /ready and /metrics on PORT.
// Safe with several replicas: each relay drain claims its rows with FOR UPDATE SKIP LOCKED (a row is published by one
// relay at a time; a re-send after a failure is deduplicated by the consumers' inbox), and the sweeper acts under a
// Redis lock whose fencing token is checked in its own transaction (a stale holder's sweep is refused).
// One rule for its writers (API, fraud and payment consumers, and this process's sweeper): every transaction that
// wrote outbox rows signals the relays after its COMMIT, never from inside it (the after-commit hook `enqueue`
// registers, @krt/platform/messaging: this process's relay is woken directly, others by one NOTIFY outside the
// transaction); the relay LISTENs and polls as a fallback.
import { pathToFileURL } from 'node:url';
import { recordPaymentsEvent, startDeadlineSweeper, type SweeperHandle } from '@krt/payments';
import { createServiceApp, listen, onShutdown, type RunningServer } from '@krt/platform/http';
import { createKafka, kafkaReadiness, OutboxRelay } from '@krt/platform/messaging';
import { postgresReadiness, redisReadiness } from '@krt/platform/persistence';
import { createPaymentsRuntime, type PaymentsRuntime, type RuntimeOptions } from '../runtime';

export interface PaymentsRelayHandle {
  runtime: PaymentsRuntime;
  relay: OutboxRelay;
  sweeper: SweeperHandle;
  stop(): Promise<void>;
}

/** Starts the outbox relay (with the saga's business metrics hook) and the deadline sweeper. */
export async function startPaymentsRelay(opts: RuntimeOptions = {}): Promise<PaymentsRelayHandle> {
  const runtime = await createPaymentsRuntime({ ...opts, name: opts.name ?? 'payments-relay', receipts: false });
  const { cfg, logger } = runtime;
  const kafka = createKafka('payments-outbox', cfg.KAFKA_BROKERS, logger);
  // onPublished: saga outcomes and fraud decisions are counted from what was published (payments.metrics.ts).
  const relay = new OutboxRelay({ pool: runtime.pool, name: 'payments', connectionString: cfg.PAYMENTS_DATABASE_URL, kafka, logger, onPublished: recordPaymentsEvent });
  await relay.start();
  const sweeper = startDeadlineSweeper(runtime.ctx, { intervalMs: cfg.PIX_SWEEPER_INTERVAL_MS });
  return {
    runtime,
    relay,
    sweeper,
    stop: async () => {
      await sweeper.stop();
      await relay.stop();
      await runtime.close();
    },
  };
}

async function main() {
  const running = await startPaymentsRelay();
  const { cfg, logger, pool, redis } = running.runtime;
  let server: RunningServer | undefined;
  // The stack (scripts/stack/apps.mjs) and the Kubernetes manifests pass PORT for /health, /ready and /metrics.
  const port = cfg.WORKER_HEALTH_PORT || Number(process.env.PORT || 0);
  if (port) {
    const app = createServiceApp({ service: 'payments-relay', logger, readiness: [postgresReadiness(pool), redisReadiness(redis), kafkaReadiness(cfg.KAFKA_BROKERS)] });
    server = await listen(app, port, cfg.HOST);
  }
  logger.info({ health: server?.port }, 'payments relay and deadline sweeper running');
  onShutdown(logger, async () => {
    await server?.close();
    await running.stop();
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
