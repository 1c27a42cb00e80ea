// Server-side sessions in Redis. The browser holds only the session id; the record (tokens included) is sealed with
// AES-GCM and stored under a hash of the id, as `<bound>.<sealed>` (see redis-gate.ts). Its Redis TTL is the sooner of
// the idle timeout (sliding), the refresh token's expiry and the absolute lifetime. Opened records are kept in process
// (by key, with the first bytes of the value they came from), so a request whose session did not change opens nothing.
//
// The sessions a customer controls (GET /api/v1/sessions): a per-user hash `user-sessions:<hash of user id>` maps each
// of the user's session key hashes to what was known at sign-in (device label, time); it expires with the longest a
// session can live, refreshed at each sign-in, and entries whose session is gone are pruned when it is listed. The last
// use of a session is written by the gate script (redis-gate.ts) at most once a minute per session and BFF process, so
// it is accurate to about a minute and costs no extra round trip. The customer sees a session only by its handle, a
// hash of its key hash: never the cookie value, never the Redis key.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { tryAcquireLock } from '@krt/platform/persistence';
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

/** What the session list shows of one session. */
export interface ListedSession {
  /** Opaque: a hash of the session's key hash. */
  handle: string;
  /** The session's key hash (sessionKeyHash of its id): server side only. */
  keyHash: string;
  device: string;
  createdAt: number;
  /** Epoch ms, to about a minute; undefined when not seen since sign-in. */
  lastUsedAt?: number;
}

/** The handle the customer sees for a session key hash. */
export const sessionHandle = (keyHash: string) => createHash('sha256').update(`krt-session-handle:${keyHash}`).digest('base64url').slice(0, 32);

/** How often (at most) one BFF process writes a session's last use. */
export const LAST_USE_EVERY_MS = 60_000;

