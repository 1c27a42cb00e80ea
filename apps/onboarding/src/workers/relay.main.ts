// Onboarding relay (own process, onboarding-relay): the outbox relay (onboarding's outbox rows → Kafka), apart from
// the API so each scales and restarts on its own. /health, /ready and /metrics on PORT. Safe with several replicas
// (FOR UPDATE SKIP LOCKED; see buildOnboardingRelay). The writers (the API's provisioning) signal it after every
// COMMIT that wrote outbox rows (the after-commit hook `enqueue` registers, @krt/platform/messaging); the relay
// LISTENs and polls as a fallback.
import { createServiceApp, listen, onShutdown, type RunningServer } from '@krt/platform/http';
import { migrateService } from '@krt/platform/persistence';
import { loadConfig } from '@krt/platform/config';
import { createLogger } from '@krt/platform/telemetry';
import { onboardingConfigSchema } from '../config';
import { buildOnboardingRelay, MIGRATIONS_DIR } from '../wiring';

/** Only what the relay uses: it holds no secret (the API's keys stay with the API). */
const onboardingRelayConfigSchema = onboardingConfigSchema.pick({ NODE_ENV: true, HOST: true, ONBOARDING_DATABASE_URL: true, KAFKA_BROKERS: true });

async function main() {
  const cfg = loadConfig(onboardingRelayConfigSchema);
  const logger = createLogger('onboarding-relay');
  // The relay reads the outbox table: the schema first, as the API does (migrations run once, whoever comes first).
  await migrateService(cfg.ONBOARDING_DATABASE_URL, MIGRATIONS_DIR, logger);
  const running = buildOnboardingRelay(cfg, logger);
  await running.start();
  let server: RunningServer | undefined;
  // The stack (scripts/stack/apps.mjs) and the Kubernetes manifests pass PORT for /health, /ready and /metrics.
  const port = Number(process.env.PORT || 0);
  if (port) server = await listen(createServiceApp({ service: 'onboarding-relay', logger, readiness: running.readiness }), port, cfg.HOST);
  logger.info({ health: server?.port }, 'onboarding relay running');
  onShutdown(logger, async () => {
    await server?.close();
    await running.stop();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
