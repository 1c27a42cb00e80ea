// The back office at the BFF (realm role admin): the role is checked here before anything is proxied (the services
// check it too: defence in depth), a blocked account's customer is signed out at once, and the services' audit logs
// are merged into one list.
import { AUDIT_SERVICES, decodeAuditCursor, mergeAuditPages, type ActiveSession, type AuditPage, type AuditService, type SessionService } from '@krt/bff';
import { AUDIT_QUERY_INVALID, auditListQuerySchema } from '@krt/contracts';
import { AppError, Errors, zodToFieldErrors } from '@krt/platform/http';
import type { AppEnv } from '@krt/platform/http';
import type { Context, MiddlewareHandler } from 'hono';
import type { ResolvedBffDeps } from '../app';

/** The operators' realm role. */
export const OPERATOR_ROLE = 'admin';

const notAnOperator = () => new AppError(403, 'FORBIDDEN', 'Esta área é restrita aos operadores do KRT Bank.');

/** /api/v1/admin/*: a session (401 without) whose user has the operators' role (403 otherwise), before any upstream call. */
export function requireOperator(session: (c: Context<AppEnv>) => Promise<ActiveSession>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const s = await session(c);
    if (!s.record.roles.includes(OPERATOR_ROLE)) throw notAnOperator();
    await next();
  };
}

const BLOCK_PATH = /^\/v1\/admin\/accounts\/[^/]+\/block$/;

/**
 * After a proxied admin write: a blocked account's customer loses every session at once (signed out everywhere) and
 * the customer's cached reads are dropped. Returns the body to send (the upstream's, plus `sessionsEnded`).
 */
export async function afterAdminWrite(
  deps: { sessions: SessionService; reads: ResolvedBffDeps['reads'] },
  c: Context<AppEnv>,
  req: { method: string; path: string; status: number; body: ArrayBuffer },
): Promise<ArrayBuffer> {
  if (req.method !== 'POST' || req.status !== 200 || !BLOCK_PATH.test(req.path)) return req.body;
  let view: Record<string, unknown>;
  try {
    view = JSON.parse(new TextDecoder().decode(req.body)) as Record<string, unknown>;
  } catch {
    c.var.log.error({ path: req.path }, 'account blocked, but its answer is not JSON: the customer sessions were not ended');
    return req.body;
  }
  // The session index is keyed by the Keycloak user id; the account view names it `keycloakUserId` (or, as the contract
  // first said, `customerId`). Both are tried: an id that has no sessions ends nothing.
  const users = [...new Set([view.keycloakUserId, view.customerId].filter((v): v is string => typeof v === 'string' && v.length > 0))];
  let ended: number | null = 0;
  try {
    for (const user of users) ended += await deps.sessions.endAllOfUser(user);
  } catch (err) {
    ended = null;
    c.var.log.error({ err }, 'account blocked, but its customer sessions could not be ended');
  }
  if (typeof view.customerId === 'string') {
    await deps.reads.wrote(view.customerId).catch((err: unknown) => c.var.log.warn({ err }, 'read cache: the block could not be announced to other BFFs'));
  }
  c.var.log.info({ accountId: view.accountId, sessionsEnded: ended }, 'account blocked: the customer sessions ended');
  return new TextEncoder().encode(JSON.stringify({ ...view, sessionsEnded: ended })).buffer as ArrayBuffer;
}

const AUDIT_FILTERS = ['actor', 'action', 'subjectId', 'from', 'to'] as const;
/** The fields the BFF validates itself, in the order a refusal names them (one at a time). */
const AUDIT_CHECKED = ['limit', 'service', 'cursor'] as const;

/**
 * GET /api/v1/admin/audit: the three services' audit lists as one, newest first. Filters (actor, action, subjectId,
 * from, to) go to every service; `service` asks only one; `cursor` is the `nextCursor` this route gave. A service that
 * does not answer is named in `partial` and asked again from the same place by the next page.
 */
export function auditRoute(deps: ResolvedBffDeps, headersFor: (c: Context<AppEnv>, s: ActiveSession) => Headers, session: (c: Context<AppEnv>) => Promise<ActiveSession>) {
  return async (c: Context<AppEnv>) => {
    const s = await session(c);
    const invalid = (field: (typeof AUDIT_CHECKED)[number]) => Errors.validation([{ field, code: 'INVALID', message: AUDIT_QUERY_INVALID[field] }]);
    // The first value of each parameter, as URLSearchParams.get reads it.
    const search = new URL(c.req.url).searchParams;
    const parsed = auditListQuerySchema.safeParse(Object.fromEntries(Object.keys(auditListQuerySchema.shape).map((k) => [k, search.get(k) ?? undefined])));
    if (!parsed.success) {
      const field = AUDIT_CHECKED.find((f) => parsed.error.issues.some((i) => i.path[0] === f));
      throw field ? invalid(field) : Errors.validation(zodToFieldErrors(parsed.error));
    }
    const q = parsed.data;
    const { limit, service: only } = q;
    const cursor = q.cursor === undefined ? {} : decodeAuditCursor(q.cursor);
    if (!cursor) throw invalid('cursor');
    const services = AUDIT_SERVICES.filter((name) => (only ? name === only : true) && cursor[name] !== null);
    for (const name of AUDIT_SERVICES) if (!services.includes(name)) cursor[name] = null;

    const headers = headersFor(c, s);
    headers.set('accept', 'application/json');
    const pages: Partial<Record<AuditService, AuditPage>> = {};
    const partial: AuditService[] = [];
    let refused: { status: number; text: string } | undefined;
    await Promise.all(
      services.map(async (name) => {
        const params = new URLSearchParams({ limit: String(limit) });
        for (const f of AUDIT_FILTERS) {
          // As given, empty included: each service validates its filters (an empty one is refused, not ignored).
          const v = q[f];
          if (v !== undefined) params.set(f, v);
        }
        const own = cursor[name];
        if (own) params.set('before', own);
        let res;
        try {
          res = await deps.upstreams[name].request({ method: 'GET', path: `/v1/admin/audit?${params}`, headers });
        } catch (err) {
          c.var.log.warn({ err, upstream: name }, 'audit: a service did not answer');
          partial.push(name);
          return;
        }
        const text = new TextDecoder().decode(res.body);
        if (res.status === 200) {
          pages[name] = JSON.parse(text) as AuditPage;
          return;
        }
        // The caller's mistakes (a filter a service refuses) and refusals go back as the service said them.
        if (res.status >= 400 && res.status < 500 && res.status !== 404) {
          refused ??= { status: res.status, text };
          return;
        }
        c.var.log.warn({ upstream: name, status: res.status }, 'audit: a service answered an error');
        partial.push(name);
      }),
    );
    if (refused) return c.body(refused.text, refused.status as 400, { 'content-type': 'application/problem+json', 'cache-control': 'no-store' });
    if (services.length && partial.length === services.length) throw Errors.unavailable(partial.join(','));
    const merged = mergeAuditPages(pages, cursor, limit);
    return c.json({ ...merged, partial: partial.sort() }, 200, { 'cache-control': 'no-store' });
  };
}
