import { invalidArgument } from '../shared/domain.error';

/**
 * São Paulo civil time as a fixed offset of UTC−03:00.
 *
 * Brazil abolished daylight saving time in 2019 (Decreto nº 9.772/2019), so
 * America/Sao_Paulo has been UTC−3 all year since then. A fixed offset keeps this
 * library free of time-zone databases and trivially deterministic. If DST ever returns,
 * replace `SAO_PAULO_UTC_OFFSET_MINUTES` with a lookup (e.g. Intl with
 * timeZone 'America/Sao_Paulo'); the spec cross-checks against Intl for that reason.
 * Instants before 2019 during old DST periods are not shifted by the extra hour.
 */
export const SAO_PAULO_UTC_OFFSET_MINUTES = -180;
export const SAO_PAULO_TIME_ZONE = 'America/Sao_Paulo';

const MINUTE_MS = 60_000;
const OFFSET_MS = SAO_PAULO_UTC_OFFSET_MINUTES * MINUTE_MS;
export const DAY_MS = 24 * 60 * MINUTE_MS;

/** Wall-clock fields of an instant in São Paulo. `month` is 1–12. */
export interface SaoPauloDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

export function assertValidDate(at: Date, field = 'at'): void {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) invalidArgument('expected a valid Date', field);
}

export function toSaoPauloDateTime(at: Date): SaoPauloDateTime {
  assertValidDate(at);
  const shifted = new Date(at.getTime() + OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
  };
}

/** The instant São Paulo wall-clock `year-month-day hour:minute` happens. */
export function fromSaoPauloDateTime(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute) - OFFSET_MS);
}

/** Midnight (00:00) São Paulo of the local day containing `at`. */
export function saoPauloDayStart(at: Date): Date {
  const local = toSaoPauloDateTime(at);
  return fromSaoPauloDateTime(local.year, local.month, local.day);
}

/** `yyyy-MM-dd` of the São Paulo local day containing `at`. */
export function saoPauloDateString(at: Date): string {
  const { year, month, day } = toSaoPauloDateTime(at);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

export function addMinutes(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * MINUTE_MS);
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
