import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/domain.error';
import { BRAZILIAN_DDDS, Phone } from './phone.value-object';

describe('Phone.parse', () => {
  it.each([
    '(11) 98888-7777',
    '11988887777',
    '+5511988887777',
    '+55 11 98888-7777',
    '+55 (11) 98888-7777',
    '5511988887777',
    '011988887777',
    '11 98888.7777',
    '  (11) 98888-7777  ',
  ])('accepts %j as +5511988887777', (input) => {
    expect(Phone.of(input).toE164()).toBe('+5511988887777');
  });

  it.each([
    '(11) 3888-7777', // landline (8 digits)
    '1138887777',
    '(11) 88888-7777', // 9 digits not starting with 9
    '(10) 98888-7777', // DDD 10 does not exist
    '(20) 98888-7777',
    '(23) 98888-7777',
    '(52) 98888-7777',
    '(01) 98888-7777',
    '+1 212 555 0100', // not Brazil
    '+5411988887777', // Argentina
    '+551198888777', // one digit short
    '+55119888877777', // one digit long
    '119888877770',
    '11-98888-7777a',
    '11 98888 7777 ramal 2',
    '',
    '+',
  ])('rejects %j', (input) => {
    const result = Phone.parse(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('PHONE_INVALID');
  });

  it('accepts every listed DDD and there are 67 of them', () => {
    expect(BRAZILIAN_DDDS.size).toBe(67);
    for (const ddd of BRAZILIAN_DDDS) {
      expect(Phone.parse(`${ddd}912345678`).ok).toBe(true);
    }
  });

  it('accepts DDD 55 (RS) without confusing it with the country code', () => {
    expect(Phone.of('55991234567').toE164()).toBe('+5555991234567');
    expect(Phone.of('5555991234567').toE164()).toBe('+5555991234567');
  });

  it('Phone.of throws', () => {
    expect(() => Phone.of('123')).toThrow(DomainError);
  });
});

describe('Phone output', () => {
  const phone = Phone.of('+5521987654321');

  it('exposes DDD and number', () => {
    expect(phone.ddd).toBe('21');
    expect(phone.number).toBe('987654321');
  });

  it('formats, masks and serialises', () => {
    expect(phone.toE164()).toBe('+5521987654321');
    expect(phone.format()).toBe('(21) 98765-4321');
    expect(phone.mask()).toBe('(21) *****-4321');
    expect(JSON.stringify(phone)).toBe('"+5521987654321"');
  });

  it('E.164 output matches the DICT phone pattern', () => {
    expect(phone.toE164()).toMatch(/^\+[1-9]\d{1,14}$/);
  });

  it('compares by E.164', () => {
    expect(phone.equals(Phone.of('(21) 98765-4321'))).toBe(true);
    expect(phone.equals(Phone.of('(21) 98765-4320'))).toBe(false);
  });
});
