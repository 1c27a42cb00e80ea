// The BFF's own session resources: who is signed in, and the customer's sessions.
import { z } from 'zod';
import { instantSchema } from './money';

/** GET /auth/me: the session, or { authenticated: false }; never a token. */
export const meSchema = z.object({
  authenticated: z.boolean(),
  customerId: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  cpf: z.string().nullable().optional().describe('Masked: ***.456.789-**'),
  roles: z.array(z.enum(['customer', 'admin'])).optional(),
  sessionExpiresAt: instantSchema.optional(),
  operator: z
    .object({ id: z.string().describe('Keycloak user id'), username: z.string().nullable() })
    .optional()
    .describe("Only for an operator's session (realm role admin): their Keycloak user id and user name"),
});
export type Me = z.infer<typeof meSchema>;

/** POST /auth/session (automation only): CPF and password. */
export const passwordSignInSchema = z.object({ cpf: z.string().max(32), password: z.string().min(1).max(256) });
export type PasswordSignIn = z.infer<typeof passwordSignInSchema>;

export const sessionItemSchema = z.object({
  handle: z.string().describe('Opaque; not the session cookie'),
  device: z.string().describe('A short label from the User-Agent at sign-in, e.g. "Chrome no Linux"'),
  createdAt: instantSchema.describe('Sign-in time'),
  lastUsedAt: instantSchema.describe('Last use, to about a minute'),
  current: z.boolean().describe('The session of this call'),
});
export type SessionItem = z.infer<typeof sessionItemSchema>;

/** GET /api/v1/sessions: this one first. */
export const sessionListSchema = z.object({ items: z.array(sessionItemSchema) });
export type SessionList = z.infer<typeof sessionListSchema>;
