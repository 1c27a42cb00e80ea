import { Cpf } from '../customer/cpf.value-object';
import { Email } from '../customer/email.value-object';
import { Phone } from '../customer/phone.value-object';
import { invalidArgument } from '../shared/domain.error';
import { fail, ok, unwrap, type Result } from '../shared/result.util';

/** DICT key types KRT Bank supports (CNPJ keys are for companies, which we do not serve). */
export const PIX_KEY_TYPES = ['CPF', 'EMAIL', 'PHONE', 'EVP'] as const;
export type PixKeyType = (typeof PIX_KEY_TYPES)[number];

/** Every DICT key is at most 77 characters (API Pix `chave` maxLength). */
export const PIX_KEY_MAX_LENGTH = 77;
/** DICT: an individual's account holds at most 5 keys. */
export const MAX_KEYS_PER_ACCOUNT = 5;

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FORMATTED_CPF = /^\d{3}\.\d{3}\.\d{3}-\d{2}$/;
const PHONE_PUNCTUATION = /[\s().-]/g;

const INVALID_MESSAGES: Record<PixKeyType, string> = {
  CPF: 'Chave Pix inválida: CPF inválido.',
  EMAIL: 'Chave Pix inválida: e-mail inválido (máximo de 77 caracteres).',
  PHONE: 'Chave Pix inválida: informe um celular com DDD, por exemplo +55 11 98888-7777.',
  EVP: 'Chave Pix inválida: chave aleatória mal formada.',
};

export function isPixKeyType(value: unknown): value is PixKeyType {
  return typeof value === 'string' && (PIX_KEY_TYPES as readonly string[]).includes(value);
}

/** A DICT key in its canonical form (CPF digits, lower-case e-mail, E.164 phone, lower-case UUID). */
export class PixKey {
  private constructor(
    readonly type: PixKeyType,
    readonly value: string,
  ) {}

  /** Parses and normalises `raw` as a key of the declared `type`. */
  static parse(type: PixKeyType, raw: string): Result<PixKey> {
    if (!isPixKeyType(type)) return fail('PIX_KEY_TYPE_UNKNOWN', { field: 'keyType' });
    if (typeof raw !== 'string') return invalid(type);
    const value = normalise(type, raw);
    if (value === null || value.length > PIX_KEY_MAX_LENGTH) return invalid(type);
    return ok(new PixKey(type, value));
  }

  static of(type: PixKeyType, raw: string): PixKey {
    return unwrap(PixKey.parse(type, raw));
  }

  /** "Send by key" screen: detects the type, then parses. */
  static detect(raw: string): Result<PixKey> {
    const type = detectPixKeyType(raw);
    return type === null ? fail('PIX_KEY_TYPE_UNKNOWN', { field: 'key' }) : PixKey.parse(type, raw);
  }

  /** Masked for confirmation screens. EVP keys are random, not personal data: shown whole. */
  mask(): string {
    switch (this.type) {
      case 'CPF':
        return Cpf.of(this.value).mask();
      case 'EMAIL':
        return Email.of(this.value).mask();
      case 'PHONE':
        return Phone.of(this.value).mask();
      case 'EVP':
        return this.value;
    }
  }

  equals(other: PixKey): boolean {
    return this.type === other.type && this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): { type: PixKeyType; value: string } {
    return { type: this.type, value: this.value };
  }
}

function invalid(type: PixKeyType): Result<never> {
  return fail('PIX_KEY_INVALID', { field: 'key', message: INVALID_MESSAGES[type] });
}

function normalise(type: PixKeyType, raw: string): string | null {
  switch (type) {
    case 'CPF':
      return valueOrNull(Cpf.parse(raw));
    case 'EMAIL':
      return valueOrNull(Email.parse(raw));
    case 'PHONE':
      return valueOrNull(Phone.parse(raw), (phone) => phone.toE164());
    case 'EVP': {
      const evp = raw.trim().toLowerCase();
      return UUID_V4.test(evp) ? evp : null;
    }
  }
}

function valueOrNull<T extends { toString(): string }>(
  result: Result<T>,
  project: (value: T) => string = (value) => value.toString(),
): string | null {
  return result.ok ? project(result.value) : null;
}

/**
 * Guesses the key type typed into the "send by key" field:
 * - UUID shape → EVP; contains `@` → EMAIL; starts with `+` or has parentheses → PHONE;
 *   `000.000.000-00` → CPF;
 * - 11 bare digits are ambiguous (CPF or DDD + mobile): a valid CPF wins, else a valid
 *   mobile is a PHONE, else CPF (so the customer is told the CPF is invalid).
 *   To pay a phone key whose digits also form a valid CPF, type it with `+55` or `( )`.
 * - other digit strings that form a Brazilian mobile (`+55`/`55`/`0` prefixes) → PHONE.
 * Returns null when nothing fits.
 */
export function detectPixKeyType(raw: string): PixKeyType | null {
  if (typeof raw !== 'string') return null;
  const input = raw.trim();
  if (input.length === 0) return null;
  if (UUID_SHAPE.test(input)) return 'EVP';
  if (input.includes('@')) return 'EMAIL';
  if (input.startsWith('+') || input.includes('(')) return 'PHONE';
  if (FORMATTED_CPF.test(input)) return 'CPF';
  return detectFromDigits(input.replace(PHONE_PUNCTUATION, ''));
}

function detectFromDigits(digits: string): PixKeyType | null {
  if (!/^\d+$/.test(digits)) return null;
  if (digits.length === 11 && Cpf.isValid(digits)) return 'CPF';
  if (Phone.parse(digits).ok) return 'PHONE';
  return digits.length === 11 ? 'CPF' : null;
}

export function canRegisterAnotherKey(currentKeyCount: number): boolean {
  return currentKeyCount < MAX_KEYS_PER_ACCOUNT;
}

export function checkCanRegisterKey(currentKeyCount: number): Result<void> {
  return canRegisterAnotherKey(currentKeyCount) ? ok() : fail('PIX_KEY_LIMIT_REACHED', { field: 'key' });
}

/** A CPF key must be the account holder's own CPF. Other key types pass. */
export function checkCpfKeyBelongsToHolder(key: PixKey, holderCpf: Cpf): Result<void> {
  if (key.type !== 'CPF' || key.value === holderCpf.value) return ok();
  return fail('PIX_KEY_CPF_NOT_HOLDER', { field: 'key' });
}

/** Throwing variant of `checkCpfKeyBelongsToHolder`. */
export function assertCpfKeyBelongsToHolder(key: PixKey, holderCpf: Cpf): void {
  unwrap(checkCpfKeyBelongsToHolder(key, holderCpf));
}

/**
 * EVP keys are never chosen by the customer: the bank (standing in for the DICT) generates
 * them. `uuid` is injected (e.g. `crypto.randomUUID`) to keep this function pure.
 * Throws if the generator does not return a UUID v4.
 */
export function generateEvpKey(uuid: () => string): PixKey {
  const result = PixKey.parse('EVP', uuid());
  if (!result.ok) invalidArgument('uuid() must return a UUID v4', 'uuid');
  return result.value;
}
