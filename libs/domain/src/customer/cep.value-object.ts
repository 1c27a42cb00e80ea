import { fail, ok, unwrap, type Result } from '../shared/result.util';

const CEP = /^(\d{5})-?(\d{3})$/;

/** Brazilian postal code: 8 digits, written `01310-100`. */
export class Cep {
  private constructor(readonly value: string) {}

  /** Accepts `01310-100` and `01310100`. `00000-000` does not exist and is rejected. */
  static parse(input: string, field = 'cep'): Result<Cep> {
    if (typeof input !== 'string') return fail('CEP_INVALID', { field });
    const match = CEP.exec(input.trim());
    if (!match) return fail('CEP_INVALID', { field });
    const digits = `${match[1] ?? ''}${match[2] ?? ''}`;
    if (digits === '00000000') return fail('CEP_INVALID', { field });
    return ok(new Cep(digits));
  }

  static of(input: string): Cep {
    return unwrap(Cep.parse(input));
  }

  /** `01310-100` */
  format(): string {
    return `${this.value.slice(0, 5)}-${this.value.slice(5)}`;
  }

  equals(other: Cep): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}
