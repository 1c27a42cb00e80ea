import { DomainError } from './domain.error';

/** Success branch of a Result. */
export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

/** Failure branch of a Result. */
export interface Err<E> {
  readonly ok: false;
  readonly error: E;
}

/** Expected failures travel as values; only bugs and infrastructure faults are thrown. */
export type Result<T, E = DomainError> = Ok<T> | Err<E>;

export function ok(): Ok<void>;
export function ok<T>(value: T): Ok<T>;
export function ok<T>(value?: T): Ok<T | undefined> {
  return { ok: true, value };
}

export function err<E = DomainError>(error: E): Err<E> {
  return { ok: false, error };
}

/** Returns the value or throws the error (the `X.of()` convenience factories use this). */
export function unwrap<T, E>(result: Result<T, E>): T {
  if (result.ok) return result.value;
  throw result.error;
}

export function mapResult<T, U, E>(result: Result<T, E>, fn: (value: T) => U): Result<U, E> {
  return result.ok ? ok(fn(result.value)) : result;
}

/** Shorthand for `err(new DomainError(...))`. */
export function fail(...args: ConstructorParameters<typeof DomainError>): Err<DomainError> {
  return err(new DomainError(...args));
}
