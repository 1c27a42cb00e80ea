// What every payments route file shares: the API's type and the caller's customer id (the OpenAPI response helpers
// are @krt/platform/http's).
import type { OpenAPIHono } from '@hono/zod-openapi';
import { PaymentsErrors } from '@krt/payments';
import type { AuthEnv } from '@krt/platform/auth';
import type { Context } from 'hono';

/** The payments API every route file registers its routes on (paymentsApi composes them). */
export type PaymentsApi = OpenAPIHono<AuthEnv>;

/** The signed-in customer's id (403 NOT_A_CUSTOMER for a token without one, e.g. an operator's). */
export function customerOf(c: Context<AuthEnv>): string {
  const id = c.var.principal.customerId;
  if (!id) throw PaymentsErrors.notACustomer();
  return id;
}
