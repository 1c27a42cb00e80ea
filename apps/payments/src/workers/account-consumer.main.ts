// Account consumer (own process, group payments.account-consumer): opens the ledger account on `account.created`.
import { TOPICS } from '@krt/contracts';
import { pathToFileURL } from 'node:url';
import { ACCOUNT_CONSUMER, applyAccountCreated } from '@krt/payments';
import { runWorkerProcess, startWorker, type WorkerOptions } from './worker';

export function startAccountConsumer(opts: WorkerOptions = {}) {
  return startWorker(
    {
      name: 'payments-account-consumer',
      groupId: ACCOUNT_CONSUMER,
      topics: [TOPICS.accountCreated],
      handle: async (rt, envelope) => {
        const account = await applyAccountCreated(rt.pool, envelope, rt.ctx.clock());
        if (account) rt.logger.info({ accountId: account.id, customerId: account.customer_id }, 'ledger account opened');
      },
    },
    opts,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runWorkerProcess(() => startAccountConsumer(), 'payments-account-consumer').catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
