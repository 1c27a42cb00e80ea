// The error shape of every API: RFC 9457 problem details plus a stable code and a message the customer reads (pt-BR).
import { z } from 'zod';

/** One invalid field of a request: its path (`a.b`), a stable code and a pt-BR message. */
export const fieldErrorSchema = z.object({ field: z.string(), code: z.string(), message: z.string() });
export type FieldError = z.infer<typeof fieldErrorSchema>;

/**
 * application/problem+json. Some problems carry more members (PIN_INVALID: attemptsLeft; PIN_LOCKED: lockedUntil;
 * SERVICE_UNAVAILABLE: dependency), so the object is open.
 */
export const problemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  message: z.string(),
  correlationId: z.string().optional(),
  errors: z.array(fieldErrorSchema).optional(),
});
export type Problem = z.infer<typeof problemSchema>;
