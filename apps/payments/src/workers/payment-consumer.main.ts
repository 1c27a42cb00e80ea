// Payment consumer (own process, group payments.payment-consumer): settles on `fraud.cleared`,
// compensates on `fraud.detected`.
import { TOPICS } from '@krt/contracts';
import { pathToFileURL } from 'node:url';
import { applyFraudDecision, PAYMENT_CONSUMER, type AfterCommitHook } from '@krt/payments';
import { runWorkerProcess, startWorker, type WorkerOptions } from './worker';

export function startPaymentConsumer(opts: WorkerOptions & { afterCommit?: AfterCommitHook } = {}) {
  return startWorker(
    {
      name: 'payments-payment-consumer',
      groupId: PAYMENT_CONSUMER,
      topics: [TOPICS.fraudCleared, TOPICS.fraudDetected],
      handle: async (rt, envelope) => {
        await applyFraudDecision(rt.ctx, envelope, opts.afterCommit);
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
