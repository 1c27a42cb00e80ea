// The onboarding HTTP API: registration (public), the customer's profile, KYC review (admin). The routes are in
// ./http (one file per sub-domain, composed by onboardingApi).
import { createServiceApp, type ReadinessCheck } from '@krt/platform/http';
import type { OnboardingRoutesDeps } from './http/openapi-kit';
import { onboardingApi } from './http/routes';

export { REGISTRATION_BODY_LIMIT } from './http/registration.routes';

export interface OnboardingDeps extends OnboardingRoutesDeps {
  readiness: ReadinessCheck[];
}

export function createOnboardingApp(deps: OnboardingDeps) {
  const app = createServiceApp({ service: 'onboarding', logger: deps.logger, readiness: deps.readiness, jsonApi: { formPaths: ['/v1/registrations'] } });
  app.route('/', onboardingApi(deps));
  return app;
}
