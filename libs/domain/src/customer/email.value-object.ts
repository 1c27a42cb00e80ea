import { fail, ok, unwrap, type Result } from '../shared/result.util';

/** DICT limit for an e-mail key, also applied to customer e-mails so any can become a key. */
export const EMAIL_MAX_LENGTH = 77;
const LOCAL_PART_MAX_LENGTH = 64;

// Pragmatic RFC 5321/5322 subset: dot-atom local part, hostname labels, alphabetic TLD.
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** An e-mail address, trimmed and lower-cased (the DICT key form). */
export class Email {
  private constructor(readonly value: string) {}

  static parse(input: string, field = 'email'): Result<Email> {
    if (typeof input !== 'string') return fail('EMAIL_INVALID', { field });
    const normalised = input.trim().toLowerCase();
    if (normalised.length > EMAIL_MAX_LENGTH) return fail('EMAIL_TOO_LONG', { field });
    if (!isWellFormed(normalised)) return fail('EMAIL_INVALID', { field });
    return ok(new Email(normalised));
  }

  static of(input: string): Email {
    return unwrap(Email.parse(input));
  }

  get localPart(): string {
    return this.value.slice(0, this.value.lastIndexOf('@'));
  }

  get domain(): string {
    return this.value.slice(this.value.lastIndexOf('@') + 1);
  }

  /** `joao.silva@example.com` → `j***@example.com` (first character of the local part kept). */
  mask(): string {
    return `${this.localPart.charAt(0)}***@${this.domain}`;
  }

  equals(other: Email): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}

function isWellFormed(email: string): boolean {
  const at = email.lastIndexOf('@');
  if (at <= 0) return false;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  return local.length <= LOCAL_PART_MAX_LENGTH && LOCAL_PART.test(local) && DOMAIN.test(domain);
}
