import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/domain.error';
import { Cpf, cpfCheckDigit, generateCpf } from './cpf.value-object';

/** Deterministic pseudo-random source (LCG) for reproducible tests. */
function seededRandomInt(seed: number): (max: number) => number {
  let state = seed;
  return (max) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % max;
  };
}

describe('Cpf.parse', () => {
  it.each(['52998224725', '529.982.247-25', '  529.982.247-25 ', '11144477735', '111.444.777-35'])(
    'accepts %j',
    (input) => {
      const result = Cpf.parse(input);
      expect(result.ok).toBe(true);
    },
  );

  it('normalises to digits only', () => {
    expect(Cpf.of('529.982.247-25').value).toBe('52998224725');
  });

  it.each([
    '52998224724', // wrong second check digit
    '52998224715', // wrong first check digit
    '00000000000',
    '11111111111',
    '99999999999',
    '000.000.000-00',
    '5299822472', // 10 digits
    '529982247250', // 12 digits
    '529.982.24725', // half formatted
    '529-982-247-25',
    '529 982 247 25',
    '5299822472a',
    '',
  ])('rejects %j', (input) => {
    const result = Cpf.parse(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('CPF_INVALID');
      expect(result.error.field).toBe('cpf');
      expect(result.error.message).toBe('CPF inválido.');
    }
  });

  it('Cpf.of throws a DomainError', () => {
    expect(() => Cpf.of('123')).toThrow(DomainError);
  });

  it('isValid is a boolean shortcut', () => {
    expect(Cpf.isValid('52998224725')).toBe(true);
    expect(Cpf.isValid('52998224726')).toBe(false);
  });
});

describe('Cpf formatting', () => {
  const cpf = Cpf.of('52998224725');

  it('formats as 000.000.000-00', () => {
    expect(cpf.format()).toBe('529.982.247-25');
  });

  it('masks as ***.xxx.xxx-** showing digits 4 to 9', () => {
    expect(cpf.mask()).toBe('***.982.247-**');
    expect(Cpf.of('123.456.789-09').mask()).toBe('***.456.789-**');
  });

  it('serialises as digits', () => {
    expect(JSON.stringify({ cpf })).toBe('{"cpf":"52998224725"}');
    expect(String(cpf)).toBe('52998224725');
  });

  it('compares by value', () => {
    expect(cpf.equals(Cpf.of('529.982.247-25'))).toBe(true);
    expect(cpf.equals(Cpf.of('11144477735'))).toBe(false);
  });
});

describe('cpfCheckDigit', () => {
  it('computes both check digits of a known CPF', () => {
    expect(cpfCheckDigit('529982247')).toBe(2);
    expect(cpfCheckDigit('5299822472')).toBe(5);
  });

  it('gives 0 when the remainder is below 2', () => {
    // 123456789: sum = 210, 210 % 11 = 1 → 0
    expect(cpfCheckDigit('123456789')).toBe(0);
  });
});

describe('generateCpf', () => {
  it('generates valid CPFs from a random source', () => {
    const random = seededRandomInt(42);
    for (let i = 0; i < 200; i++) {
      const cpf = generateCpf(random);
      expect(Cpf.isValid(cpf.value)).toBe(true);
    }
  });

  it('is deterministic for a given source', () => {
    expect(generateCpf(seededRandomInt(7)).value).toBe(generateCpf(seededRandomInt(7)).value);
  });

  it('never produces an all-equal CPF, even from a constant source', () => {
    for (let digit = 0; digit < 10; digit++) {
      const cpf = generateCpf(() => digit);
      expect(Cpf.isValid(cpf.value)).toBe(true);
      expect(/^(\d)\1{10}$/.test(cpf.value)).toBe(false);
    }
  });

  it('asks the source for digits below 10', () => {
    const asked: number[] = [];
    generateCpf((max) => {
      asked.push(max);
      return 3;
    });
    expect(asked).toEqual(Array.from({ length: 9 }, () => 10));
  });

  it.each([10, -1, 1.5, Number.NaN])('rejects a source returning %s', (value) => {
    expect(() => generateCpf(() => value)).toThrow(DomainError);
  });
});
