// Validation of a registration and of profile changes (pure). Every problem is reported at once, per field,
// with a machine-readable code and a pt-BR message; the value objects come from @krt/domain.
import { BirthDate, Cep, Cpf, DOMAIN_ERROR_MESSAGES, Email, PersonName, Phone, checkAdult, checkTransactionPin, passwordRuleFailures, type DomainError } from '@krt/domain';
import type { FieldError } from '@krt/contracts';

/** One field's problem: the public API's field-error shape (@krt/contracts), defined once. */
export type FieldProblem = FieldError;

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export const BRAZILIAN_STATES = new Set([
  'AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA', 'PB', 'PR', 'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO',
]);

export interface UploadedFile {
  bytes: Uint8Array;
}

export type RawInput = Record<string, string | UploadedFile | undefined>;

export interface Address {
  cep: string;
  street: string;
  number: string;
  complement: string | null;
  neighborhood: string;
  city: string;
  state: string;
}

export interface ValidImage {
  contentType: 'image/jpeg' | 'image/png';
  bytes: Uint8Array;
}

export interface IdentityDocument {
  type: 'RG' | 'CNH';
  number: string;
  issuer: string;
}

export interface RegistrationCommand {
  fullName: string;
  cpf: Cpf;
  birthDate: BirthDate;
  email: Email;
  phone: Phone;
  address: Address;
  password: string;
  /** The 4-digit transaction PIN ("senha de transação"); hashed at once, never stored or logged as typed. */
  transactionPin: string;
  document: IdentityDocument;
  documentImage: ValidImage;
  selfieImage: ValidImage;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldProblem[] };

const MSG = {
  REQUIRED: 'Campo obrigatório.',
  TOO_LONG: (n: number) => `Deve ter no máximo ${n} caracteres.`,
  UNDERAGE: DOMAIN_ERROR_MESSAGES.CUSTOMER_UNDERAGE,
  CONSENT_REQUIRED: 'É preciso aceitar para abrir a conta.',
  PASSWORD_WEAK: 'A senha não atende à política de segurança',
  FILE_REQUIRED: 'Envie a imagem.',
  FILE_TOO_LARGE: 'A imagem deve ter no máximo 5 MB.',
  FILE_NOT_IMAGE: 'Envie uma imagem JPEG ou PNG.',
  STATE_INVALID: 'UF inválida. Use a sigla do estado, por exemplo SP.',
  DOCUMENT_TYPE_INVALID: 'Tipo de documento inválido. Use RG ou CNH.',
  DOCUMENT_NUMBER_INVALID: 'Número do documento inválido.',
  DOCUMENT_ISSUER_INVALID: 'Órgão emissor inválido, por exemplo SSP/SP ou DETRAN/SP.',
  TEXT_INVALID: 'Texto inválido.',
};

/** Detects JPEG (FF D8 FF) or PNG (89 50 4E 47 0D 0A 1A 0A) by magic bytes; the declared type is never trusted. */
export function sniffImageType(bytes: Uint8Array): ValidImage['contentType'] | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= png.length && png.every((b, i) => bytes[i] === b)) return 'image/png';
  return undefined;
}

class Collector {
  readonly errors: FieldProblem[] = [];

  add(field: string, code: string, message: string) {
    this.errors.push({ field, code, message });
  }

  fromDomain(field: string, error: DomainError, code: string = error.code) {
    this.add(field, code, error.message);
  }

  /** A required single-line text field: trimmed, 1..max characters, no control characters. */
  text(raw: RawInput, field: string, max: number, opts: { optional?: boolean; path?: string } = {}): string | null | undefined {
    const path = opts.path ?? field;
    const value = raw[field];
    if (value !== undefined && typeof value !== 'string') {
      this.add(path, 'TEXT_INVALID', MSG.TEXT_INVALID);
      return undefined;
    }
    const trimmed = value?.trim().replace(/\s+/g, ' ') ?? '';
    if (!trimmed) {
      if (opts.optional) return null;
      this.add(path, 'REQUIRED', MSG.REQUIRED);
      return undefined;
    }
    if (/[\u0000-\u001f\u007f]/.test(trimmed)) {
      this.add(path, 'TEXT_INVALID', MSG.TEXT_INVALID);
      return undefined;
    }
    // As sent, in characters (code points): what a JSON Schema maxLength counts.
    if ([...(value ?? '')].length > max) {
      this.add(path, 'TOO_LONG', MSG.TOO_LONG(max));
      return undefined;
    }
    return trimmed;
  }

  image(raw: RawInput, field: string): ValidImage | undefined {
    const value = raw[field];
    if (value === undefined || typeof value === 'string' || value.bytes.length === 0) {
      this.add(field, 'FILE_REQUIRED', MSG.FILE_REQUIRED);
      return undefined;
    }
    if (value.bytes.length > MAX_IMAGE_BYTES) {
      this.add(field, 'FILE_TOO_LARGE', MSG.FILE_TOO_LARGE);
      return undefined;
    }
    const contentType = sniffImageType(value.bytes);
    if (!contentType) {
      this.add(field, 'FILE_NOT_IMAGE', MSG.FILE_NOT_IMAGE);
      return undefined;
    }
    return { contentType, bytes: value.bytes };
  }
}

