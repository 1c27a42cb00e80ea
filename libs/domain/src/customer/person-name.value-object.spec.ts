import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/domain.error';
import { maskPersonName, PersonName } from './person-name.value-object';

describe('PersonName.parse', () => {
  it.each([
    ['Maria da Silva Souza', 'Maria da Silva Souza'],
    ['  João   Pedro\tD’Ávila  ', 'João Pedro D’Ávila'],
    ["Ana O'Neil", "Ana O'Neil"],
    ['José Carlos Souza-Lima Jr.', 'José Carlos Souza-Lima Jr.'],
    ['Çağla Ünal', 'Çağla Ünal'],
  ])('accepts %j', (input, expected) => {
    expect(PersonName.of(input).value).toBe(expected);
  });

  it.each(['Maria', '', '   ', 'Maria 123', 'Maria S1lva', 'Maria @Silva', '-Maria Silva', `Ana ${'a'.repeat(120)}`])(
    'rejects %j',
    (input) => {
      const result = PersonName.parse(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('PERSON_NAME_INVALID');
    },
  );

  it('accepts up to 120 characters', () => {
    const name = `Ana ${'a'.repeat(116)}`;
    expect(name).toHaveLength(120);
    expect(PersonName.parse(name).ok).toBe(true);
  });

  it('exposes the first name', () => {
    expect(PersonName.of('Maria da Silva').firstName).toBe('Maria');
  });

  it('PersonName.of throws', () => {
    expect(() => PersonName.of('X')).toThrow(DomainError);
  });
});

describe('maskPersonName', () => {
  it.each([
    ['Maria da Silva Souza', 'Maria S***'],
    ['João Santos Filho', 'João S***'],
    ['Pedro Álvares Cabral', 'Pedro C***'],
    ['ana de oliveira', 'ana O***'],
    ['Carlos Eduardo dos Santos Júnior', 'Carlos S***'],
    ['Luiz Inácio Neto', 'Luiz I***'],
    ['Ana', 'Ana'],
    ['  Ana   Lima  ', 'Ana L***'],
    ['', ''],
    ['Maria da', 'Maria D***'],
    ['José Filho', 'José F***'],
    ['Érica Ávila', 'Érica Á***'],
  ])('%j → %j', (input, expected) => {
    expect(maskPersonName(input)).toBe(expected);
  });

  it('never reveals the surname beyond its initial', () => {
    const masked = PersonName.of('Maria da Silva Souza').mask();
    expect(masked).not.toContain('Souza');
    expect(masked).not.toContain('Silva');
  });
});