export interface SessionStore {
  create(record: Omit<SessionRecord, 'createdAt' | 'absoluteExpiresAt'>, meta?: { device?: string }): Promise<{ id: string; record: SessionRecord; expiresAt: number }>;
  get(id: string | undefined): Promise<SessionRecord | undefined>;
  /** Replaces the record (after a refresh); returns when the session now ends. */
  save(id: string, record: SessionRecord): Promise<number>;
  /** Slides the idle timeout; returns when the session now ends. */
  touch(id: string, record: SessionRecord): Promise<number>;
  /** When the session ends if nothing else happens (epoch ms). */
  expiresAt(record: SessionRecord, now?: number): number;
  /** Deletes the session (and its entry in the user's list, when the user is known). */
  delete(id: string, userId?: string): Promise<void>;
  /** The user's live sessions (stale entries pruned). */
  listByUser(userId: string): Promise<ListedSession[]>;
  /** Deletes the user's session with this key hash; returns its record (undefined when it is not the user's or gone). */
  deleteByKeyHash(userId: string, keyHash: string): Promise<SessionRecord | undefined>;
  /** Deletes every session opened under this Keycloak session (back-channel logout); returns how many there were. */
  deleteByKeycloakSession(sid: string): Promise<number>;
  /** Short lock shared by every BFF process, for single-flight refresh. */
  lock(id: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
  /** One round trip: counts `windows` and reads + touches the session (the gate script). Rejects when Redis fails. */
  probe(
    id: string | undefined,
    windows: WindowCount[],
    versionKeys?: (customerId: string) => [string, string] | undefined,
    /** sessionKeyHash(id), when the caller has it already (the API gate hashes the id once per request). */
    idHash?: string,
  ): Promise<{ counts: GateReply['counts']; session?: ProbedSession }>;
}

/** A refresh tried to replace a session that was ended meanwhile. */
export class SessionGoneError extends Error {
  constructor() {
    super('the session was ended');
  }
}

// The bound and the IV (12 bytes = 16 base64url characters) identify one write of a value.
const valueTag = (value: string) => value.slice(0, value.indexOf('.') + 17);

export function createSessionStore(opts: SessionStoreOptions): SessionStore {
  const sealer = createSealer(opts.secret);
  const prefix = opts.keyPrefix ?? 'bff:';
  const keyOfHash = (hash: string) => `${prefix}session:${hash}`;
  const key = (id: string) => keyOfHash(sessionKeyHash(id));
  // Keycloak session → hashes of the BFF sessions opened under it (a set that lives as long as a session can).
  const sidKey = (sid: string) => `${prefix}kc-session:${sessionKeyHash(sid)}`;
  const hashKey = (h: string) => `${prefix}session:${h}`;
  const seenKey = (h: string) => `${prefix}session:${h}:seen`;
  const userKey = (userId: string) => `${prefix}user-sessions:${sessionKeyHash(userId)}`;
  // Session key → when this process last asked the gate to write its last use.
  const seenWritten = new Map<string, number>();
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

  /** Writes the record; `replace`: only over an existing session, so a refresh never brings back an ended one. */
  const write = async (id: string, record: SessionRecord, replace = false) => {
    opened.delete(key(id));
    const until = expiresAt(record);
    const ttl = until - Date.now();
    if (ttl <= 0) {
      await opts.redis.del(key(id));
      return until;
    }
    const bound = Math.min(record.refreshExpiresAt, record.absoluteExpiresAt);
    const value = `${bound}.${sealer.seal(JSON.stringify(record))}`;
    const done = replace ? await opts.redis.set(key(id), value, 'PX', ttl, 'XX') : await opts.redis.set(key(id), value, 'PX', ttl);
    if (done === null) throw new SessionGoneError();
    return until;
  };

  /** Deletes sessions by key hash, with their last use and their entry in their user's list. */
  const deleteHashes = async (hashes: string[], userIds: Array<string | undefined>) => {
    if (!hashes.length) return;
    const m = opts.redis.multi();
    m.del(...hashes.flatMap((h) => [hashKey(h), seenKey(h)]));
    hashes.forEach((h, i) => {
      opened.delete(hashKey(h));
      seenWritten.delete(hashKey(h));
      const userId = userIds[i];
      if (userId) m.hdel(userKey(userId), h);
    });
    await m.exec();
  };

  return {
    async create(partial, meta) {
      const now = Date.now();
      const record: SessionRecord = { ...partial, createdAt: now, absoluteExpiresAt: now + opts.absoluteSeconds * 1000 };
      const id = newSessionId();
      const until = await write(id, record);
      const h = sessionKeyHash(id);
      const m = opts.redis.multi();
      m.hset(userKey(record.userId), h, JSON.stringify({ device: meta?.device ?? 'Navegador desconhecido', createdAt: now })).expire(userKey(record.userId), opts.absoluteSeconds);
      if (record.keycloakSid) m.sadd(sidKey(record.keycloakSid), h).expire(sidKey(record.keycloakSid), opts.absoluteSeconds);
      await m.exec();
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
    save: (id, record) => write(id, record, true),
    async touch(id, record) {
      const until = expiresAt(record);
      await opts.redis.pexpire(key(id), Math.max(1, until - Date.now()));
      return until;
    },
    expiresAt,
    async delete(id, userId) {
      if (!isWellFormedSessionId(id)) return;
      // An unknown user leaves the list entry to be pruned when the list is next read.
      await deleteHashes([sessionKeyHash(id)], [userId ?? opened.get(key(id))?.record.userId]);
    },
    async listByUser(userId) {
      const entries = await opts.redis.hgetall(userKey(userId));
      const hashes = Object.keys(entries);
      if (!hashes.length) return [];
      const p = opts.redis.pipeline();
      for (const h of hashes) p.exists(hashKey(h)).get(seenKey(h));
      const replies = (await p.exec()) ?? [];
      const live: ListedSession[] = [];
      const stale: string[] = [];
      hashes.forEach((h, i) => {
        const exists = replies[2 * i]?.[1] === 1;
        if (!exists) return void stale.push(h);
        let meta: { device?: string; createdAt?: number } = {};
        try {
          meta = JSON.parse(entries[h]!) as typeof meta;
        } catch {
          /* an unreadable entry still lists the session */
        }
        const seen = Number(replies[2 * i + 1]?.[1]);
        live.push({
          handle: sessionHandle(h),
          keyHash: h,
          device: meta.device ?? 'Navegador desconhecido',
          createdAt: meta.createdAt ?? 0,
          lastUsedAt: Number.isFinite(seen) && seen > 0 ? seen : undefined,
        });
      });
      if (stale.length) await opts.redis.hdel(userKey(userId), ...stale);
      return live;
    },
    async deleteByKeyHash(userId, h) {
      if (!(await opts.redis.hexists(userKey(userId), h))) return undefined;
      const value = await opts.redis.get(hashKey(h));
      const record = value ? open(hashKey(h), value) : undefined;
      // The list entry is the user's own; the record must agree (it is sealed, so it cannot be planted).
      if (record && record.userId !== userId) return undefined;
      await deleteHashes([h], [userId]);
      return record;
    },
    async deleteByKeycloakSession(sid) {
      const hashes = await opts.redis.smembers(sidKey(sid));
      if (hashes.length) {
        const values = await opts.redis.mget(...hashes.map(hashKey));
        const users = values.map((v, i) => (v ? open(hashKey(hashes[i]!), v)?.userId : undefined));
        await deleteHashes(hashes, users);
      }
      await opts.redis.del(sidKey(sid));
      return hashes.length;
    },
    async lock(id, ttlMs) {
      const lease = await tryAcquireLock(opts.redis, `${key(id)}:refresh-lock`, ttlMs, { fenced: false });
      return lease ? lease.release : undefined;
    },
    async probe(id, windows, versionKeys, idHash) {
      if (id === undefined) return { counts: windows.length ? (await runGate(opts.redis, windows)).counts : [] };
      if (!isWellFormedSessionId(id)) return { counts: windows.length ? (await runGate(opts.redis, windows)).counts : [], session: {} };
      const k = keyOfHash(idHash ?? sessionKeyHash(id));
      const now = Date.now();
      const cached = opened.get(k);
      // The customer is known only from a record opened before: versions are asked for that customer.
      const customerId = cached?.record.customerId;
      const keys = customerId ? versionKeys?.(customerId) : undefined;
      const markSeen = now - (seenWritten.get(k) ?? 0) >= LAST_USE_EVERY_MS;
      const reply = await runGate(opts.redis, windows, {
        key: k,
        idleMs: opts.idleSeconds * 1000,
        now,
        known: cached?.tag ?? '',
        versionKeys: keys,
        seenKey: markSeen ? `${k}:seen` : undefined,
      });
      const s = reply.session!;
      let record: SessionRecord | undefined;
      if (s.status === 'unchanged') record = cached!.record;
      else if (s.status === 'value' || s.status === 'untouched') record = open(k, s.value);
      else opened.delete(k);
      if (markSeen && (s.status === 'unchanged' || s.status === 'value')) {
        seenWritten.delete(k);
        if (seenWritten.size >= maxOpened) seenWritten.delete(seenWritten.keys().next().value!);
        seenWritten.set(k, now);
      }
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
