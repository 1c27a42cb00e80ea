// The onboarding HTTP API: registration, KYC, customer profile.
import { createServiceApp } from '@krt/platform/http';
import type { Logger } from '@krt/platform/logger';
import type { ReadinessCheck } from '@krt/platform/readiness';

export interface OnboardingDeps {
  logger: Logger;
  readiness: ReadinessCheck[];
}

export function createOnboardingApp(deps: OnboardingDeps) {
  const app = createServiceApp({ service: 'onboarding', logger: deps.logger, readiness: deps.readiness });
  return app;
}
