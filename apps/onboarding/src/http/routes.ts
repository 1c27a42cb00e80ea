// The onboarding HTTP API, composed: one file per sub-domain registers its routes (thin: the route's schema validates,
// the handler reads `c.req.valid(...)`, calls a use case and answers). Here: the validation hook, the order of the
// routes (the OpenAPI document's order) and the document at /openapi.json.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AuthEnv } from '@krt/platform/auth';
import { Errors, zodToFieldErrors } from '@krt/platform/http';
import { registerBackOfficeRoutes } from './back-office.routes';
import { registerCustomerRoutes } from './customer.routes';
import type { OnboardingApi, OnboardingRoutesDeps } from './openapi-kit';
import { registerRegistrationRoutes } from './registration.routes';

export function onboardingApi(deps: OnboardingRoutesDeps): OnboardingApi {
  const api = new OpenAPIHono<AuthEnv>({
    defaultHook: (result) => {
      if (!result.success) throw Errors.validation(zodToFieldErrors(result.error));
    },
  });
  registerRegistrationRoutes(api, deps); // /v1/registrations (public)
  registerCustomerRoutes(api, deps); // /v1/customers/me (the signed-in customer)
  registerBackOfficeRoutes(api, deps); // /v1/admin: KYC review, customer lookup, audit

  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  api.doc31('/openapi.json', { openapi: '3.1.0', info: { title: 'KRT Bank onboarding', version: '1.0.0' }, security: [{ bearer: [] }] });
  return api;
}
