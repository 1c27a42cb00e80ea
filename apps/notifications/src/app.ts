// The notification center HTTP API.
import type { TokenVerifier } from '@krt/platform/auth';
import type { Pool } from '@krt/platform/persistence';
import { createServiceApp } from '@krt/platform/http';
import type { Logger } from '@krt/platform/telemetry';
import type { ReadinessCheck } from '@krt/platform/http';
import type { AdminRoutesDeps } from './http/admin.routes';
import { notificationCenterApi, openApiDocument } from './http/routes';

export interface NotificationsApiDeps {
  logger: Logger;
  readiness: ReadinessCheck[];
  pool: Pool;
  verifyToken: TokenVerifier;
  /** The operators' routes (dead letters, audit); without it the API serves only the notification center. */
  admin?: AdminRoutesDeps;
}

export function createNotificationsApp(deps: NotificationsApiDeps) {
  const app = createServiceApp({ service: 'notifications', logger: deps.logger, readiness: deps.readiness, jsonApi: {} });
  const api = notificationCenterApi(deps.pool, deps.verifyToken, deps.admin);
  const doc = openApiDocument(api);
  app.get('/openapi.json', (c) => c.json(doc));
  app.route('/', api);
  return app;
}
