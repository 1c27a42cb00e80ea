// Sign-in, inline token refresh (single-flight per session, across processes) and logout on top of the session store.
import { Errors } from '@krt/platform/http';
import type { Principal } from '@krt/platform/auth';
import type { Logger } from '@krt/platform/telemetry';
import { OidcRejectedError, type OidcClient, type OidcTokens } from '../oidc/oidc-client';
import { applicable, type LimitChecks, type LimitResult } from '../gateway/rate-limit';
import { sessionKeyHash } from './session-crypto';
import { deviceLabel } from './device-label';
import { SessionGoneError, type ListedSession, type ProbedSession, type SessionRecord, type SessionStore } from './session-store';

export interface SessionServiceOptions {
  store: SessionStore;
  oidc: OidcClient;
  /** Verifies an access token (signature, issuer, audience, expiry) and returns who it belongs to. */
  verify: (accessToken: string) => Promise<Principal>;
  logger: Logger;
  /** Refresh when the access token has less than this left (capped at a quarter of its lifetime). Default 30 s. */
  refreshSkewSeconds?: number;
}

export interface ActiveSession {
  id: string;
  record: SessionRecord;
  expiresAt: number;
}

/** One of the customer's sessions, as GET /api/v1/sessions shows it. */
export interface CustomerSession {
  handle: string;
  device: string;
  createdAt: string;
  lastUsedAt: string;
  current: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function displayName(claims: Record<string, unknown> | undefined): string | undefined {
  if (!claims) return undefined;
  if (typeof claims.name === 'string' && claims.name.trim()) return claims.name.trim();
  const parts = [claims.given_name, claims.family_name].filter((p): p is string => typeof p === 'string' && !!p.trim());
  return parts.length ? parts.join(' ') : undefined;
}

export function createSessionService(opts: SessionServiceOptions) {
  const { store, oidc, logger } = opts;
  const skewMs = (opts.refreshSkewSeconds ?? 30) * 1000;
  const inFlight = new Map<string, Promise<SessionRecord>>();

  const needsRefresh = (r: SessionRecord, now = Date.now()) => {
    // Lifetime as issued is unknown after the fact; a quarter of what was left at issue is a fair cap on the skew.
    const skew = Math.min(skewMs, Math.max(1000, (r.accessExpiresAt - r.createdAt) / 4));
    return r.accessExpiresAt - now <= skew;
  };

  async function recordFrom(tokens: OidcTokens, previous?: SessionRecord): Promise<Omit<SessionRecord, 'createdAt' | 'absoluteExpiresAt'>> {
    const principal = await opts.verify(tokens.accessToken);
    return {
      userId: principal.userId,
      customerId: principal.customerId,
      username: principal.username,
      roles: principal.roles,
      name: displayName(tokens.idClaims) ?? previous?.name,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      idToken: tokens.idToken ?? previous?.idToken,
      keycloakSid: (typeof tokens.idClaims?.sid === 'string' ? tokens.idClaims.sid : undefined) ?? previous?.keycloakSid,
      accessExpiresAt: tokens.accessExpiresAt,
      refreshExpiresAt: tokens.refreshExpiresAt,
    };
  }

  async function doRefresh(id: string, current: SessionRecord): Promise<SessionRecord> {
    const release = await store.lock(id, 10_000);
    if (!release) {
      // Another BFF process is refreshing this session: wait for its result.
      for (let i = 0; i < 50; i++) {
        await sleep(100);
        const seen = await store.get(id);
        if (!seen) throw Errors.unauthenticated();
        if (seen.accessExpiresAt !== current.accessExpiresAt) return seen;
      }
      throw Errors.unavailable('keycloak', 2);
    }
    try {
      const latest = (await store.get(id)) ?? current;
      if (!needsRefresh(latest)) return latest;
      let tokens: OidcTokens;
      try {
        tokens = await oidc.refresh(latest.refreshToken);
      } catch (err) {
        if (err instanceof OidcRejectedError) {
          // Expired or revoked refresh token, or the Keycloak session is gone: the BFF session ends with it.
          await store.delete(id, latest.userId);
          logger.info({ reason: err.error }, 'refresh refused, session ended');
          throw Errors.unauthenticated();
        }
        logger.warn({ err }, 'refresh failed: Keycloak unreachable');
        throw Errors.unavailable('keycloak', 2);
      }
      const next: SessionRecord = { ...(await recordFrom(tokens, latest)), createdAt: latest.createdAt, absoluteExpiresAt: latest.absoluteExpiresAt };
      if (next.userId !== latest.userId) {
        await store.delete(id, latest.userId);
        throw Errors.unauthenticated();
      }
      try {
        await store.save(id, next);
      } catch (err) {
        // Ended (by the customer, elsewhere) while this refresh was on its way: it stays ended.
        if (err instanceof SessionGoneError) throw Errors.unauthenticated();
        throw err;
      }
      return next;
    } finally {
      await release();
    }
  }

  /** Revokes the session's refresh token and ends its Keycloak session (best effort, as a logout). */
  async function revokeAtKeycloak(record: SessionRecord) {
    const result = await oidc.logout(record.refreshToken).catch((err: unknown) => {
      logger.warn({ err }, 'logout at Keycloak failed');
      return { revoked: false, sessionEnded: false };
    });
    if (!result.revoked || !result.sessionEnded) logger.warn(result, 'logout at Keycloak incomplete');
    return result;
  }

  /** Deletes the user's listed sessions, each revoked at Keycloak like a logout; per session, whether it ended here. */
  async function endListed(userId: string, targets: ListedSession[]): Promise<boolean[]> {
    return Promise.all(
      targets.map(async (s) => {
        const record = await store.deleteByKeyHash(userId, s.keyHash);
        if (!record) return false;
        await revokeAtKeycloak(record);
        return true;
      }),
    );
  }

  return {
    /** Back-channel logout: ends every BFF session opened under the Keycloak session `sid`. */
    async endKeycloakSession(sid: string): Promise<number> {
      const ended = await store.deleteByKeycloakSession(sid);
      logger.info({ ended }, 'back-channel logout: sessions ended');
      return ended;
    },

    /** Creates a new session (a new id every time: no fixation) and drops the previous one, if any. */
    async signIn(tokens: OidcTokens, previousId?: string, client?: { userAgent?: string }): Promise<ActiveSession> {
      if (previousId) await store.delete(previousId);
      const { id, record, expiresAt } = await store.create(await recordFrom(tokens), { device: deviceLabel(client?.userAgent) });
      return { id, record, expiresAt };
    },

    /** The session as it is (no refresh, no sliding): for /auth/me. */
    async peek(id: string | undefined): Promise<ActiveSession | undefined> {
      if (!id) return undefined;
      const record = await store.get(id);
      return record ? { id, record, expiresAt: store.expiresAt(record) } : undefined;
    },

    /**
     * One Redis round trip for an API request: counts the applicable rate limits and reads + touches the session `id`
     * (none: only the limits).
     * When Redis fails, the limits fail open and the session is left unread (`active` then reads it as usual).
     */
    async probe(id: string | undefined, checks: LimitChecks, versionKeys?: (customerId: string) => [string, string] | undefined, idHash?: string): Promise<{ limits: LimitResult[]; session?: ProbedSession }> {
      const apply = applicable(checks);
      try {
        const { counts, session } = await store.probe(
          id,
          apply.map(([l, key]) => l.window(key)),
          versionKeys,
          idHash,
        );
        return { limits: apply.map(([l], i) => l.result(counts[i]!.count, counts[i]!.ttlMs)), session };
      } catch (err) {
        return { limits: apply.map(([l]) => l.failOpen(err)) };
      }
    },

    /**
     * The session with an access token that is good for the next call: refreshed inline when it is about to expire
     * (one refresh per session at a time), idle timeout slid. Throws 401 when there is no usable session. `probed` is
     * what `probe` read for this request, if it ran.
     */
    async active(id: string | undefined, probed?: ProbedSession): Promise<ActiveSession> {
      if (!id) throw Errors.unauthenticated();
      if (probed && !probed.record) throw Errors.unauthenticated();
      if (probed?.record && probed.touchedUntil !== undefined && !needsRefresh(probed.record)) {
        return { id, record: probed.record, expiresAt: probed.touchedUntil };
      }
      let record = probed?.record ?? (await store.get(id));
      if (!record) throw Errors.unauthenticated();
      if (needsRefresh(record)) {
        let flight = inFlight.get(id);
        if (!flight) {
          flight = doRefresh(id, record).finally(() => inFlight.delete(id));
          inFlight.set(id, flight);
        }
        record = await flight;
      }
      const expiresAt = await store.touch(id, record);
      return { id, record, expiresAt };
    },

    /** Revokes the refresh token, ends the Keycloak session and deletes the server session. */
    async logout(id: string | undefined) {
      if (!id) return { revoked: false, sessionEnded: false };
      const record = await store.get(id);
      await store.delete(id, record?.userId);
      if (!record) return { revoked: false, sessionEnded: false };
      return revokeAtKeycloak(record);
    },

    /** The signed-in user's live sessions, this one (`current`, the caller's) first, then by last use. */
    async list(current: ActiveSession): Promise<CustomerSession[]> {
      const own = sessionKeyHash(current.id);
      const now = Date.now();
      const listed = await store.listByUser(current.record.userId);
      return listed
        .map((s) => {
          const isCurrent = s.keyHash === own;
          const lastUsedAt = isCurrent ? now : Math.max(s.lastUsedAt ?? s.createdAt, s.createdAt);
          return { handle: s.handle, device: s.device, createdAt: new Date(s.createdAt).toISOString(), lastUsedAt: new Date(lastUsedAt).toISOString(), current: isCurrent };
        })
        .sort((a, b) => Number(b.current) - Number(a.current) || b.lastUsedAt.localeCompare(a.lastUsedAt));
    },

    /**
     * Ends the signed-in user's sessions: the one with `handle`, every other one (`others`) or all (`all`), each revoked at
     * Keycloak like a logout. Returns how many ended and whether the caller's own was one of them; `handle` not the
     * user's: 0 ended.
     */
    async end(current: ActiveSession, which: { handle: string } | { scope: 'others' | 'all' }): Promise<{ ended: number; endedCurrent: boolean }> {
      const own = sessionKeyHash(current.id);
      const listed = await store.listByUser(current.record.userId);
      const targets = listed.filter((s) => ('handle' in which ? s.handle === which.handle : which.scope === 'all' || s.keyHash !== own));
      const ended = await endListed(current.record.userId, targets);
      const endedCurrent = targets.some((s, i) => ended[i] && s.keyHash === own);
      logger.info({ ended: ended.filter(Boolean).length, endedCurrent }, 'customer ended sessions');
      return { ended: ended.filter(Boolean).length, endedCurrent };
    },

    /**
     * Ends every session of a user, whoever asks (an operator blocked the user's account): each revoked at Keycloak like
     * a logout, so the user is signed out at once everywhere. Returns how many ended.
     */
    async endAllOfUser(userId: string): Promise<number> {
      const ended = (await endListed(userId, await store.listByUser(userId))).filter(Boolean).length;
      logger.info({ ended }, 'all sessions of a user ended');
      return ended;
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
