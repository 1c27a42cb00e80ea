// Server-side sessions in Redis. The browser holds only the session id; the record (tokens included) is sealed with
// AES-GCM and stored under a hash of the id. Its Redis TTL is the sooner of the idle timeout (sliding), the refresh
// token's expiry and the absolute lifetime.
import type { Redis } from 'ioredis';
import { tryAcquireLock } from '@krt/platform/redis-lock';
import { createSealer, isWellFormedSessionId, newSessionId, sessionKeyHash } from './session-crypto';

export interface SessionRecord {
  userId: string;
  customerId?: string;
  /** Keycloak username: the CPF digits for customers. */
  username?: string;
  name?: string;
  roles: string[];
  accessToken: string;
  refreshToken: string;
  idToken?: string;
  /** Keycloak's session id (`sid`): a back-channel logout for it ends this session. */
  keycloakSid?: string;
  /** Epoch ms. */
  accessExpiresAt: number;
  refreshExpiresAt: number;
  createdAt: number;
  absoluteExpiresAt: number;
}

export interface SessionStoreOptions {
  redis: Redis;
  secret: string;
  idleSeconds: number;
  absoluteSeconds: number;
  keyPrefix?: string;
}

export interface SessionStore {
  create(record: Omit<SessionRecord, 'createdAt' | 'absoluteExpiresAt'>): Promise<{ id: string; record: SessionRecord; expiresAt: number }>;
  get(id: string | undefined): Promise<SessionRecord | undefined>;
  /** Replaces the record (after a refresh); returns when the session now ends. */
  save(id: string, record: SessionRecord): Promise<number>;
  /** Slides the idle timeout; returns when the session now ends. */
  touch(id: string, record: SessionRecord): Promise<number>;
  /** When the session ends if nothing else happens (epoch ms). */
  expiresAt(record: SessionRecord, now?: number): number;
  delete(id: string): Promise<void>;
  /** Deletes every session opened under this Keycloak session (back-channel logout); returns how many there were. */
  deleteByKeycloakSession(sid: string): Promise<number>;
  /** Short lock shared by every BFF process, for single-flight refresh. */
  lock(id: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
}

export function createSessionStore(opts: SessionStoreOptions): SessionStore {
  const sealer = createSealer(opts.secret);
  const prefix = opts.keyPrefix ?? 'bff:';
  const key = (id: string) => `${prefix}session:${sessionKeyHash(id)}`;
  // Keycloak session → hashes of the BFF sessions opened under it (a set that lives as long as a session can).
  const sidKey = (sid: string) => `${prefix}kc-session:${sessionKeyHash(sid)}`;
  const expiresAt = (r: SessionRecord, now = Date.now()) => Math.min(now + opts.idleSeconds * 1000, r.refreshExpiresAt, r.absoluteExpiresAt);

  const write = async (id: string, record: SessionRecord) => {
    const until = expiresAt(record);
    const ttl = until - Date.now();
    if (ttl <= 0) {
      await opts.redis.del(key(id));
      return until;
    }
    await opts.redis.set(key(id), sealer.seal(JSON.stringify(record)), 'PX', ttl);
    return until;
  };

  return {
    async create(partial) {
      const now = Date.now();
      const record: SessionRecord = { ...partial, createdAt: now, absoluteExpiresAt: now + opts.absoluteSeconds * 1000 };
      const id = newSessionId();
      const until = await write(id, record);
      if (record.keycloakSid) {
        await opts.redis.multi().sadd(sidKey(record.keycloakSid), sessionKeyHash(id)).expire(sidKey(record.keycloakSid), opts.absoluteSeconds).exec();
      }
      return { id, record, expiresAt: until };
    },
    async get(id) {
      if (!id || !isWellFormedSessionId(id)) return undefined;
      const sealed = await opts.redis.get(key(id));
      if (!sealed) return undefined;
      const json = sealer.open(sealed);
      if (!json) return undefined;
      const record = JSON.parse(json) as SessionRecord;
      if (expiresAt(record) <= Date.now()) {
        await opts.redis.del(key(id));
        return undefined;
      }
      return record;
    },
    save: write,
    async touch(id, record) {
      const until = expiresAt(record);
      await opts.redis.pexpire(key(id), Math.max(1, until - Date.now()));
      return until;
    },
    expiresAt,
    async delete(id) {
      if (isWellFormedSessionId(id)) await opts.redis.del(key(id));
    },
    async deleteByKeycloakSession(sid) {
      const hashes = await opts.redis.smembers(sidKey(sid));
      if (hashes.length) await opts.redis.del(...hashes.map((h) => `${prefix}session:${h}`));
      await opts.redis.del(sidKey(sid));
      return hashes.length;
    },
    async lock(id, ttlMs) {
      const lease = await tryAcquireLock(opts.redis, `${key(id)}:refresh-lock`, ttlMs, { fenced: false });
      return lease ? lease.release : undefined;
    },
  };
}
