// The payments HTTP API: ledger accounts, balance, statement, PIX keys and transfers.
import type { PaymentsContext } from '@krt/payments';
import type { TokenVerifier } from '@krt/platform/auth';
import { createServiceApp } from '@krt/platform/http';
import type { Logger } from '@krt/platform/telemetry';
import type { ReadinessCheck } from '@krt/platform/http';
import { openApiDocument, paymentsApi } from './http/routes';

export interface PaymentsDeps {
  logger: Logger;
  readiness: ReadinessCheck[];
  ctx: PaymentsContext;
  verifyToken: TokenVerifier;
}

export function createPaymentsApp(deps: PaymentsDeps) {
  const app = createServiceApp({ service: 'payments', logger: deps.logger, readiness: deps.readiness, jsonApi: {} });
  const api = paymentsApi(deps.ctx, deps.verifyToken);
  const doc = openApiDocument(api);
  app.get('/openapi.json', (c) => c.json(doc));
  app.route('/', api);
  return app;
}
