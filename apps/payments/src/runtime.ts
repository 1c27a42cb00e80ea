// Wiring shared by the API process, the consumer processes and the tests: migrations, pools, Redis, context.
import { createPaymentsContext, type Clock, type PaymentsContext } from '@krt/payments';
import { createPool, type Pool, migrateService, createRedis, type Redis } from '@krt/platform/persistence';
import { createLogger, type Logger } from '@krt/platform/telemetry';
import { transactionPinKeyOf } from '@krt/platform/auth';
import { loadPaymentsConfig, receiptKeyOf, sandboxDepositsOf, type PaymentsConfig } from './config';
import { repoPath } from '@krt/platform/config';

export const PAYMENTS_MIGRATIONS = repoPath('apps/payments/migrations');

export interface PaymentsRuntime {
  cfg: PaymentsConfig;
  logger: Logger;
  pool: Pool;
  readPool: Pool;
  redis: Redis;
  ctx: PaymentsContext;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  name?: string;
  cfg?: PaymentsConfig;
  logger?: Logger;
  clock?: Clock;
  migrate?: boolean;
  /**
   * false in processes that serve no customer request (the consumers): they issue no receipts and check no transaction
   * PIN, so they neither need nor read PAYMENTS_RECEIPT_KEY and TRANSACTION_PIN_KEY.
   */
  receipts?: boolean;
}

export async function createPaymentsRuntime(opts: RuntimeOptions = {}): Promise<PaymentsRuntime> {
  const cfg = opts.cfg ?? loadPaymentsConfig();
  const name = opts.name ?? 'payments';
  const logger = opts.logger ?? createLogger(name);
  if (opts.migrate !== false) await migrateService(cfg.PAYMENTS_DATABASE_URL, PAYMENTS_MIGRATIONS, logger);
  const pool = createPool(cfg.PAYMENTS_DATABASE_URL, { applicationName: name, max: cfg.PAYMENTS_DB_POOL_MAX });
  const readPool = cfg.PAYMENTS_READ_DATABASE_URL ? createPool(cfg.PAYMENTS_READ_DATABASE_URL, { applicationName: `${name}-read`, max: cfg.PAYMENTS_DB_POOL_MAX }) : pool;
  const redis = createRedis(cfg.REDIS_URL, name);
  // Monthly ledger partitions a little ahead of time (the default partition is only a safety net).
  await pool.query("SELECT ensure_ledger_partitions(now() - interval '1 month', now() + interval '3 months')");
  const ctx = createPaymentsContext({
    pool,
    readPool,
    redis,
    logger,
    clock: opts.clock,
    pendingDeadlineMs: cfg.PIX_PENDING_DEADLINE_MS,
    ...(opts.receipts === false
      ? {}
      : {
          receiptKey: receiptKeyOf(cfg),
          transactionPin: { key: transactionPinKeyOf(cfg), lockSeconds: cfg.PIX_PIN_LOCK_SECONDS, changeMaxAuthAgeSeconds: cfg.PIX_PIN_CHANGE_MAX_AUTH_AGE_SECONDS },
        }),
    publicUrl: cfg.PUBLIC_URL,
    sandboxDeposits: sandboxDepositsOf(cfg),
  });
  return {
    cfg,
    logger,
    pool,
    readPool,
    redis,
    ctx,
    close: async () => {
      if (readPool !== pool) await readPool.end();
      await pool.end();
      redis.disconnect();
    },
  };
}
