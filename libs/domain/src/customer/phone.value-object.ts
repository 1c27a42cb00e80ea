import { fail, ok, unwrap, type Result } from '../shared/result.util';

/** Area codes (DDD) in use in Brazil (Anatel numbering plan). */
export const BRAZILIAN_DDDS: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', '16', '17', '18', '19',
  '21', '22', '24', '27', '28',
  '31', '32', '33', '34', '35', '37', '38',
  '41', '42', '43', '44', '45', '46', '47', '48', '49',
  '51', '53', '54', '55',
  '61', '62', '63', '64', '65', '66', '67', '68', '69',
  '71', '73', '74', '75', '77', '79',
  '81', '82', '83', '84', '85', '86', '87', '88', '89',
  '91', '92', '93', '94', '95', '96', '97', '98', '99',
]);

const COUNTRY_CODE = '55';
/** DDD (2) + mobile number (9 digits, starting with 9). */
const NATIONAL_MOBILE = /^(\d{2})(9\d{8})$/;
const ALLOWED_INPUT = /^\+?[\d\s().-]+$/;

/**
 * A Brazilian mobile number. Accepted inputs: `(11) 98888-7777`, `11988887777`,
 * `+5511988887777`, `+55 11 98888-7777`, `5511988887777`, `011988887777` (trunk 0).
 * Landlines are rejected: PIX phone keys and SMS codes need a mobile.
 */
export class Phone {
  private constructor(
    readonly ddd: string,
    readonly number: string,
  ) {}

  static parse(input: string, field = 'phone'): Result<Phone> {
    if (typeof input !== 'string') return fail('PHONE_INVALID', { field });
    const national = toNationalDigits(input.trim());
    const match = national === null ? null : NATIONAL_MOBILE.exec(national);
    if (!match) return fail('PHONE_INVALID', { field });
    const [, ddd = '', number = ''] = match;
    if (!BRAZILIAN_DDDS.has(ddd)) return fail('PHONE_INVALID', { field });
    return ok(new Phone(ddd, number));
  }

  static of(input: string): Phone {
    return unwrap(Phone.parse(input));
  }

  /** `+5511988887777` (the DICT key form). */
  toE164(): string {
    return `+${COUNTRY_CODE}${this.ddd}${this.number}`;
  }

  /** `(11) 98888-7777` */
  format(): string {
    return `(${this.ddd}) ${this.number.slice(0, 5)}-${this.number.slice(5)}`;
  }

  /** `(11) *****-7777`: DDD and the last four digits kept. */
  mask(): string {
    return `(${this.ddd}) *****-${this.number.slice(5)}`;
  }

  equals(other: Phone): boolean {
    return this.toE164() === other.toE164();
  }

  toString(): string {
    return this.toE164();
  }

  toJSON(): string {
    return this.toE164();
  }
}

/** Strips punctuation and the country/trunk prefix; null when the shape is not a phone. */
function toNationalDigits(input: string): string | null {
  if (!ALLOWED_INPUT.test(input)) return null;
  const hasPlus = input.startsWith('+');
  const digits = input.replace(/\D/g, '');
  if (hasPlus) return digits.startsWith(COUNTRY_CODE) ? digits.slice(COUNTRY_CODE.length) : null;
  if (digits.length === 13 && digits.startsWith(COUNTRY_CODE)) return digits.slice(COUNTRY_CODE.length);
  if (digits.length === 12 && digits.startsWith('0')) return digits.slice(1);
  return digits;
}
