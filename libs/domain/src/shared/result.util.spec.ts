import { describe, expect, it } from 'vitest';
import { DomainError, isDomainError } from './domain.error';
import { err, fail, mapResult, ok, unwrap } from './result.util';

describe('Result helpers', () => {
  it('ok and err build the two branches', () => {
    expect(ok(1)).toEqual({ ok: true, value: 1 });
    expect(ok()).toEqual({ ok: true, value: undefined });
    const error = new DomainError('CPF_INVALID');
    expect(err(error)).toEqual({ ok: false, error });
  });

  it('unwrap returns the value or throws the error', () => {
    expect(unwrap(ok('x'))).toBe('x');
    expect(() => unwrap(fail('CEP_INVALID'))).toThrow(DomainError);
  });

  it('mapResult maps only successes', () => {
    expect(mapResult(ok(2), (n) => n * 3)).toEqual({ ok: true, value: 6 });
    const failure = fail('CEP_INVALID');
    expect(mapResult(failure, () => 1)).toBe(failure);
  });
});

describe('DomainError', () => {
  it('carries code, catalogue message, field and details', () => {
    const error = new DomainError('CPF_INVALID', { field: 'cpf' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DomainError');
    expect(error.code).toBe('CPF_INVALID');
    expect(error.message).toBe('CPF inválido.');
    expect(error.field).toBe('cpf');
    expect(error.details).toEqual([]);
    expect(isDomainError(error)).toBe(true);
    expect(isDomainError(new Error('x'))).toBe(false);
  });

  it('accepts a custom message', () => {
    expect(new DomainError('LIMIT_DAILY_EXCEEDED', { message: 'Outro texto.' }).message).toBe('Outro texto.');
  });

  it('serialises to JSON without empty optional fields', () => {
    expect(JSON.parse(JSON.stringify(new DomainError('CEP_INVALID')))).toEqual({
      code: 'CEP_INVALID',
      message: 'CEP inválido.',
    });
    const detailed = new DomainError('PASSWORD_POLICY_VIOLATION', {
      field: 'password',
      details: [{ code: 'PASSWORD_TOO_SHORT', message: 'curta' }],
    });
    expect(JSON.parse(JSON.stringify(detailed))).toEqual({
      code: 'PASSWORD_POLICY_VIOLATION',
      message: 'A senha não atende à política de segurança.',
      field: 'password',
      details: [{ code: 'PASSWORD_TOO_SHORT', message: 'curta' }],
    });
  });
});
