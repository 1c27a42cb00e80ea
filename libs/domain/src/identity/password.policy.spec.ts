import { describe, expect, it } from 'vitest';
import {
  checkPassword,
  PASSWORD_POLICY_KEYCLOAK,
  passwordRuleFailures,
  passwordStrength,
} from './password.policy';

const codes = (password: string, username?: string): string[] =>
  passwordRuleFailures(password, username).map((f) => f.code);

describe('PASSWORD_POLICY_KEYCLOAK', () => {
  it('is the exact realm policy string', () => {
    expect(PASSWORD_POLICY_KEYCLOAK).toBe(
      'length(8) and upperCase(1) and lowerCase(1) and digits(1) and specialChars(1) and notUsername(undefined)',
    );
  });

  it('every policy term has a rule here', () => {
    const terms = PASSWORD_POLICY_KEYCLOAK.split(' and ').map((t) => t.replace(/\(.*\)$/, ''));
    expect(terms).toEqual(['length', 'upperCase', 'lowerCase', 'digits', 'specialChars', 'notUsername']);
    expect(codes('', 'x')).toHaveLength(5); // empty fails every rule except notUsername
    expect(codes('', '')).toHaveLength(6);
  });
});

describe('checkPassword', () => {
  it.each(['Senha@123', 'Abcdef1!', 'Ção#2024x', 'Pass word1', 'Aa1-aaaa'])('accepts %j', (password) => {
    expect(checkPassword(password).ok).toBe(true);
  });

  it.each([
    ['Abcde1!', ['PASSWORD_TOO_SHORT']],
    ['abcdef1!', ['PASSWORD_NO_UPPERCASE']],
    ['ABCDEF1!', ['PASSWORD_NO_LOWERCASE']],
    ['Abcdefg!', ['PASSWORD_NO_DIGIT']],
    ['Abcdefg1', ['PASSWORD_NO_SPECIAL_CHAR']],
    ['abc', ['PASSWORD_TOO_SHORT', 'PASSWORD_NO_UPPERCASE', 'PASSWORD_NO_DIGIT', 'PASSWORD_NO_SPECIAL_CHAR']],
  ])('%j fails %j', (password, expected) => {
    expect(codes(password)).toEqual(expected);
  });

  it('returns every failure as details with Portuguese messages', () => {
    const result = checkPassword('abc');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('PASSWORD_POLICY_VIOLATION');
    expect(result.error.field).toBe('password');
    expect(result.error.details.map((d) => d.code)).toEqual([
      'PASSWORD_TOO_SHORT',
      'PASSWORD_NO_UPPERCASE',
      'PASSWORD_NO_DIGIT',
      'PASSWORD_NO_SPECIAL_CHAR',
    ]);
    expect(result.error.details[0]?.message).toBe('A senha deve ter pelo menos 8 caracteres.');
  });

  it('rejects a password equal to the username (exact, like Keycloak)', () => {
    expect(codes('Joao@2024', 'Joao@2024')).toEqual(['PASSWORD_EQUALS_USERNAME']);
    expect(codes('Joao@2024', 'joao@2024')).toEqual([]);
    expect(checkPassword('Joao@2024', { username: 'Joao@2024' }).ok).toBe(false);
    expect(checkPassword('Joao@2024', {}).ok).toBe(true);
  });

  it('counts accented letters as letters, like Java Character', () => {
    expect(codes('ÁÉÍÓÚ1!ç')).toEqual([]);
    expect(codes('ááááá1!x')).toEqual(['PASSWORD_NO_UPPERCASE']);
  });

  it('counts spaces and symbols as special characters', () => {
    expect(codes('Abcdefg 1')).toEqual([]);
    expect(codes('Abcdefg_1')).toEqual([]);
  });

  it('measures length in UTF-16 units like Keycloak (an emoji counts 2 and is special)', () => {
    expect(codes('Ab1😀xyz')).toEqual([]); // 6 BMP chars + 2 surrogate units = 8
    expect(codes('Ab1😀xy')).toEqual(['PASSWORD_TOO_SHORT']);
  });
});

describe('passwordStrength', () => {
  it.each<[string, number]>([
    ['', 0],
    ['aaaaaaaaaaaaaaa', 0],
    ['password', 0],
    ['Senha@123', 0],
    ['12345678', 0],
    ['abc', 0],
    ['Ab1!', 1],
    ['abcdefgh', 1],
    ['abcdefghijkl', 2],
    ['Abcdefg1!', 3],
    ['abcdefg1!', 2],
    ['Tr0ub4dor&3x', 4],
    ['correct horse battery staple', 3],
    ['Correct horse battery staple 9', 4],
    ['abcdefghijklmnopqrst', 3],
  ])('%j → %i', (password, expected) => {
    expect(passwordStrength(password)).toBe(expected);
  });

  it('is always within 0..4', () => {
    for (const p of ['x', 'Xx1!', 'Xx1!Xx1!Xx1!Xx1!', '😀😀😀😀😀😀😀😀']) {
      const s = passwordStrength(p);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(4);
    }
  });

  it('a password strong enough to pass the policy scores at least 3 unless it is common', () => {
    expect(checkPassword('Zebra#Lua7').ok).toBe(true);
    expect(passwordStrength('Zebra#Lua7')).toBeGreaterThanOrEqual(3);
  });
});
