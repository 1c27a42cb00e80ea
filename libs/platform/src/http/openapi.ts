// The shared error shape as a named OpenAPI component ("Problem"), for the services' OpenAPI documents.
// Built with @hono/zod-openapi's zod (schemas get `.openapi()` when they are created); the fields are the contract's.
import { z } from '@hono/zod-openapi';
import { problemSchema } from './errors';

export const problemComponent = z.object(problemSchema.shape).openapi('Problem');
