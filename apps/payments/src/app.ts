// The payments HTTP API: ledger accounts, balance, statement, PIX keys and transfers.
import { createServiceApp } from '@krt/platform/http';
import type { Logger } from '@krt/platform/logger';
import type { ReadinessCheck } from '@krt/platform/readiness';

export interface PaymentsDeps {
  logger: Logger;
  readiness: ReadinessCheck[];
}

export function createPaymentsApp(deps: PaymentsDeps) {
  const app = createServiceApp({ service: 'payments', logger: deps.logger, readiness: deps.readiness });
  return app;
}