function str(raw: RawInput, field: string): string {
  const v = raw[field];
  return typeof v === 'string' ? v : '';
}

function parseAddress(c: Collector, raw: RawInput, prefix = ''): Address | undefined {
  const f = (name: string) => `${prefix}${name}`;
  let cep: string | undefined;
  if (!str(raw, 'cep').trim()) c.add(f('cep'), 'REQUIRED', MSG.REQUIRED);
  else {
    const parsed = Cep.parse(str(raw, 'cep'), f('cep'));
    if (parsed.ok) cep = parsed.value.value;
    else c.fromDomain(f('cep'), parsed.error);
  }
  const street = c.text(raw, 'street', 120, { path: f('street') });
  const number = c.text(raw, 'number', 10, { path: f('number') });
  const complement = c.text(raw, 'complement', 60, { optional: true, path: f('complement') });
  const neighborhood = c.text(raw, 'neighborhood', 80, { path: f('neighborhood') });
  const city = c.text(raw, 'city', 80, { path: f('city') });
  const stateRaw = c.text(raw, 'state', 2, { path: f('state') });
  const state = stateRaw?.toUpperCase();
  if (state && !BRAZILIAN_STATES.has(state)) c.add(f('state'), 'STATE_INVALID', MSG.STATE_INVALID);
  if (cep === undefined || !street || !number || complement === undefined || !neighborhood || !city || !state || !BRAZILIAN_STATES.has(state)) return undefined;
  return { cep, street, number, complement, neighborhood, city, state };
}

function parseEmail(c: Collector, value: string, field = 'email'): Email | undefined {
  if (!value.trim()) return void c.add(field, 'REQUIRED', MSG.REQUIRED);
  const r = Email.parse(value, field);
  return r.ok ? r.value : void c.fromDomain(field, r.error);
}

function parsePhone(c: Collector, value: string, field = 'phone'): Phone | undefined {
  if (!value.trim()) return void c.add(field, 'REQUIRED', MSG.REQUIRED);
  const r = Phone.parse(value, field);
  return r.ok ? r.value : void c.fromDomain(field, r.error);
}

const RG_NUMBER = /^[0-9Xx]{5,14}$/;
const CNH_NUMBER = /^\d{11}$/;
const ISSUER = /^[A-Za-zÀ-ÿ]{2,10}(?:[/ -][A-Za-z]{2})?$/;

