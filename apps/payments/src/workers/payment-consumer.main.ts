// Payment consumer (own process, group payments.payment-consumer): settles on `fraud.cleared`,
// compensates on `fraud.detected`.
import { TOPICS, type Envelope } from '@krt/contracts';
import { pathToFileURL } from 'node:url';
import { applyFraudDecision, PAYMENT_CONSUMER } from '@krt/payments';
import type { MessageContext } from '@krt/platform/consumer';
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
