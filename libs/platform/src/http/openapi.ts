// The OpenAPI pieces every service's routes share: the error shape as a named component ("Problem") and the response
// and request helpers built on it. Built with @hono/zod-openapi's zod (schemas get `.openapi()` when they are
// created); the problem's fields are the contract's. Service-specific pieces (an image answer, a caller's id) stay in
// the service's own kit.
import { z } from '@hono/zod-openapi';
import { isSingleLineText, singleLineIssue } from '@krt/contracts';
import { problemSchema } from './errors';

export const problemComponent = z.object(problemSchema.shape).openapi('Problem');

/** A JSON answer of a route: `responses: { 200: json(schema, 'What it is') }`. */
export const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

/** A required JSON body: `request: { ...jsonBody(schema) }`. */
export const jsonBody = <T extends z.ZodTypeAny>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });

/** The content of a problem answer, for a response with its own description: `{ description: 'Not an admin', ...problemContent }`. */
export const problemContent = { content: { 'application/problem+json': { schema: problemComponent } } };

/** Problem answers for `statuses`, each described "Problem": `responses: { ...problems(401, 403, 422) }`. */
export const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, { ...problemContent, description: 'Problem' }]));

/**
 * An operator's reason (a KYC decision, a dead letter's replay): one line of at most 500 characters (422 TEXT_INVALID),
 * at least `min` of them not spaces (422 TOO_SHORT); trimmed.
 */
export const operatorReasonText = (min: number) =>
  z
    .string()
    .max(500)
    .refine(isSingleLineText, singleLineIssue())
    .refine((s) => s.replace(/ /g, '').length >= min, { message: `Informe ao menos ${min} caracteres.`, params: { code: 'TOO_SHORT' } })
    .transform((s) => s.trim())
    .openapi({ type: 'string', maxLength: 500, allOf: [{ pattern: '^[^\\u0000-\\u001f\\u007f]*$' }, ...(min ? [{ pattern: '[^ ].*[^ ].*[^ ]' }] : [])] });

/** The bearer token (the `bearer` security scheme each service registers). */
export const security = [{ bearer: [] }];
