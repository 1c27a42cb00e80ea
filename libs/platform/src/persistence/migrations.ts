// Runs the platform's shared migrations (outbox, inbox) and then the service's own, each tracked in its own table.
import { runner } from 'node-pg-migrate';
import type { Logger } from '../telemetry/logger';
import { repoPath } from '../config/paths';

export const PLATFORM_MIGRATIONS_DIR = repoPath('libs/platform/migrations');

async function runDir(databaseUrl: string, dir: string, table: string, logger?: Logger) {
  await runner({
    databaseUrl,
    dir,
    direction: 'up',
    migrationsTable: table,
    count: Infinity,
    singleTransaction: true,
    checkOrder: true,
    log: (msg: string) => logger?.debug({ migration: msg }, 'migration'),
    verbose: false,
  });
}

const LOCKED = /Another migration is already running/;

/**
 * node-pg-migrate takes an advisory lock and fails at once when another process holds it: replicas starting
 * together (a rolling update, two pods) wait for the one migrating and then find nothing left to do.
 */
async function runDirWhenFree(databaseUrl: string, dir: string, table: string, logger?: Logger, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await runDir(databaseUrl, dir, table, logger);
    } catch (err) {
      if (!LOCKED.test(String((err as Error).message)) || Date.now() > deadline) throw err;
      logger?.info({ attempt }, 'another instance is migrating, waiting');
      await new Promise((r) => setTimeout(r, Math.min(250 * attempt, 2000)));
    }
  }
}

/** Brings the database schema up to date; safe when several replicas start at once. */
export async function migrateService(databaseUrl: string, serviceDir: string, logger?: Logger): Promise<void> {
  await runDirWhenFree(databaseUrl, PLATFORM_MIGRATIONS_DIR, 'pgmigrations_platform', logger);
  await runDirWhenFree(databaseUrl, serviceDir, 'pgmigrations', logger);
}
