import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/domain.error';
import { Cep } from './cep.value-object';

describe('Cep', () => {
  it.each([
    ['01310-100', '01310100'],
    ['01310100', '01310100'],
    [' 70040-010 ', '70040010'],
  ])('accepts %j', (input, digits) => {
    const cep = Cep.of(input);
    expect(cep.value).toBe(digits);
  });

  it.each(['0131-0100', '013101000', '0131010', '01310.100', '01.310-100', 'abcde-fgh', '00000-000', ''])(
    'rejects %j',
    (input) => {
      const result = Cep.parse(input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('CEP_INVALID');
        expect(result.error.field).toBe('cep');
      }
    },
  );

  it('formats as 00000-000', () => {
    expect(Cep.of('01310100').format()).toBe('01310-100');
  });

  it('compares and serialises by digits', () => {
    expect(Cep.of('01310-100').equals(Cep.of('01310100'))).toBe(true);
    expect(JSON.stringify(Cep.of('01310-100'))).toBe('"01310100"');
  });

  it('Cep.of throws', () => {
    expect(() => Cep.of('1')).toThrow(DomainError);
  });
});
