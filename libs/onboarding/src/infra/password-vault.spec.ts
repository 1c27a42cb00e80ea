import { describe, expect, it } from 'vitest';
import { PasswordVault, parseSecretKey } from './password-vault';

const KEY = 'a'.repeat(64);

describe('PasswordVault (AES-256-GCM)', () => {
  it('when sealed and opened with the same key and customer id, then the password comes back; the ciphertext does not contain it', () => {
    const vault = new PasswordVault(KEY);
    const sealed = vault.seal('Senha@Forte1', 'c-1');
    expect(sealed.toString('latin1')).not.toContain('Senha@Forte1');
    expect(vault.open(sealed, 'c-1')).toBe('Senha@Forte1');
    expect(vault.seal('Senha@Forte1', 'c-1').equals(sealed)).toBe(false); // random IV
  });

  it('when the ciphertext is moved to another customer, tampered with, or opened with another key, then it refuses', () => {
    const vault = new PasswordVault(KEY);
    const sealed = vault.seal('Senha@Forte1', 'c-1');
    expect(() => vault.open(sealed, 'c-2')).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(() => vault.open(tampered, 'c-1')).toThrow();
    expect(() => new PasswordVault('b'.repeat(64)).open(sealed, 'c-1')).toThrow();
  });

  it('accepts a 32-byte key as hex or base64 and refuses anything else', () => {
    expect(parseSecretKey(Buffer.alloc(32, 7).toString('base64')).length).toBe(32);
    expect(() => parseSecretKey('short')).toThrow(/32 bytes/);
  });
});
