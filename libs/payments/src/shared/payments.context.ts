// What every payments use case receives: pools (primary + read), Redis, logger, clock and the balance cache.
import type { Pool } from '@krt/platform/db';
import type { Logger } from '@krt/platform/logger';
import { ReadYourWrites } from '@krt/platform/read-your-writes';
import type { Redis } from '@krt/platform/redis';
import { BalanceCache } from '../accounts/balance-cache';
import { systemClock, type Clock } from './clock';

export interface PaymentsContext {
  pool: Pool;
  /** CQRS read side (PAYMENTS_READ_DATABASE_URL, defaulting to the primary). */
  readPool: Pool;
  /** Which of the two serves an account's reads now (read-your-writes; shared/read-routing.ts). */
  reads: ReadYourWrites;
  redis: Redis;
  logger: Logger;
  clock: Clock;
  balanceCache: BalanceCache;
  /** How long a transfer may stay PENDING before the sweeper fails it (ms). */
  pendingDeadlineMs: number;
  /** Signs PIX receipts' authentication codes (PAYMENTS_RECEIPT_KEY); absent in processes that issue no receipts. */
  receiptKey?: Uint8Array;
  /** The bank's public origin (PUBLIC_URL): receipts print their verification page under it. */
  publicUrl?: string;
}

export function createPaymentsContext(opts: {
  pool: Pool;
  readPool?: Pool;
  redis: Redis;
  logger: Logger;
  clock?: Clock;
  pendingDeadlineMs?: number;
  receiptKey?: Uint8Array;
  publicUrl?: string;
}): PaymentsContext {
  const readPool = opts.readPool ?? opts.pool;
  return {
    pool: opts.pool,
    readPool,
    reads: new ReadYourWrites({ primary: opts.pool, replica: readPool, redis: opts.redis, logger: opts.logger, scope: 'payments' }),
    redis: opts.redis,
    logger: opts.logger,
    clock: opts.clock ?? systemClock,
    balanceCache: new BalanceCache(opts.redis, opts.logger),
    pendingDeadlineMs: opts.pendingDeadlineMs ?? 60_000,
    ...(opts.receiptKey ? { receiptKey: opts.receiptKey } : {}),
    ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
  };
}
