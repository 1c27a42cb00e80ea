// Deadline sweeper: fails and compensates transfers stuck in PENDING past their deadline. Runs in every payments-relay
// instance (apps/payments/src/workers/relay.main.ts); a Redis lock lets one act at a time, and the fencing token is
// checked in the same transaction, so several replicas are safe.
import type { Logger } from '@krt/platform/telemetry';
import { randomUUID } from 'node:crypto';
import type { PaymentsContext } from '../shared/payments.context';
import { afterLedgerCommit, ledgerChangePending } from '../shared/read-routing';
import { failTransfer } from '../transfers/settlement.use-cases';
import { commitTransaction, rollbackTransaction, tryAcquireLock } from '@krt/platform/persistence';

export const SWEEPER_LOCK = 'pix-deadline-sweeper';
/** The Redis key of the sweeper's lock (its fencing counter is `<key>:fence`). */
export const SWEEPER_LOCK_KEY = `payments:lock:${SWEEPER_LOCK}`;
export const DEADLINE_FAILURE_REASON = 'Pix não concluído: o processamento passou do prazo. O valor reservado voltou para o seu saldo.';

export class StaleFencingTokenError extends Error {
  constructor(readonly token: bigint) {
    super(`fencing token ${token} is older than the last one used`);
  }
}

/** One sweep under an already acquired lease: returns how many transfers it failed. */
export async function sweepExpired(ctx: PaymentsContext, fencingToken: bigint, batch = 100): Promise<number> {
  const client = await ctx.pool.connect();
  const snapshots = [];
  let failed = 0;
  try {
    await client.query('BEGIN');
    const fence = await client.query('UPDATE lock_fences SET token = $2 WHERE name = $1 AND token <= $2', [SWEEPER_LOCK, fencingToken.toString()]);
    if (fence.rowCount === 0) throw new StaleFencingTokenError(fencingToken);
    const { rows } = await client.query<{ id: string }>(
      "SELECT id FROM pix_transfers WHERE status = 'PENDING' AND deadline_at < now() ORDER BY deadline_at LIMIT $1 FOR UPDATE SKIP LOCKED",
      [batch],
    );
    const at = new Date();
    for (const { id } of rows) {
      const outcome = await failTransfer(client, id, { event: 'DEADLINE_EXPIRED', code: 'DEADLINE_EXPIRED', reason: DEADLINE_FAILURE_REASON }, at, {
        correlationId: `sweeper-${randomUUID()}`,
      });
      if (outcome.applied) {
        failed += 1;
        snapshots.push(...outcome.snapshots);
      }
    }
    await ledgerChangePending(ctx, snapshots);
    // The failure events (outbox) wake the relay right after the COMMIT.
    await commitTransaction(client, ctx.pool);
  } catch (e) {
    await rollbackTransaction(client);
    throw e;
  } finally {
    client.release();
  }
  await afterLedgerCommit(ctx, snapshots, { settlesPending: true });
  if (failed) ctx.logger.warn({ failed }, 'deadline sweeper failed expired PIX transfers');
  return failed;
}

export interface SweeperHandle {
  stop(): Promise<void>;
  /** Runs one locked sweep now (tests). */
  runOnce(): Promise<number | null>;
}

export function startDeadlineSweeper(ctx: PaymentsContext, opts: { intervalMs?: number; lockTtlMs?: number; logger?: Logger } = {}): SweeperHandle {
  const intervalMs = opts.intervalMs ?? 5000;
  const lockTtlMs = opts.lockTtlMs ?? 30_000;
  const log = opts.logger ?? ctx.logger;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();

  const runOnce = async (): Promise<number | null> => {
    const lease = await tryAcquireLock(ctx.redis, SWEEPER_LOCK_KEY, lockTtlMs);
    if (!lease) return null;
    try {
      return await sweepExpired(ctx, lease.token);
    } finally {
      await lease.release();
    }
  };
  const timer = setInterval(() => {
    if (stopped) return;
    running = runOnce().catch((err) => log.warn({ err }, 'deadline sweeper run failed'));
  }, intervalMs);
  timer.unref();
  return {
    runOnce,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
