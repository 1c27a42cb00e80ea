// Onboarding: the registration (public) and the customer's own profile.
import { z } from 'zod';
import { instantSchema } from './money';

export const REGISTRATION_STATUSES = ['PENDING_KYC', 'PENDING_REVIEW', 'APPROVED', 'ACTIVE', 'REJECTED'] as const;
export const registrationStatusSchema = z.enum(REGISTRATION_STATUSES);
export type RegistrationStatus = z.infer<typeof registrationStatusSchema>;

/** POST /api/v1/registrations (202) and GET /api/v1/registrations/{id}. `statusToken` only on the POST. */
export const registrationSchema = z.object({
  applicationId: z.string(),
  status: registrationStatusSchema,
  reason: z.string().nullable().optional(),
  statusToken: z.string().optional(),
});
export type Registration = z.infer<typeof registrationSchema>;

export const addressSchema = z.object({
  cep: z.string(),
  street: z.string(),
  number: z.string(),
  complement: z.string().nullable(),
  neighborhood: z.string(),
  city: z.string(),
  state: z.string(),
});
export type Address = z.infer<typeof addressSchema>;

/** GET /api/v1/customers/me: the profile, CPF, e-mail and phone masked (unless ?reveal=contact). */
export const customerSchema = z.object({
  customerId: z.string(),
  fullName: z.string(),
  cpf: z.string(),
  birthDate: z.string(),
  email: z.string(),
  phone: z.string(),
  address: addressSchema,
  status: registrationStatusSchema,
  createdAt: instantSchema,
  updatedAt: instantSchema,
});
export type Customer = z.infer<typeof customerSchema>;

/** POST /api/v1/registrations/cpf-check (public): whether a CPF may still open an account. */
export const cpfCheckSchema = z.object({ cpf: z.string() });
export type CpfCheck = z.infer<typeof cpfCheckSchema>;
export const cpfCheckAnswerSchema = z.object({ available: z.boolean() });
export type CpfCheckAnswer = z.infer<typeof cpfCheckAnswerSchema>;
