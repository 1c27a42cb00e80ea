import { describe, expect, it } from 'vitest';
import { Cpf } from '../customer/cpf.value-object';
import { DomainError } from '../shared/domain.error';
import {
  assertCpfKeyBelongsToHolder,
  canRegisterAnotherKey,
  checkCanRegisterKey,
  checkCpfKeyBelongsToHolder,
  detectPixKeyType,
  generateEvpKey,
  isPixKeyType,
  MAX_KEYS_PER_ACCOUNT,
  PixKey,
  type PixKeyType,
} from './pix-key.value-object';

const EVP = '123e4567-e89b-42d3-a456-426614174000';
/** 11 digits that are both a valid CPF and a valid DDD-11 mobile. */
const AMBIGUOUS = '11900000083';

describe('PixKey.parse by declared type', () => {
  it.each<[PixKeyType, string, string]>([
    ['CPF', '529.982.247-25', '52998224725'],
    ['CPF', '52998224725', '52998224725'],
    ['EMAIL', ' Maria.Souza@Example.com ', 'maria.souza@example.com'],
    ['PHONE', '(11) 98888-7777', '+5511988887777'],
    ['PHONE', '+5511988887777', '+5511988887777'],
    ['EVP', EVP, EVP],
    ['EVP', EVP.toUpperCase(), EVP],
  ])('%s %j → %j', (type, raw, value) => {
    const key = PixKey.of(type, raw);
    expect(key.type).toBe(type);
    expect(key.value).toBe(value);
  });

  it.each<[PixKeyType, string]>([
    ['CPF', '52998224726'],
    ['CPF', '11111111111'],
    ['EMAIL', 'not-an-email'],
    ['EMAIL', `${'a'.repeat(60)}@${'b'.repeat(20)}.com`],
    ['PHONE', '(11) 3888-7777'],
    ['PHONE', '+12125550100'],
    ['EVP', '123e4567-e89b-12d3-a456-426614174000'], // version 1, not 4
    ['EVP', '123e4567-e89b-42d3-c456-426614174000'], // bad variant
    ['EVP', '123e4567e89b42d3a456426614174000'],
    ['EVP', 'not-a-uuid'],
  ])('rejects %s %j with PIX_KEY_INVALID', (type, raw) => {
    const result = PixKey.parse(type, raw);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('PIX_KEY_INVALID');
      expect(result.error.field).toBe('key');
      expect(result.error.message).toMatch(/^Chave Pix inválida/);
    }
  });

  it('rejects an unknown declared type', () => {
    const result = PixKey.parse('CNPJ' as PixKeyType, '12345678000195');
    expect(result.ok ? undefined : result.error.code).toBe('PIX_KEY_TYPE_UNKNOWN');
  });

  it('canonical values satisfy the DICT formats', () => {
    expect(PixKey.of('CPF', '529.982.247-25').value).toMatch(/^[0-9]{11}$/);
    expect(PixKey.of('PHONE', '11988887777').value).toMatch(/^\+[1-9]\d{1,14}$/);
    expect(PixKey.of('EVP', EVP.toUpperCase()).value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('PixKey.of throws', () => {
    expect(() => PixKey.of('EMAIL', 'x')).toThrow(DomainError);
  });

  it('isPixKeyType guards strings', () => {
    expect(isPixKeyType('EVP')).toBe(true);
    expect(isPixKeyType('CNPJ')).toBe(false);
    expect(isPixKeyType(3)).toBe(false);
  });
});

describe('PixKey mask, equality and JSON', () => {
  it.each<[PixKeyType, string, string]>([
    ['CPF', '12345678909', '***.456.789-**'],
    ['EMAIL', 'joao@example.com', 'j***@example.com'],
    ['PHONE', '+5511988887777', '(11) *****-7777'],
    ['EVP', EVP, EVP],
  ])('masks %s', (type, raw, masked) => {
    expect(PixKey.of(type, raw).mask()).toBe(masked);
  });

  it('equality uses type and canonical value', () => {
    expect(PixKey.of('PHONE', '(11) 98888-7777').equals(PixKey.of('PHONE', '+5511988887777'))).toBe(true);
    expect(PixKey.of('CPF', '52998224725').equals(PixKey.of('CPF', '11144477735'))).toBe(false);
  });

  it('serialises type and value', () => {
    expect(JSON.stringify(PixKey.of('EMAIL', 'A@B.CO'))).toBe('{"type":"EMAIL","value":"a@b.co"}');
  });
});

describe('detectPixKeyType', () => {
  it.each<[string, PixKeyType | null]>([
    [EVP, 'EVP'],
    [EVP.toUpperCase(), 'EVP'],
    ['123e4567-e89b-12d3-a456-426614174000', 'EVP'], // detected as EVP, rejected when parsed
    ['joao@example.com', 'EMAIL'],
    ['+5511988887777', 'PHONE'],
    ['(11) 98888-7777', 'PHONE'],
    ['11 98888-7777', 'PHONE'],
    ['11988887777', 'PHONE'],
    ['5511988887777', 'PHONE'],
    ['529.982.247-25', 'CPF'],
    ['52998224725', 'CPF'],
    [AMBIGUOUS, 'CPF'],
    [`+55${AMBIGUOUS}`, 'PHONE'],
    ['12345678901', 'CPF'], // neither valid: reported as an invalid CPF
    ['12345', null],
    ['', null],
    ['   ', null],
    ['hello world', null],
    ['12345678000195', null], // CNPJ not supported
  ])('%j → %s', (raw, expected) => {
    expect(detectPixKeyType(raw)).toBe(expected);
  });
});

describe('PixKey.detect', () => {
  it('detects and normalises', () => {
    const key = PixKey.detect(' (11) 98888-7777 ');
    expect(key.ok && key.value.toJSON()).toEqual({ type: 'PHONE', value: '+5511988887777' });
  });

  it('reports unknown types', () => {
    const result = PixKey.detect('???');
    expect(result.ok ? undefined : result.error.code).toBe('PIX_KEY_TYPE_UNKNOWN');
  });

  it('reports an invalid key of the detected type', () => {
    const result = PixKey.detect('12345678901');
    expect(result.ok ? undefined : result.error.message).toBe('Chave Pix inválida: CPF inválido.');
  });
});

describe('key registration rules', () => {
  it('allows at most 5 keys per account', () => {
    expect(MAX_KEYS_PER_ACCOUNT).toBe(5);
    expect(canRegisterAnotherKey(0)).toBe(true);
    expect(canRegisterAnotherKey(4)).toBe(true);
    expect(canRegisterAnotherKey(5)).toBe(false);
    expect(canRegisterAnotherKey(6)).toBe(false);
    expect(checkCanRegisterKey(4).ok).toBe(true);
    const full = checkCanRegisterKey(5);
    expect(full.ok ? undefined : full.error.code).toBe('PIX_KEY_LIMIT_REACHED');
  });

  it("a CPF key must be the holder's CPF", () => {
    const holder = Cpf.of('529.982.247-25');
    expect(checkCpfKeyBelongsToHolder(PixKey.of('CPF', '52998224725'), holder).ok).toBe(true);
    const other = checkCpfKeyBelongsToHolder(PixKey.of('CPF', '11144477735'), holder);
    expect(other.ok ? undefined : other.error.code).toBe('PIX_KEY_CPF_NOT_HOLDER');
    expect(() => assertCpfKeyBelongsToHolder(PixKey.of('CPF', '11144477735'), holder)).toThrow(DomainError);
    expect(() => assertCpfKeyBelongsToHolder(PixKey.of('CPF', '52998224725'), holder)).not.toThrow();
  });

  it('non-CPF keys are not checked against the holder CPF', () => {
    const holder = Cpf.of('52998224725');
    expect(checkCpfKeyBelongsToHolder(PixKey.of('EMAIL', 'a@b.co'), holder).ok).toBe(true);
  });
});

describe('generateEvpKey', () => {
  it('uses the injected generator and lower-cases', () => {
    const key = generateEvpKey(() => EVP.toUpperCase());
    expect(key.type).toBe('EVP');
    expect(key.value).toBe(EVP);
  });

  it('works with crypto.randomUUID', () => {
    const key = generateEvpKey(() => globalThis.crypto.randomUUID());
    expect(key.value).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('throws when the generator returns something else', () => {
    expect(() => generateEvpKey(() => 'abc')).toThrow(DomainError);
  });
});
