// Starts the BFF: configuration, dependencies (see runtime.ts), HTTP server, graceful shutdown.
import { listen, onShutdown } from '@krt/platform/http';
import { createLogger } from '@krt/platform/telemetry';
import { loadBffConfig } from './config';
import { createBffRuntime } from './runtime';

async function main() {
  const cfg = loadBffConfig();
  const logger = createLogger('bff');
  const runtime = await createBffRuntime(cfg, logger);
  const server = await listen(runtime.app, cfg.PORT, cfg.HOST);
  logger.info({ port: server.port, publicUrl: cfg.PUBLIC_URL }, 'bff listening');
  onShutdown(logger, async () => {
    // Open event streams never end on their own: end them first, then let the server drain.
    runtime.deps.hub.closeAll();
    await server.close();
    await runtime.stop();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
