import { fail, ok, unwrap, type Result } from '../shared/result.util';

export const PERSON_NAME_MAX_LENGTH = 120;

/** Letters (any script, with accents), apostrophes, hyphens and dots; words split by one space. */
const NAME_WORD = /^[\p{L}\p{M}][\p{L}\p{M}'’.-]*$/u;

/** Connectives that are not surnames ("Maria da Silva"). */
const PARTICLES = new Set(['da', 'das', 'de', 'di', 'do', 'dos', 'du', 'e', "d'", 'van', 'von', 'del', 'la', 'le']);
/** Generational suffixes that are not surnames ("João Santos Filho"). */
const SUFFIXES = new Set(['filho', 'filha', 'neto', 'neta', 'sobrinho', 'sobrinha', 'junior', 'júnior', 'jr', 'jr.']);

/**
 * A person's full legal name: trimmed, inner whitespace collapsed, at least two words
 * (given name and a surname), at most 120 characters.
 */
export class PersonName {
  private constructor(readonly value: string) {}

  static parse(input: string, field = 'name'): Result<PersonName> {
    if (typeof input !== 'string') return fail('PERSON_NAME_INVALID', { field });
    const normalised = normaliseSpaces(input);
    const words = normalised.split(' ');
    const valid =
      normalised.length <= PERSON_NAME_MAX_LENGTH && words.length >= 2 && words.every((w) => NAME_WORD.test(w));
    return valid ? ok(new PersonName(normalised)) : fail('PERSON_NAME_INVALID', { field });
  }

  static of(input: string): PersonName {
    return unwrap(PersonName.parse(input));
  }

  get firstName(): string {
    return this.value.split(' ')[0] ?? this.value;
  }

  /** See `maskPersonName`. */
  mask(): string {
    return maskPersonName(this.value);
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}

/**
 * Masks a name for the PIX confirmation screen, so the payer can recognise the payee
 * without the full name being disclosed:
 *
 *   first word in full + " " + initial of the last surname + "***"
 *
 * The "last surname" is the last word that is neither a particle (da, de, dos, …) nor a
 * generational suffix (Filho, Neto, Júnior, …). Examples:
 *   "Maria da Silva Souza" → "Maria S***", "João Santos Filho" → "João S***",
 *   "Ana" → "Ana" (nothing to hide), "" → "".
 * Works on any string (names returned by the DICT are not re-validated).
 */
export function maskPersonName(name: string): string {
  const words = normaliseSpaces(name).split(' ').filter((w) => w.length > 0);
  const [first, ...rest] = words;
  if (first === undefined) return '';
  const surname = [...rest].reverse().find(isSurname) ?? rest[rest.length - 1];
  if (surname === undefined) return first;
  return `${first} ${surname.charAt(0).toLocaleUpperCase('pt-BR')}***`;
}

function isSurname(word: string): boolean {
  const lower = word.toLocaleLowerCase('pt-BR');
  return !PARTICLES.has(lower) && !SUFFIXES.has(lower);
}

function normaliseSpaces(input: string): string {
  return input.trim().replace(/\s+/g, ' ');
}
