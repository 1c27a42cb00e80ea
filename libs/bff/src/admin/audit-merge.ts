// The back office's one audit list: each service keeps its own append-only audit_log and answers
// GET /v1/admin/audit (newest first, `before` = an item's id). The BFF merges the three lists into one page, newest
// first; its cursor (`cursor` / `nextCursor`, opaque, as the other lists of the API) holds, per service, where that service's list goes on (its own cursor), or that it has no more.

export const AUDIT_SERVICES = ['payments', 'onboarding', 'notifications'] as const;
export type AuditService = (typeof AUDIT_SERVICES)[number];

export interface AuditItem {
  id: string | number;
  service?: string;
  occurredAt: string;
  actorId?: string | null;
  actorName?: string | null;
  action: string;
  subjectType?: string | null;
  subjectId?: string | null;
  reason?: string | null;
  correlationId?: string | null;
  details?: unknown;
}

/** One service's page as it answered. */
export interface AuditPage {
  items: AuditItem[];
  nextBefore?: string | null;
}

/** Per service: its cursor (undefined = from the newest), or null = nothing older left. */
export type AuditCursor = Partial<Record<AuditService, string | null>>;

export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** The merged cursor, or undefined when it is not one the BFF made. */
export function decodeAuditCursor(value: string): AuditCursor | undefined {
  if (value.length > 2000) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    const out: AuditCursor = {};
    for (const [k, v] of Object.entries(parsed)) {
      if (!(AUDIT_SERVICES as readonly string[]).includes(k)) return undefined;
      if (v !== null && (typeof v !== 'string' || v.length > 200)) return undefined;
      out[k as AuditService] = v;
    }
    return out;
  } catch {
    return undefined;
  }
}

/**
 * Merges the pages the services answered for `cursor` into one page of at most `limit`, newest first, and the cursor
 * of the next page (null when every service is done). Each service's items are taken in the service's own order (a
 * k-way merge on the heads), so what is taken from a service is always a prefix of its page and its next cursor is
 * the id of the last one taken. A service missing from `pages` (it did not answer) keeps its cursor, so the next page
 * asks it again from the same place.
 */
export function mergeAuditPages(
  pages: Partial<Record<AuditService, AuditPage>>,
  cursor: AuditCursor,
  limit: number,
): { items: Array<AuditItem & { service: string }>; nextCursor: string | null } {
  const taken = Object.fromEntries(AUDIT_SERVICES.map((s) => [s, 0])) as Record<AuditService, number>;
  const items: Array<AuditItem & { service: string }> = [];
  while (items.length < limit) {
    let pick: AuditService | undefined;
    for (const service of AUDIT_SERVICES) {
      const head = pages[service]?.items[taken[service]];
      if (!head) continue;
      const best = pick && pages[pick]!.items[taken[pick]]!;
      if (!best || Date.parse(head.occurredAt) > Date.parse(best.occurredAt)) pick = service;
    }
    if (!pick) break;
    const item = pages[pick]!.items[taken[pick]++]!;
    items.push({ ...item, service: item.service ?? pick });
  }
  const next: AuditCursor = {};
  for (const service of AUDIT_SERVICES) {
    const page = pages[service];
    const n = taken[service];
    if (!page) next[service] = cursor[service];
    else if (n === page.items.length) next[service] = page.nextBefore ?? null;
    else if (n > 0) next[service] = String(page.items[n - 1]!.id);
    else next[service] = cursor[service];
  }
  const done = AUDIT_SERVICES.every((s) => next[s] === null);
  return { items, nextCursor: done ? null : encodeAuditCursor(next) };
}