/** Validates a whole registration; `now` decides the age. */
export function validateRegistration(raw: RawInput, now: Date): Validated<RegistrationCommand> {
  const c = new Collector();

  let fullName: string | undefined;
  if (!str(raw, 'fullName').trim()) c.add('fullName', 'REQUIRED', MSG.REQUIRED);
  else {
    const r = PersonName.parse(str(raw, 'fullName'), 'fullName');
    if (r.ok) fullName = r.value.value;
    else c.fromDomain('fullName', r.error, 'NAME_INVALID');
  }

  let cpf: Cpf | undefined;
  if (!str(raw, 'cpf').trim()) c.add('cpf', 'REQUIRED', MSG.REQUIRED);
  else {
    const r = Cpf.parse(str(raw, 'cpf'), 'cpf');
    if (r.ok) cpf = r.value;
    else c.fromDomain('cpf', r.error);
  }

  let birthDate: BirthDate | undefined;
  if (!str(raw, 'birthDate').trim()) c.add('birthDate', 'REQUIRED', MSG.REQUIRED);
  else {
    const r = BirthDate.parse(str(raw, 'birthDate'), 'birthDate');
    if (!r.ok) c.fromDomain('birthDate', r.error);
    else {
      const adult = checkAdult(r.value, now);
      if (adult.ok) birthDate = r.value;
      else c.fromDomain('birthDate', adult.error, adult.error.code === 'CUSTOMER_UNDERAGE' ? 'UNDERAGE' : adult.error.code);
    }
  }

  const email = parseEmail(c, str(raw, 'email'));
  const phone = parsePhone(c, str(raw, 'phone'));
  const address = parseAddress(c, raw);

  const password = str(raw, 'password');
  if (!password) c.add('password', 'REQUIRED', MSG.REQUIRED);
  else {
    // The realm's policy, checked here so a weak password never reaches Keycloak; the username is the CPF.
    const failures = passwordRuleFailures(password, cpf?.value ?? str(raw, 'cpf').replace(/\D/g, ''));
    if (failures.length) c.add('password', 'PASSWORD_WEAK', `${MSG.PASSWORD_WEAK}: ${failures.map((f) => lowerFirst(f.message.replace(/\.$/, ''))).join('; ')}.`);
  }

  // The transaction PIN: weak ones (sequences, repeated digits, years, the birth date) are refused.
  const transactionPin = str(raw, 'transactionPin');
  if (!transactionPin) c.add('transactionPin', 'REQUIRED', MSG.REQUIRED);
  else {
    const pin = checkTransactionPin(transactionPin, birthDate ? { birthDate: birthDate.toIsoString() } : {});
    if (!pin.ok) c.add('transactionPin', pin.code, pin.message);
  }

  for (const consent of ['acceptTerms', 'acceptPrivacy']) {
    if (str(raw, consent).trim().toLowerCase() !== 'true') c.add(consent, 'CONSENT_REQUIRED', MSG.CONSENT_REQUIRED);
  }

  let document: IdentityDocument | undefined;
  const docType = str(raw, 'documentType').trim().toUpperCase();
  if (!docType) c.add('documentType', 'REQUIRED', MSG.REQUIRED);
  else if (docType !== 'RG' && docType !== 'CNH') c.add('documentType', 'DOCUMENT_TYPE_INVALID', MSG.DOCUMENT_TYPE_INVALID);
  const docNumber = str(raw, 'documentNumber').replace(/[\s.-]/g, '').toUpperCase();
  if (!docNumber) c.add('documentNumber', 'REQUIRED', MSG.REQUIRED);
  else if ((docType === 'CNH' && !CNH_NUMBER.test(docNumber)) || (docType !== 'CNH' && !RG_NUMBER.test(docNumber))) {
    c.add('documentNumber', 'DOCUMENT_NUMBER_INVALID', MSG.DOCUMENT_NUMBER_INVALID);
  }
  const issuer = str(raw, 'documentIssuer').trim().toUpperCase();
  if (!issuer) c.add('documentIssuer', 'REQUIRED', MSG.REQUIRED);
  else if (!ISSUER.test(issuer)) c.add('documentIssuer', 'DOCUMENT_ISSUER_INVALID', MSG.DOCUMENT_ISSUER_INVALID);
  if ((docType === 'RG' || docType === 'CNH') && docNumber && issuer) document = { type: docType, number: docNumber, issuer };

  const documentImage = c.image(raw, 'documentImage');
  const selfieImage = c.image(raw, 'selfieImage');

  if (c.errors.length) return { ok: false, errors: c.errors };
  return {
    ok: true,
    value: {
      fullName: fullName!,
      cpf: cpf!,
      birthDate: birthDate!,
      email: email!,
      phone: phone!,
      address: address!,
      password,
      transactionPin,
      document: document!,
      documentImage: documentImage!,
      selfieImage: selfieImage!,
    },
  };
}

export interface ProfileChanges {
  email?: Email;
  phone?: Phone;
  address?: Address;
}

/** Validates `PATCH /v1/customers/me`: `{ email?, phone?, address?: {cep, street, number, complement?, neighborhood, city, state} }`. */
export function validateProfileChanges(body: unknown): Validated<ProfileChanges> {
  const c = new Collector();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, errors: [{ field: '(body)', code: 'BODY_INVALID', message: 'Envie um objeto JSON.' }] };
  const b = body as Record<string, unknown>;
  const allowed = new Set(['email', 'phone', 'address']);
  for (const key of Object.keys(b)) if (!allowed.has(key)) c.add(key, 'FIELD_NOT_ALLOWED', 'Este campo não pode ser alterado.');
  const changes: ProfileChanges = {};
  if (b.email !== undefined) changes.email = typeof b.email === 'string' ? parseEmail(c, b.email) : void c.add('email', 'EMAIL_INVALID', DOMAIN_ERROR_MESSAGES.EMAIL_INVALID);
  if (b.phone !== undefined) changes.phone = typeof b.phone === 'string' ? parsePhone(c, b.phone) : void c.add('phone', 'PHONE_INVALID', DOMAIN_ERROR_MESSAGES.PHONE_INVALID);
  if (b.address !== undefined) {
    if (typeof b.address !== 'object' || b.address === null || Array.isArray(b.address)) c.add('address', 'ADDRESS_INVALID', 'Endereço inválido.');
    else {
      // As sent (null read as absent): the collector refuses a line that is not text, never coerces it to text, and
      // parseAddress reads only the address's own fields (other keys are ignored, as the API document allows).
      const rawAddress = Object.fromEntries(Object.entries(b.address as Record<string, unknown>).map(([k, v]) => [k, v ?? undefined])) as RawInput;
      changes.address = parseAddress(c, rawAddress, 'address.');
    }
  }
  if (!c.errors.length && !changes.email && !changes.phone && !changes.address) c.add('(body)', 'NOTHING_TO_CHANGE', 'Informe ao menos um campo para alterar.');
  return c.errors.length ? { ok: false, errors: c.errors } : { ok: true, value: changes };
}

function lowerFirst(s: string): string {
  return s.replace(/^A senha /, '').replace(/^./, (ch) => ch.toLowerCase());
}
