// What every payments use case receives: pools (primary + read), Redis, logger, clock and the balance cache.
import type { Pool, Redis } from '@krt/platform/persistence';
import type { Logger } from '@krt/platform/telemetry';
import { ReadYourWrites } from '@krt/platform/persistence';
import { BalanceCache } from '../accounts/balance-cache';
import { systemClock, type Clock } from './clock';

/** The transaction PIN's settings (issue #23); absent in processes that check no PIN (the consumers). */
export interface TransactionPinSettings {
  /** TRANSACTION_PIN_KEY: the PIN's keyed hash. */
  key: Uint8Array;
  /** How long the third wrong PIN in a row locks the customer's PIX (PIX_PIN_LOCK_SECONDS). */
  lockSeconds: number;
  /** How recent the password must be (the token's auth_time) to change the PIN (PIX_PIN_CHANGE_MAX_AUTH_AGE_SECONDS). */
  changeMaxAuthAgeSeconds: number;
}

/** Operators' sandbox deposits (issue #19): whether this environment allows them, and how long a request waits for its approval. */
export interface SandboxDepositSettings {
  /** False in production unless SANDBOX_DEPOSITS_ENABLED=true. */
  enabled: boolean;
  /** DEPOSIT_REQUEST_TTL_SECONDS: a request not approved in this time expires. */
  requestTtlSeconds: number;
}

export const DEFAULT_SANDBOX_DEPOSITS: SandboxDepositSettings = { enabled: true, requestTtlSeconds: 86_400 };

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
  transactionPin?: TransactionPinSettings;
  sandboxDeposits: SandboxDepositSettings;
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
  transactionPin?: TransactionPinSettings;
  sandboxDeposits?: SandboxDepositSettings;
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
    ...(opts.transactionPin ? { transactionPin: opts.transactionPin } : {}),
    sandboxDeposits: opts.sandboxDeposits ?? DEFAULT_SANDBOX_DEPOSITS,
  };
}
