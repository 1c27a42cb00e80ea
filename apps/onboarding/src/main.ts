// Starts the onboarding API: configuration, migrations, the provisioning worker, HTTP server, graceful shutdown.
// The outbox relay runs in its own process (workers/relay.main.ts, onboarding-relay).
import { listen, onShutdown } from '@krt/platform/http';
import { createLogger } from '@krt/platform/telemetry';
import { migrateService } from '@krt/platform/persistence';
import { loadOnboardingConfig } from './config';
import { buildOnboarding, MIGRATIONS_DIR } from './wiring';

async function main() {
  const cfg = loadOnboardingConfig();
  const logger = createLogger('onboarding');
  await migrateService(cfg.ONBOARDING_DATABASE_URL, MIGRATIONS_DIR, logger);
  const onboarding = buildOnboarding(cfg, logger);
  await onboarding.start();
  const server = await listen(onboarding.app, cfg.PORT, cfg.HOST);
  logger.info({ port: server.port }, 'onboarding listening');
  onShutdown(logger, async () => {
    await server.close();
    await onboarding.stop();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
