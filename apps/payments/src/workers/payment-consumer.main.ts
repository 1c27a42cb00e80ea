// Payment consumer (own process, group payments.payment-consumer): settles on `fraud.cleared`,
// compensates on `fraud.detected`.
import { TOPICS, type Envelope } from '@krt/contracts';
import { pathToFileURL } from 'node:url';
import { applyFraudDecision, applyFraudDecisions, PAYMENT_CONSUMER } from '@krt/payments';
import type { MessageContext } from '@krt/platform/messaging';
import { runWorkerProcess, startWorker, type WorkerOptions } from './worker';

/** Fault-test hook: runs after the effect's transaction committed, before the message's offset is committed. */
export type PaymentAfterCommit = (envelope: Envelope, msg: MessageContext) => Promise<void> | void;

export function startPaymentConsumer(opts: WorkerOptions & { afterCommit?: PaymentAfterCommit } = {}) {
  return startWorker(
    {
      name: 'payments-payment-consumer',
      groupId: PAYMENT_CONSUMER,
      topics: [TOPICS.fraudCleared, TOPICS.fraudDetected],
      handle: async (rt, envelope, msg) => {
        const hook = opts.afterCommit;
        await applyFraudDecision(rt.ctx, envelope, hook && ((e) => hook(e, msg)));
      },
      // The batch calls the hook for each envelope after its commit, before the offsets are resolved.
      handleBatch: async (rt, items) => {
        const hook = opts.afterCommit;
        const byEvent = new Map(items.map((i) => [i.envelope.eventId, i.ctx]));
        await applyFraudDecisions(rt.ctx, items, hook && ((e) => hook(e, byEvent.get(e.eventId)!)));
      },
    },
    opts,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runWorkerProcess(() => startPaymentConsumer(), 'payments-payment-consumer').catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
