import { describe, expect, it } from 'vitest';
import { createSealer, isWellFormedSessionId, newSessionId, sessionKeyHash } from './session-crypto';

describe('session crypto', () => {
  it('when a record is sealed, then only the same key opens it and the ciphertext does not contain the plaintext', () => {
    const sealer = createSealer('a-test-key-of-enough-length');
    const sealed = sealer.seal('{"accessToken":"eyJabc"}');
    expect(sealed).not.toContain('eyJabc');
    expect(sealer.open(sealed)).toBe('{"accessToken":"eyJabc"}');
    expect(createSealer('another-key-of-enough-length').open(sealed)).toBeUndefined();
  });

  it('when the sealed value is tampered with, then it does not open', () => {
    const sealer = createSealer('a-test-key-of-enough-length');
    const sealed = sealer.seal('hello');
    const flipped = `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(sealer.open(flipped)).toBeUndefined();
    expect(sealer.open('short')).toBeUndefined();
  });

  it('when session ids are generated, then they are unique, well formed, and hashed for storage', () => {
    const a = newSessionId();
    const b = newSessionId();
    expect(a).not.toBe(b);
    expect(isWellFormedSessionId(a)).toBe(true);
    expect(isWellFormedSessionId('../../etc')).toBe(false);
    expect(sessionKeyHash(a)).not.toBe(a);
    expect(sessionKeyHash(a)).toBe(sessionKeyHash(a));
  });

  it('refuses a short key', () => {
    expect(() => createSealer('short')).toThrow();
  });
});
