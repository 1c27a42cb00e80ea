// Holds a registration password until the Keycloak user exists (see the `provisioning` table).
//
// Why the password is kept at all: it is used exactly once, to create the Keycloak user. When Keycloak is
// down at approval time, or the application waits for a manual review, provisioning must finish later
// without asking the customer again. So the password is held only as AES-256-GCM ciphertext (random
// 96-bit IV, the customer id as associated data so a ciphertext cannot be moved to another row) under a key
// from configuration (ONBOARDING_SECRET_KEY), and the column is set to NULL as soon as the Keycloak user
// exists or the application is rejected. It is never stored in clear, logged, or returned.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 1;

/** Parses the key: 64 hex characters or base64 of 32 bytes. */
export function parseSecretKey(value: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error('ONBOARDING_SECRET_KEY must be 32 bytes (64 hex characters or base64)');
  return key;
}

export class PasswordVault {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    this.key = parseSecretKey(secretKey);
  }

  /** Short, non-secret id of the key (to tell keys apart in operations without revealing them). */
  get keyId(): string {
    return createHash('sha256').update(this.key).digest('hex').slice(0, 8);
  }

  seal(password: string, customerId: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(customerId));
    const ciphertext = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]);
  }

  open(sealed: Buffer, customerId: string): string {
    if (sealed[0] !== VERSION || sealed.length < 1 + IV_BYTES + TAG_BYTES) throw new Error('sealed password: unknown format');
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(Buffer.from(customerId));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
