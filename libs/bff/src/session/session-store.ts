// Server-side sessions in Redis. The browser holds only the session id; the record (tokens included) is sealed with
// AES-GCM and stored under a hash of the id, as `<bound>.<sealed>` (see redis-gate.ts). Its Redis TTL is the sooner of
// the idle timeout (sliding), the refresh token's expiry and the absolute lifetime. Opened records are kept in process
// (by key, with the first bytes of the value they came from), so a request whose session did not change opens nothing.
import type { Redis } from 'ioredis';
import { tryAcquireLock } from '@krt/platform/redis-lock';
import { runGate, type GateReply, type WindowCount } from '../gateway/redis-gate';
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
  /** How many opened records this process keeps (default 10,000). */
  openedCacheSize?: number;
}

/** A session read (and touched) by the gate, before any refresh: `record` undefined = no usable session. */
export interface ProbedSession {
  record?: SessionRecord;
  /** When the session ends after the touch; undefined when the gate could not touch it (then `touch` does). */
  touchedUntil?: number;
  /** The customer's read versions (read-cache.ts), when asked for and the record is the customer's they were read for. */
  versions?: [string, string];
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
  /** One round trip: counts `windows` and reads + touches the session (the gate script). Rejects when Redis fails. */
  probe(
    id: string | undefined,
    windows: WindowCount[],
    versionKeys?: (customerId: string) => [string, string] | undefined,
  ): Promise<{ counts: GateReply['counts']; session?: ProbedSession }>;
}

// The bound and the IV (12 bytes = 16 base64url characters) identify one write of a value.
const valueTag = (value: string) => value.slice(0, value.indexOf('.') + 17);

export function createSessionStore(opts: SessionStoreOptions): SessionStore {
  const sealer = createSealer(opts.secret);
  const prefix = opts.keyPrefix ?? 'bff:';
  const key = (id: string) => `${prefix}session:${sessionKeyHash(id)}`;
  // Keycloak session → hashes of the BFF sessions opened under it (a set that lives as long as a session can).
  const sidKey = (sid: string) => `${prefix}kc-session:${sessionKeyHash(sid)}`;
  const expiresAt = (r: SessionRecord, now = Date.now()) => Math.min(now + opts.idleSeconds * 1000, r.refreshExpiresAt, r.absoluteExpiresAt);
  const opened = new Map<string, { tag: string; record: SessionRecord }>();
  const maxOpened = opts.openedCacheSize ?? 10_000;

  /** Opens a stored value (either format); undefined when it does not open with this key. */
  const open = (k: string, value: string): SessionRecord | undefined => {
    const dot = value.indexOf('.');
    const json = sealer.open(dot < 0 ? value : value.slice(dot + 1));
    if (!json) return undefined;
    const record = JSON.parse(json) as SessionRecord;
    if (dot >= 0) {
      opened.delete(k);
      if (opened.size >= maxOpened) opened.delete(opened.keys().next().value!);
      opened.set(k, { tag: valueTag(value), record });
    }
    return record;
  };

  const write = async (id: string, record: SessionRecord) => {
    opened.delete(key(id));
    const until = expiresAt(record);
    const ttl = until - Date.now();
    if (ttl <= 0) {
      await opts.redis.del(key(id));
      return until;
    }
    const bound = Math.min(record.refreshExpiresAt, record.absoluteExpiresAt);
    await opts.redis.set(key(id), `${bound}.${sealer.seal(JSON.stringify(record))}`, 'PX', ttl);
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
      const value = await opts.redis.get(key(id));
      if (!value) return undefined;
      const record = open(key(id), value);
      if (!record) return undefined;
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
      if (!isWellFormedSessionId(id)) return;
      opened.delete(key(id));
      await opts.redis.del(key(id));
    },
    async deleteByKeycloakSession(sid) {
      const hashes = await opts.redis.smembers(sidKey(sid));
      for (const h of hashes) opened.delete(`${prefix}session:${h}`);
      if (hashes.length) await opts.redis.del(...hashes.map((h) => `${prefix}session:${h}`));
      await opts.redis.del(sidKey(sid));
      return hashes.length;
    },
    async lock(id, ttlMs) {
      const lease = await tryAcquireLock(opts.redis, `${key(id)}:refresh-lock`, ttlMs, { fenced: false });
      return lease ? lease.release : undefined;
    },
    async probe(id, windows, versionKeys) {
      if (id === undefined) return { counts: windows.length ? (await runGate(opts.redis, windows)).counts : [] };
      if (!isWellFormedSessionId(id)) return { counts: windows.length ? (await runGate(opts.redis, windows)).counts : [], session: {} };
      const k = key(id);
      const now = Date.now();
      const cached = opened.get(k);
      // The customer is known only from a record opened before: versions are asked for that customer.
      const customerId = cached?.record.customerId;
      const keys = customerId ? versionKeys?.(customerId) : undefined;
      const reply = await runGate(opts.redis, windows, { key: k, idleMs: opts.idleSeconds * 1000, now, known: cached?.tag ?? '', versionKeys: keys });
      const s = reply.session!;
      let record: SessionRecord | undefined;
      if (s.status === 'unchanged') record = cached!.record;
      else if (s.status === 'value' || s.status === 'untouched') record = open(k, s.value);
      else opened.delete(k);
      if (record && expiresAt(record, now) <= now) {
        opened.delete(k);
        await opts.redis.del(k);
        record = undefined;
      }
      const touchedUntil = record && s.status !== 'untouched' ? expiresAt(record, now) : undefined;
      const versions = record && record.customerId === customerId ? reply.versions : undefined;
      return { counts: reply.counts, session: { record, touchedUntil, versions } };
    },
  };
}
