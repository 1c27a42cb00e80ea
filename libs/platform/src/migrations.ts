// Runs the platform's shared migrations (outbox, inbox) and then the service's own, each tracked in its own table.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Logger } from './logger';

export const PLATFORM_MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');

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

/** Brings the database schema up to date; node-pg-migrate's advisory lock makes concurrent replicas safe. */
export async function migrateService(databaseUrl: string, serviceDir: string, logger?: Logger): Promise<void> {
  await runDir(databaseUrl, PLATFORM_MIGRATIONS_DIR, 'pgmigrations_platform', logger);
  await runDir(databaseUrl, serviceDir, 'pgmigrations', logger);
}
