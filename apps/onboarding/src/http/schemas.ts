// zod schemas of the onboarding API (request validation and the OpenAPI document). Where a domain validator of
// @krt/onboarding owns the rules (a registration, profile changes), the route's schema runs it (valueOrIssues), and
// its OpenAPI description is written here as the JSON Schema the validator enforces.
import { z } from '@hono/zod-openapi';
import { APPLICATION_STATUSES, BRAZILIAN_STATES, validateProfileChanges, validateRegistration, type RawInput } from '@krt/onboarding';
import { CEP_WIRE, WIRE, requiredText } from '@krt/contracts';
import { valueOrIssues } from './openapi-kit';

export const applicationSchema = z
  .object({ applicationId: z.string().uuid(), status: z.enum(APPLICATION_STATUSES), reason: z.string().optional() })
  .openapi('Application');
const addressSchema = z
  .object({ cep: z.string(), street: z.string(), number: z.string(), complement: z.string().nullable(), neighborhood: z.string(), city: z.string(), state: z.string() })
  .openapi('Address');
export const profileSchema = z
  .object({
    customerId: z.string().uuid(),
    fullName: z.string(),
    cpf: z.string().openapi({ example: '***.456.789-**' }),
    birthDate: z.string(),
    email: z.string().openapi({ example: 'm***@example.com', description: 'Masked unless reveal=contact' }),
    phone: z.string().openapi({ example: '(11) *****-7777', description: 'Masked unless reveal=contact (then E.164, +5511988887777)' }),
    address: addressSchema,
    status: z.enum(APPLICATION_STATUSES),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('CustomerProfile');
export const kindParam = z.object({ kind: z.enum(['document', 'selfie']) });
export const idParam = z.object({ id: z.string().uuid() });

/** The back office's CPF search: 11 digits, bare or dotted. */
export const CPF_QUERY = /^(\d{11}|\d{3}\.\d{3}\.\d{3}-\d{2})$/;
export const customerSearchItemSchema = z
  .object({
    customerId: z.string().nullable().openapi({ description: 'Keycloak user id (null until the account is provisioned)' }),
    applicationId: z.string().uuid().openapi({ description: 'Also the KRT customer id (token claim customer_id)' }),
    fullName: z.string(),
    cpfMasked: z.string().openapi({ example: '***.982.247-**' }),
    email: z.string().openapi({ example: 'm***@example.com', description: 'Masked' }),
    status: z.enum(APPLICATION_STATUSES),
    createdAt: z.string(),
  })
  .openapi('CustomerSearchItem');
export const applicationDetailSchema = z
  .object({
    applicationId: z.string().uuid(),
    status: z.enum(APPLICATION_STATUSES),
    fullName: z.string(),
    cpf: z.string().openapi({ description: 'Whole: the reviewer compares it with the document image' }),
    cpfMasked: z.string(),
    birthDate: z.string(),
    email: z.string().openapi({ description: 'Masked' }),
    phone: z.string().openapi({ description: 'Masked' }),
    address: z.object({ city: z.string(), state: z.string() }),
    document: z.object({ type: z.enum(['RG', 'CNH']), number: z.string(), issuer: z.string() }),
    createdAt: z.string(),
    updatedAt: z.string(),
    reviewReasons: z.array(z.string()).openapi({ description: 'WATCHLIST_PEP, WATCHLIST_SANCTIONS, PREVIOUSLY_REJECTED, UNDERAGE, CPF_INVALID' }),
    automaticChecks: z.object({ outcome: z.string(), reason: z.string().nullable(), checks: z.unknown(), decidedAt: z.string() }).nullable(),
    decisions: z.array(z.object({ decision: z.string(), decidedBy: z.string(), decidedByName: z.string().nullable(), reason: z.string().nullable(), checks: z.unknown(), decidedAt: z.string() })),
    decisionReason: z.string().nullable(),
    documents: z.array(z.object({ kind: z.enum(['document', 'selfie']), contentType: z.string(), sizeBytes: z.number().int() })),
    keycloakUserId: z.string().nullable(),
  })
  .openapi('KycApplication');

const UFS = [...BRAZILIAN_STATES];
/** The address as validated by parseAddress (@krt/onboarding): every field trimmed, the UF upper-cased. */
const addressWire = {
  type: 'object' as const,
  required: ['cep', 'street', 'number', 'neighborhood', 'city', 'state'],
  properties: {
    cep: CEP_WIRE,
    street: requiredText(120),
    number: requiredText(10),
    complement: { anyOf: [WIRE.singleLine(60), { type: 'null' as const }] },
    neighborhood: requiredText(80),
    city: requiredText(80),
    state: { type: 'string' as const, enum: UFS },
  },
};

/**
 * PATCH /v1/customers/me: an object (zod), then every rule of validateProfileChanges (at least one of e-mail, phone,
 * address; nothing else) — the ones the document states.
 */
export const profileChangesSchema = z
  .record(z.string(), z.unknown())
  .openapi({
    type: 'object',
    minProperties: 1,
    additionalProperties: false,
    properties: { email: WIRE.email, phone: WIRE.phone, address: addressWire },
  })
  .transform((body, ctx) => valueOrIssues(validateProfileChanges(body), ctx));

/** The registration form as validateRegistration (@krt/onboarding) checks it. */
const registrationFormWire = {
  type: 'object' as const,
  properties: {
    fullName: { ...requiredText(120), description: 'Nome e sobrenome (ao menos duas palavras, só letras, apóstrofo, ponto e hífen)' },
    cpf: WIRE.cpf,
    birthDate: { type: 'string' as const, format: 'date', example: '1990-05-17', description: 'AAAA-MM-DD (ou DD/MM/AAAA); maior de 18 anos' },
    email: WIRE.email,
    phone: WIRE.phone,
    cep: CEP_WIRE,
    street: requiredText(120),
    number: requiredText(10),
    complement: WIRE.singleLine(60),
    neighborhood: requiredText(80),
    city: requiredText(80),
    state: { type: 'string' as const, enum: UFS },
    password: { type: 'string' as const, minLength: 8, description: 'Política do realm: ao menos 8 caracteres, letras maiúsculas e minúsculas, dígito e símbolo; diferente do CPF' },
    transactionPin: {
      type: 'string' as const,
      pattern: '^[0-9]{4}$',
      description: 'Senha de transação (4 dígitos), pedida em todo PIX, devolução e mudança de limite; recusadas: sequências, dígitos repetidos, anos e a data de nascimento',
    },
    acceptTerms: { type: 'string' as const, enum: ['true'] },
    acceptPrivacy: { type: 'string' as const, enum: ['true'] },
    documentType: { type: 'string' as const, enum: ['RG', 'CNH'] },
    documentNumber: { type: 'string' as const, pattern: '^([0-9Xx]{5,14}|[0-9]{11})$', description: 'RG: 5 a 14 dígitos (ou X); CNH: 11 dígitos' },
    documentIssuer: { type: 'string' as const, pattern: '^[A-Za-zÀ-ÿ]{2,10}([/ -][A-Za-z]{2})?$', example: 'SSP/SP' },
    documentImage: { type: 'string' as const, format: 'binary', description: 'JPEG ou PNG (pelos bytes), até 5 MB' },
    selfieImage: { type: 'string' as const, format: 'binary', description: 'JPEG ou PNG (pelos bytes), até 5 MB' },
  },
  required: [
    'fullName', 'cpf', 'birthDate', 'email', 'phone', 'cep', 'street', 'number', 'neighborhood', 'city', 'state', 'password', 'transactionPin',
    'acceptTerms', 'acceptPrivacy', 'documentType', 'documentNumber', 'documentIssuer', 'documentImage', 'selfieImage',
  ],
};

/** A form field as the route's validator reads it: text, a file, or (a repeated field) several; the last one counts. */
const formValue = z.union([z.string(), z.instanceof(Blob), z.array(z.union([z.string(), z.instanceof(Blob)]))]);

/** The multipart form → text fields and file bytes (RawInput). */
async function rawInputOf(form: Record<string, z.infer<typeof formValue>>): Promise<RawInput> {
  const raw: RawInput = {};
  for (const [key, value] of Object.entries(form)) {
    const v = Array.isArray(value) ? value[value.length - 1] : value;
    raw[key] = typeof v === 'string' || v === undefined ? v : { bytes: new Uint8Array(await v.arrayBuffer()) };
  }
  return raw;
}

/**
 * POST /v1/registrations (multipart/form-data): the form as read by the route's validator, then every rule of
 * validateRegistration at once; `now` decides the age.
 */
export const registrationFormSchema = (now: () => Date) =>
  z
    .record(z.string(), formValue)
    .openapi(registrationFormWire)
    .transform(async (form, ctx) => valueOrIssues(validateRegistration(await rawInputOf(form), now()), ctx));
