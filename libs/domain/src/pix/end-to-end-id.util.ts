import { invalidArgument } from '../shared/domain.error';
import { fail, ok, type Result } from '../shared/result.util';
import { assertValidDate } from '../time/sao-paulo-time.util';

/**
 * KRT Bank's ISPB. FICTITIOUS: KRT Bank is not a BACEN participant, so this is a
 * placeholder 8-digit code that matches the format but belongs to no real institution.
 */
export const KRT_ISPB = '99999999';
export const KRT_BANK_NAME = 'KRT Bank';

export const END_TO_END_ID_LENGTH = 32;

/**
 * `E` + ISPB (8) + yyyyMMddHHmm (UTC, 12) + 11 alphanumerics = 32 characters.
 * Same pattern as Open Finance Brasil's `endToEndId`.
 */
const END_TO_END_ID =
  /^E(\d{8})(\d{4})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(2[0-3]|[01]\d)([0-5]\d)([a-zA-Z0-9]{11})$/;
const ISPB = /^\d{8}$/;
const SEQUENCE = /^[a-zA-Z0-9]{11}$/;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface ParsedEndToEndId {
  readonly ispb: string;
  /** The minute the id was created (UTC). */
  readonly createdAt: Date;
  readonly sequence: string;
}

/** Builds an EndToEndId. Arguments come from the caller (clock, randomness): throws on bad ones. */
export function generateEndToEndId(ispb: string, now: Date, random11: string): string {
  if (!ISPB.test(ispb)) invalidArgument('ispb must be 8 digits', 'ispb');
  if (!SEQUENCE.test(random11)) invalidArgument('random11 must be 11 alphanumerics', 'random11');
  assertValidDate(now, 'now');
  const year = now.getUTCFullYear();
  if (year < 1000 || year > 9999) invalidArgument('year out of range', 'now');
  return `E${ispb}${utcStamp(now)}${random11}`;
}

/**
 * The identification of a PIX devolução (BACEN's RtrId): the EndToEndId's layout with `D` in place of `E` —
 * `D` + ISPB (8) + yyyyMMddHHmm (UTC, 12) + 11 alphanumerics.
 */
export function generateReturnId(ispb: string, now: Date, random11: string): string {
  return `D${generateEndToEndId(ispb, now, random11).slice(1)}`;
}

/** 11 random alphanumerics from an injected source (`randomInt(62)` ∈ [0, 62)). */
export function randomAlphanumeric11(randomInt: (maxExclusive: number) => number): string {
  let out = '';
  for (let i = 0; i < 11; i++) {
    const index = randomInt(ALPHANUMERIC.length);
    const char = ALPHANUMERIC.charAt(index);
    if (!Number.isInteger(index) || char === '') invalidArgument('randomInt returned an out-of-range value');
    out += char;
  }
  return out;
}

export function isValidEndToEndId(id: string): boolean {
  return parseEndToEndId(id).ok;
}

/** Validates shape and that the timestamp is a real calendar date (no 31 February). */
export function parseEndToEndId(id: string): Result<ParsedEndToEndId> {
  const match = typeof id === 'string' ? END_TO_END_ID.exec(id) : null;
  if (!match) return fail('END_TO_END_ID_INVALID', { field: 'endToEndId' });
  const [, ispb = '', year, month, day, hour, minute, sequence = ''] = match.map((part) => part ?? '');
  const createdAt = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute)));
  if (createdAt.getUTCDate() !== Number(day)) return fail('END_TO_END_ID_INVALID', { field: 'endToEndId' });
  return ok({ ispb, createdAt, sequence });
}

function utcStamp(at: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${at.getUTCFullYear()}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}${p(at.getUTCHours())}${p(at.getUTCMinutes())}`;
}
