import { databaseUrl, keycloakConfigSchema, loadConfig, portSchema, STACK_DEFAULTS } from '@krt/platform/config';
import { parseReceiptKey } from '@krt/payments';
import { DEV_TRANSACTION_PIN_KEY } from '@krt/platform/auth';
import { z } from 'zod';

/**
 * Development key for PIX receipts' authentication codes (HMAC-SHA256, libs/payments/src/receipts). Production must set
 * PAYMENTS_RECEIPT_KEY (32+ random bytes, hex or base64, the same on every payments API replica); the API refuses to
 * start with this default when NODE_ENV=production (receiptKeyOf). Consumers issue no receipts and do not need it.
 * Never logged.
 */
export const DEV_RECEIPT_KEY = '6b72742d7061796d656e74732d726563656970742d6465762d6b65792d6e6f74';

export const paymentsConfigSchema = keycloakConfigSchema.extend({
  NODE_ENV: z.string().default('development'),
  PORT: portSchema.default(5002),
  HOST: z.string().default('127.0.0.1'),
  PAYMENTS_DATABASE_URL: z.string().default(databaseUrl('payments')),
  /** CQRS read side (a replica in production); defaults to the primary. */
  PAYMENTS_READ_DATABASE_URL: z.string().optional(),
  PAYMENTS_DB_POOL_MAX: z.coerce.number().int().min(1).default(20),
  REDIS_URL: z.string().default(STACK_DEFAULTS.redisUrl),
  KAFKA_BROKERS: z.string().default(STACK_DEFAULTS.kafkaBrokers),
  /** A PIX still PENDING this long after initiation is failed and compensated by the sweeper. */
  PIX_PENDING_DEADLINE_MS: z.coerce.number().int().min(1000).default(60_000),
  PIX_SWEEPER_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  /** Port for /health of a consumer process (0 = none). */
  WORKER_HEALTH_PORT: portSchema.default(0),
  /** Signs PIX receipts (their "autenticação"); see DEV_RECEIPT_KEY. */
  PAYMENTS_RECEIPT_KEY: z.string().default(DEV_RECEIPT_KEY),
  /** The transaction PIN's hash key, shared with onboarding (@krt/platform/transaction-pin; refused in production while the default). */
  TRANSACTION_PIN_KEY: z.string().default(DEV_TRANSACTION_PIN_KEY),
  /** How long the third wrong transaction PIN in a row locks the customer's PIX. */
  PIX_PIN_LOCK_SECONDS: z.coerce.number().int().min(1).default(1800),
  /** Changing the PIN needs a password typed at most this long ago (the access token's auth_time). */
  PIX_PIN_CHANGE_MAX_AUTH_AGE_SECONDS: z.coerce.number().int().min(1).default(300),
  /**
   * Operators' sandbox deposits (dual control, issue #19) are refused in production (403 SANDBOX_DEPOSITS_DISABLED)
   * unless this is `true`; elsewhere they are always allowed.
   */
  SANDBOX_DEPOSITS_ENABLED: z.enum(['true', 'false']).optional(),
  /** How long a deposit request waits for a second operator's approval before it expires. */
  DEPOSIT_REQUEST_TTL_SECONDS: z.coerce.number().int().min(1).default(86_400),
  /** The public origin printed on receipts for their verification page. */
  PUBLIC_URL: z.string().url().default('http://localhost:5000'),
});
export type PaymentsConfig = z.infer<typeof paymentsConfigSchema>;

export const loadPaymentsConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(paymentsConfigSchema, env);

/** The receipt signing key of a process that issues receipts: refused in production while it is the development key. */
export function receiptKeyOf(cfg: Pick<PaymentsConfig, 'NODE_ENV' | 'PAYMENTS_RECEIPT_KEY'>): Buffer {
  if (cfg.NODE_ENV === 'production' && cfg.PAYMENTS_RECEIPT_KEY === DEV_RECEIPT_KEY) {
    throw new Error('invalid configuration: PAYMENTS_RECEIPT_KEY must be set in production');
  }
  return parseReceiptKey(cfg.PAYMENTS_RECEIPT_KEY);
}

/** Whether operators may request and approve sandbox deposits here: always outside production, in production only when enabled. */
export function sandboxDepositsOf(cfg: Pick<PaymentsConfig, 'NODE_ENV' | 'SANDBOX_DEPOSITS_ENABLED' | 'DEPOSIT_REQUEST_TTL_SECONDS'>) {
  return { enabled: cfg.NODE_ENV !== 'production' || cfg.SANDBOX_DEPOSITS_ENABLED === 'true', requestTtlSeconds: cfg.DEPOSIT_REQUEST_TTL_SECONDS };
}
