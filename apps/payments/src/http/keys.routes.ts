// The caller's PIX keys (list, register, delete) and the lookup of any key before paying it.
import { createRoute, z } from '@hono/zod-openapi';
import { deletePixKey, listPixKeys, registerPixKey, resolvePixKey, type PaymentsContext } from '@krt/payments';
import { json, jsonBody, problems, security } from '@krt/platform/http';
import { customerOf, type PaymentsApi } from './openapi-kit';
import * as S from './schemas';

const tags = ['pix-keys'];

export function registerPixKeyRoutes(api: PaymentsApi, ctx: PaymentsContext): void {
  api.openapi(
    createRoute({ method: 'get', path: '/v1/pix/keys', tags, security, responses: { 200: json(S.pixKeyListSchema, 'The caller’s keys'), ...problems(401, 403, 404) } }),
    async (c) => c.json(await listPixKeys(ctx, customerOf(c)), 200),
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/pix/keys',
      tags,
      security,
      request: jsonBody(S.pixKeyCreateSchema),
      responses: { 201: json(S.pixKeySchema, 'Key registered'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await registerPixKey(ctx, customerOf(c), c.req.valid('json')), 201),
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/pix/keys/resolve',
      tags,
      security,
      request: { query: z.object({ key: S.pixKey }) },
      responses: { 200: json(S.resolvedKeySchema, 'Confirmation data'), ...problems(401, 404, 422) },
    }),
    async (c) => c.json(await resolvePixKey(ctx, c.req.valid('query').key), 200),
  );
  api.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/pix/keys/{id}',
      tags,
      security,
      request: { params: S.idParams },
      responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404) },
    }),
    async (c) => {
      await deletePixKey(ctx, customerOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
}
