import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/domain.error';
import { EMAIL_MAX_LENGTH, Email } from './email.value-object';

function codeOf(input: string): string | undefined {
  const result = Email.parse(input);
  return result.ok ? undefined : result.error.code;
}

describe('Email.parse', () => {
  it.each([
    ['joao@example.com', 'joao@example.com'],
    ['  Joao.Silva@Example.COM ', 'joao.silva@example.com'],
    ['maria+pix@krt.com.br', 'maria+pix@krt.com.br'],
    ['a_b-c@sub-domain.example.org', 'a_b-c@sub-domain.example.org'],
    ['x@y.io', 'x@y.io'],
  ])('accepts %j as %j', (input, expected) => {
    expect(Email.of(input).value).toBe(expected);
  });

  it.each([
    'plainaddress',
    '@example.com',
    'joao@',
    'joao@example',
    'joao@@example.com',
    'jo ao@example.com',
    '.joao@example.com',
    'joao.@example.com',
    'jo..ao@example.com',
    'joao@-example.com',
    'joao@example-.com',
    'joao@example..com',
    'joao@example.c',
    'joao@example.123',
    'joão@example.com',
    'joao@exa_mple.com',
    '',
  ])('rejects %j', (input) => {
    expect(codeOf(input)).toBe('EMAIL_INVALID');
  });

  it('accepts exactly 77 characters and rejects 78', () => {
    // 52-char local part + "@" + 24-char domain = 77
    const local = 'a'.repeat(52);
    const longDomain = 'b'.repeat(20) + '.com';
    const address77 = `${local}@${longDomain}`;
    expect(address77).toHaveLength(EMAIL_MAX_LENGTH);
    expect(Email.parse(address77).ok).toBe(true);
    expect(codeOf(`a${address77}`)).toBe('EMAIL_TOO_LONG');
  });

  it('measures the length after trimming', () => {
    const address77 = `${'a'.repeat(52)}@${'b'.repeat(20)}.com`;
    expect(Email.parse(`   ${address77}   `).ok).toBe(true);
  });

  it('rejects a local part longer than 64 characters', () => {
    expect(codeOf(`${'a'.repeat(65)}@x.io`)).toBe('EMAIL_INVALID');
    expect(Email.parse(`${'a'.repeat(64)}@x.io`).ok).toBe(true);
  });

  it('Email.of throws', () => {
    expect(() => Email.of('nope')).toThrow(DomainError);
  });
});

describe('Email accessors and mask', () => {
  const email = Email.of('Joao.Silva@Example.com');

  it('splits local part and domain', () => {
    expect(email.localPart).toBe('joao.silva');
    expect(email.domain).toBe('example.com');
  });

  it('masks as j***@example.com', () => {
    expect(email.mask()).toBe('j***@example.com');
    expect(Email.of('x@y.io').mask()).toBe('x***@y.io');
  });

  it('compares by normalised value', () => {
    expect(email.equals(Email.of('joao.silva@example.com'))).toBe(true);
    expect(JSON.stringify(email)).toBe('"joao.silva@example.com"');
  });
});
