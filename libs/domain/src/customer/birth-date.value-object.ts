import { fail, ok, unwrap, type Result } from '../shared/result.util';
import { toSaoPauloDateTime } from '../time/sao-paulo-time.util';

export const MINIMUM_CUSTOMER_AGE = 18;
const EARLIEST_YEAR = 1900;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const BR_DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;

/** A calendar date of birth (no time, no zone). */
export class BirthDate {
  private constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {}

  /** Accepts ISO `1990-05-17` and Brazilian `17/05/1990`. Must be a real date from 1900 on. */
  static parse(input: string, field = 'birthDate'): Result<BirthDate> {
    if (typeof input !== 'string') return fail('BIRTH_DATE_INVALID', { field });
    const parts = splitDate(input.trim());
    if (!parts || !isRealDate(parts.year, parts.month, parts.day) || parts.year < EARLIEST_YEAR) {
      return fail('BIRTH_DATE_INVALID', { field });
    }
    return ok(new BirthDate(parts.year, parts.month, parts.day));
  }

  static of(input: string): BirthDate {
    return unwrap(BirthDate.parse(input));
  }

  /**
   * Completed years on the São Paulo calendar day of `at`.
   * Someone born on 29 February completes a year on 1 March in common years: the
   * birthday "has passed" only once (month, day) > (2, 28). This matches Código Civil
   * art. 132 §3º (a term ending on a missing day ends on the next day).
   */
  ageOn(at: Date): number {
    const today = toSaoPauloDateTime(at);
    const hadBirthday = today.month > this.month || (today.month === this.month && today.day >= this.day);
    return today.year - this.year - (hadBirthday ? 0 : 1);
  }

  isInFutureOf(at: Date): boolean {
    return this.ageOn(at) < 0;
  }

  isAdultOn(at: Date, minimumAge = MINIMUM_CUSTOMER_AGE): boolean {
    return this.ageOn(at) >= minimumAge;
  }

  /** `yyyy-MM-dd` */
  toIsoString(): string {
    return `${String(this.year).padStart(4, '0')}-${pad2(this.month)}-${pad2(this.day)}`;
  }

  toJSON(): string {
    return this.toIsoString();
  }
}

/** Onboarding rule: the customer must be at least 18 on `at` (São Paulo calendar). */
export function checkAdult(birthDate: BirthDate, at: Date, minimumAge = MINIMUM_CUSTOMER_AGE): Result<void> {
  if (birthDate.isInFutureOf(at)) return fail('BIRTH_DATE_IN_FUTURE', { field: 'birthDate' });
  if (!birthDate.isAdultOn(at, minimumAge)) return fail('CUSTOMER_UNDERAGE', { field: 'birthDate' });
  return ok();
}

function splitDate(input: string): { year: number; month: number; day: number } | null {
  const iso = ISO_DATE.exec(input);
  if (iso) return { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
  const br = BR_DATE.exec(input);
  if (br) return { year: Number(br[3]), month: Number(br[2]), day: Number(br[1]) };
  return null;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
