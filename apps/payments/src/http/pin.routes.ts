// The transaction PIN (issue #23): its status, the first PIN of a customer from before the PIN, and a new PIN.
import { createRoute } from '@hono/zod-openapi';
import { changePin, getPinStatus, setFirstPin, type PaymentsContext } from '@krt/payments';
import { json, jsonBody, problems, security } from '@krt/platform/http';
import { customerOf, type PaymentsApi } from './openapi-kit';
import * as S from './schemas';

const tags = ['pix-pin'];

export function registerPinRoutes(api: PaymentsApi, ctx: PaymentsContext): void {
  api.openapi(
    createRoute({ method: 'get', path: '/v1/pix/pin', tags, security, responses: { 200: json(S.pinStatusSchema, 'Whether the caller has a transaction PIN, and its lock'), ...problems(401, 403) } }),
    async (c) => c.json(await getPinStatus(ctx, customerOf(c)), 200),
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/pix/pin',
      tags,
      description: 'The caller’s first transaction PIN (customers from before the PIN). 409 PIN_ALREADY_SET when there is one; 422 PIN_WEAK.',
      security,
      request: jsonBody(S.pinBodySchema),
      responses: { 204: { description: 'PIN set' }, ...problems(400, 401, 403, 409, 422) },
    }),
    async (c) => {
      await setFirstPin(ctx, customerOf(c), c.req.valid('json').pin);
      return c.body(null, 204);
    },
  );
  api.openapi(
    createRoute({
      method: 'put',
      path: '/v1/pix/pin',
      tags,
      description:
        'A new transaction PIN (also clears the wrong attempts and any lock). Needs a token whose auth_time is recent (the BFF’s /auth/reauthenticate), else 403 REAUTHENTICATION_REQUIRED; 409 PIN_NOT_SET; 422 PIN_WEAK.',
      security,
      request: jsonBody(S.pinBodySchema),
      responses: { 204: { description: 'PIN changed' }, ...problems(400, 401, 403, 409, 422) },
    }),
    async (c) => {
      await changePin(ctx, customerOf(c), c.req.valid('json').pin, c.var.principal.authTime);
      return c.body(null, 204);
    },
  );
}
