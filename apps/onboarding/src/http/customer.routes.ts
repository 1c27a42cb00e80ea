// The signed-in customer: their profile (read, change e-mail, phone or address) and their own KYC images.
import { createRoute, z } from '@hono/zod-openapi';
import { customerDocument, getProfile, updateProfile } from '@krt/onboarding';
import { requireAuth } from '@krt/platform/auth';
import { problemContent } from '@krt/platform/http';
import { image, imageResponse, type OnboardingApi, type OnboardingRoutesDeps } from './openapi-kit';
import { kindParam, profileChangesSchema, profileSchema } from './schemas';

export function registerCustomerRoutes(api: OnboardingApi, deps: OnboardingRoutesDeps): void {
  api.use('/v1/customers/*', requireAuth(deps.verify));
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/me',
      summary: 'Own profile (CPF masked; e-mail and phone masked unless reveal=contact, which the profile edit form asks for)',
      request: { query: z.object({ reveal: z.enum(['contact']).optional() }) },
      responses: { 200: { description: 'Profile', content: { 'application/json': { schema: profileSchema } } }, 404: { description: 'Not a customer', ...problemContent } },
    }),
    async (c) => c.json(await getProfile(deps.pool, c.var.principal.customerId, { revealContact: c.req.valid('query').reveal === 'contact' }), 200),
  );
  api.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/customers/me',
      summary: 'Change e-mail, phone or address',
      description:
        'A new e-mail or phone needs a token whose auth_time is recent (the BFF’s /auth/reauthenticate; ONBOARDING_CONTACT_CHANGE_MAX_AUTH_AGE_SECONDS, 300 s), else 403 REAUTHENTICATION_REQUIRED. The contact as it was gets a security alert.',
      request: {
        body: {
          content: { 'application/json': { schema: profileChangesSchema } },
          required: true,
        },
      },
      responses: {
        200: { description: 'Updated profile', content: { 'application/json': { schema: profileSchema } } },
        403: { description: 'REAUTHENTICATION_REQUIRED: a new e-mail or phone needs the password typed again', ...problemContent },
        409: { description: 'E-mail or phone already registered', ...problemContent },
        422: { description: 'Field errors', ...problemContent },
      },
    }),
    async (c) =>
      c.json(
        await updateProfile(deps.pool, deps.keycloak, c.var.principal.customerId, c.req.valid('json'), {
          correlationId: c.var.correlationId,
          authTime: c.var.principal.authTime,
          contactChangeMaxAuthAgeSeconds: deps.contactChangeMaxAuthAgeSeconds,
        }),
        200,
      ),
  );
  api.openapi(
    createRoute({ method: 'get', path: '/v1/customers/me/documents/{kind}', summary: 'Own KYC image', request: { params: kindParam }, responses: { 200: { description: 'The image', ...image }, 404: { description: 'None', ...problemContent } } }),
    async (c) => imageResponse(c, await customerDocument(deps.pool, c.var.principal.customerId, c.req.valid('param').kind)),
  );
}
