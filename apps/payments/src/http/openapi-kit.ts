// What every payments route file shares: the API's type, the OpenAPI response helpers and the caller's customer id.
import type { OpenAPIHono, z } from '@hono/zod-openapi';
import { PaymentsErrors } from '@krt/payments';
import type { AuthEnv } from '@krt/platform/auth';
import type { Context } from 'hono';
import { problemSchema } from './schemas';

/** The payments API every route file registers its routes on (paymentsApi composes them). */
export type PaymentsApi = OpenAPIHono<AuthEnv>;

export const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
export const jsonBody = <T extends z.ZodTypeAny>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
export const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { content: { 'application/problem+json': { schema: problemSchema } }, description: 'Problem' }]));
export const security = [{ bearer: [] }];

/** The signed-in customer's id (403 NOT_A_CUSTOMER for a token without one, e.g. an operator's). */
export function customerOf(c: Context<AuthEnv>): string {
  const id = c.var.principal.customerId;
  if (!id) throw PaymentsErrors.notACustomer();
  return id;
}
