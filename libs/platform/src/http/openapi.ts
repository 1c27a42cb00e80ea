// The shared error shape as a named OpenAPI component ("Problem"), for the services' OpenAPI documents.
// Built with @hono/zod-openapi's zod (schemas get `.openapi()` when they are created); the fields are the contract's.
import { z } from '@hono/zod-openapi';
import { problemSchema } from './errors';

/**
 * The public API's wire formats (CPF, e-mail, PIX key, amount, CEP, one-line text) are business names and live in the
 * contract (@krt/contracts, api/wire.ts). Re-exported here only until the services import them from there.
 */
export { CEP_WIRE, isSingleLineText, PIX_KEY_WIRE, requiredText, WIRE } from '@krt/contracts';

export const problemComponent = z.object(problemSchema.shape).openapi('Problem');
