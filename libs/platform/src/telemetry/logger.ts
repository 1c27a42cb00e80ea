// Structured JSON logs (pino) with the service name; personal data and secrets are redacted by key and by pattern.
import pino, { type Logger } from 'pino';
import { traceFields } from './telemetry';

export type { Logger };

/** Keys whose values never reach a log line. */
export const REDACTED_KEYS = [
  'password', 'senha', 'token', 'accessToken', 'access_token', 'refreshToken', 'refresh_token', 'idToken', 'id_token',
  'client_secret', 'clientSecret', 'secret', 'authorization', 'cookie', 'set-cookie', 'cpf', 'email', 'phone', 'telefone',
  // The transaction PIN (issue #23) under its wire and code names; 'pin' is not a key fragment ('mapping', 'spinner').
  'pin', 'newPin', 'newpin', 'currentPin', 'currentpin',
];

const CPF_RE = /\b\d{3}\.?\d{3}\.?\d{3}-?\d{2}\b/g;
const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Not when the digits go on as a UUID's next group: '55650352-3072-4d35-…' (about one UUID in 11,000) is an id, and
// masking it broke the search for that transfer's or event's id in the logs.
const PHONE_RE = /\+?55\s?\(?\d{2}\)?\s?9?\d{4}-?\d{4}\b(?!-[0-9A-Fa-f]{4}-)/g;
/** A whole string that is a UUID (the ids of transfers, events, requests): no personal data, returned as it is. */
const UUID_RE = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
const JWT_RE = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const BEARER_RE = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;

/** Key fragments that mark a value as sensitive wherever they appear in a key (`payerCpf`, `newPassword`, `x-api-token`). */
const SENSITIVE_KEY_PARTS = ['password', 'senha', 'token', 'secret', 'authorization', 'cookie', 'cpf', 'email', 'phone', 'telefone', 'celular', 'transactionpin', 'pinhash', 'pin_hash'];

/** True when a key's value must never reach a log line. */
export function isSensitiveKey(key: string): boolean {
  if (REDACTED_KEYS.includes(key)) return true;
  const k = key.toLowerCase();
  return REDACTED_KEYS.includes(k) || SENSITIVE_KEY_PARTS.some((part) => k.includes(part));
}

/** The masks, in the order they apply (a JWT inside a bearer header is masked as a token first). */
const MASKS: ReadonlyArray<readonly [RegExp, string]> = [
  [JWT_RE, '[token]'],
  [BEARER_RE, '$1 [token]'],
  [EMAIL_RE, '[email]'],
  [PHONE_RE, '[phone]'],
  [CPF_RE, '[cpf]'],
];

/**
 * A cheap test that every text one of the masks can match passes (an `@`, `eyJ`, `Bearer`/`Basic`, six digits in a row
 * or split by one dot, or `dddd-dddd`): the common text with none of them skips the five replacements, which cost
 * microseconds per string (the e-mail pattern alone backtracks over every word).
 */
const MAYBE_SENSITIVE_RE = /@|eyJ|bearer|basic|\d{3}\.?\d{3}|\d{4}-\d{4}/i;

/** Every mask applied, without the quick pre-test (`scrub` must always give the same text; tests compare the two). */
export function applyMasks(text: string): string {
  let out = text;
  for (const [re, by] of MASKS) out = out.replace(re, by);
  return out;
}

/** Masks CPF, e-mail, phone, JWT and bearer-token patterns inside free text (messages, URLs, error texts). */
export function scrub(text: string): string {
  // A UUID often has six digits in a row, which sent it through the five masks: 1.5 % of the BFF's CPU on a read, for
  // the request logger's correlation id alone (a profile of the bench, 2026-12-07).
  if (text.length === 36 && UUID_RE.test(text)) return text;
  return MAYBE_SENSITIVE_RE.test(text) ? applyMasks(text) : text;
}

export function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { type: value.name, message: scrub(value.message), stack: value.stack ? scrub(value.stack) : undefined };
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSensitiveKey(k) ? '[redacted]' : scrubDeep(v, depth + 1);
  }
  return out;
}

export interface LoggerOptions {
  level?: string;
  /** Where lines go (tests pass a stream to read them). Defaults to stdout. */
  destination?: pino.DestinationStream;
  mixin?: () => Record<string, unknown>;
}

export function createLogger(service: string, opts: LoggerOptions = {}): Logger {
  const logger = pino(
    {
      level: opts.level ?? process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      messageKey: 'msg',
      // Every line carries the active span's traceId/spanId (empty when nothing is traced).
      mixin: opts.mixin ? () => ({ ...traceFields(), ...opts.mixin!() }) : traceFields,
      hooks: {
        logMethod(args, method) {
          const cleaned = args.map((a) => scrubDeep(a)) as Parameters<typeof method>;
          method.apply(this, cleaned);
        },
      },
    },
    opts.destination,
  );
  // Child-logger bindings (`logger.child({ email })`) bypass the logMethod hook: scrub them on the way in.
  // Children inherit this override through their prototype, so grandchildren are covered too.
  type ChildFn = (this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => Logger;
  const pinoChild = logger.child as unknown as ChildFn;
  const scrubbingChild: ChildFn = function child(bindings, options) {
    return pinoChild.call(this, scrubDeep(bindings) as pino.Bindings, options);
  };
  logger.child = scrubbingChild as unknown as typeof logger.child;
  return logger;
}
