// Session records hold OIDC tokens: they are sealed with AES-256-GCM before they reach Redis, and the Redis key is a
// hash of the session id, so a copy of Redis alone neither reveals tokens nor gives usable cookie values.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealer {
  seal(plaintext: string): string;
  /** Returns undefined when the value was not sealed with this key or was tampered with. */
  open(sealed: string): string | undefined;
}

/** Derives a 256-bit key from the configured secret (any length) and returns a sealer bound to it. */
export function createSealer(secret: string): Sealer {
  if (secret.length < 16) throw new Error('the session key must have at least 16 characters');
  const key = createHash('sha256').update(`krt-bff-session:${secret}`).digest();
  return {
    seal(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sealed) {
      try {
        const raw = Buffer.from(sealed, 'base64url');
        if (raw.length < IV_BYTES + TAG_BYTES) return undefined;
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** A new unguessable session id (256 bits, base64url). */
export const newSessionId = () => randomBytes(32).toString('base64url');

/** Session ids are 43 base64url characters; anything else is rejected before touching Redis. */
export const isWellFormedSessionId = (id: string) => /^[A-Za-z0-9_-]{43}$/.test(id);

/** The Redis key part for a session id: its SHA-256, so stored keys cannot be replayed as cookies. */
export const sessionKeyHash = (id: string) => createHash('sha256').update(id).digest('base64url');
