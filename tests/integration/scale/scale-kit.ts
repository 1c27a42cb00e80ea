// Helpers for the scale tests: the read replica's own view of its activity, and a payments API in this process
// whose read pool is the replica (as the stack's payments process gets it from scripts/stack/apps.mjs).
import { createPaymentsApp } from '../../../apps/payments/src/app';
import { loadPaymentsConfig } from '../../../apps/payments/src/config';
import { createPaymentsRuntime } from '../../../apps/payments/src/runtime';
import type { Clock } from '@krt/payments';
import { createTokenVerifier } from '@krt/platform/auth';
import { createPool } from '@krt/platform/persistence';
import { listen } from '@krt/platform/http';
import { createKafka, OutboxRelay } from '@krt/platform/messaging';
import { createLogger } from '@krt/platform/telemetry';
import { PG_REPLICA_PORT, replicaDatabaseUrl } from '../../../scripts/stack/postgres-replica.mjs';
import type { TestApi } from '../payments/payments-test-kit';

/** A superuser pool on the replica (5434) — what the replica itself says it served. */
export const replicaAdmin = () => createPool(`postgres://postgres:postgres@127.0.0.1:${PG_REPLICA_PORT}/postgres`, { applicationName: 'scale-test-observer', max: 2 });
export const primaryAdmin = () => createPool('postgres://postgres:postgres@127.0.0.1:5433/postgres', { applicationName: 'scale-test-observer', max: 2 });

/** Transactions the replica has run in the payments database (its own counter; the primary's is separate). */
export async function replicaPaymentsTransactions(admin: ReturnType<typeof replicaAdmin>): Promise<number> {
  const { rows } = await admin.query<{ n: string }>("SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = 'payments'");
  return Number(rows[0]!.n);
}

/** Sessions connected to `admin`'s server under `applicationName`, with the last statement each ran. */
export async function sessionsOf(admin: ReturnType<typeof replicaAdmin>, applicationName: string) {
  const { rows } = await admin.query<{ query: string; datname: string }>('SELECT datname, query FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
  return rows;
}

/** The payments API in this process, reads on the replica; its read sessions are named `<name>-read`. */
export async function startPaymentsApiOnReplica(name: string, clock?: Clock): Promise<TestApi> {
  const logger = createLogger(name, { level: 'warn' });
  const cfg = loadPaymentsConfig({ ...process.env, PAYMENTS_READ_DATABASE_URL: replicaDatabaseUrl('payments') });
  const rt = await createPaymentsRuntime({ name, cfg, logger, clock });
  const app = createPaymentsApp({ logger, readiness: [], ctx: rt.ctx, verifyToken: createTokenVerifier(rt.cfg) });
  const server = await listen(app, 0);
  const relay = new OutboxRelay({ pool: rt.pool, connectionString: rt.cfg.PAYMENTS_DATABASE_URL, kafka: createKafka(`${name}-relay`, rt.cfg.KAFKA_BROKERS), logger });
  await relay.start();
  return {
    url: `http://127.0.0.1:${server.port}`,
    rt,
    server,
    close: async () => {
      await server.close();
      await relay.stop();
      await rt.close();
    },
  };
}
