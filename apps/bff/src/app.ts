// The BFF: the one origin the browser talks to.
import { createServiceApp } from '@krt/platform/http';
import type { Logger } from '@krt/platform/logger';
import type { ReadinessCheck } from '@krt/platform/readiness';

export interface BffDeps {
  logger: Logger;
  readiness: ReadinessCheck[];
}

export function createBffApp(deps: BffDeps) {
  const app = createServiceApp({ service: 'bff', logger: deps.logger, readiness: deps.readiness });
  return app;
}
