// Fraud consumer (own process, group payments.fraud-consumer): scores `pix.initiated`, publishes the decision.
import { TOPICS } from '@krt/contracts';
import { pathToFileURL } from 'node:url';
import { assessTransfer, assessTransfers, FRAUD_CONSUMER } from '@krt/payments';
import { runWorkerProcess, startWorker, type WorkerOptions } from './worker';

export function startFraudConsumer(opts: WorkerOptions = {}) {
  return startWorker(
    {
      name: 'payments-fraud-consumer',
      groupId: FRAUD_CONSUMER,
      topics: [TOPICS.pixInitiated],
      handle: async (rt, envelope) => {
        await assessTransfer(rt.ctx, envelope);
      },
      handleBatch: async (rt, items) => {
        await assessTransfers(rt.ctx, items);
      },
    },
    opts,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runWorkerProcess(() => startFraudConsumer(), 'payments-fraud-consumer').catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
