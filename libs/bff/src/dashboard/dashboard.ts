// GET /api/v1/dashboard: one call for the home screen, fanned out in parallel to payments, onboarding and
// notifications. A part whose upstream is down, slow or failing comes back null and is named in `partial`;
// the rest still answers. Only an expired session (401 from an upstream) fails the whole call.
// The shape is the contract's (@krt/contracts dashboardSchema); the parts are filled from the upstreams' answers as they come.
import { DASHBOARD_PARTS, type Balance, type CategoryAmount, type Dashboard, type BalancePoint, type StatementItem } from '@krt/contracts';
import { Errors } from '@krt/platform/http';
import type { UpstreamName } from '../gateway/allow-list';
import type { UpstreamResponse } from '../gateway/upstream-pool';

export type UpstreamGet = (upstream: UpstreamName, path: string) => Promise<UpstreamResponse>;

const json = (r: UpstreamResponse) => JSON.parse(new TextDecoder().decode(r.body)) as Record<string, unknown>;

async function fetchPart<T>(get: UpstreamGet, upstream: UpstreamName, path: string, deadlineMs: number, pick: (body: Record<string, unknown>) => T): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), deadlineMs);
  });
  const call = (async () => {
    let res: UpstreamResponse;
    try {
      res = await get(upstream, path);
    } catch {
      return null; // 503 (breaker open / unreachable) or 504: this part is missing
    }
    if (res.status === 401) throw Errors.unauthenticated();
    if (res.status < 200 || res.status >= 300) return null;
    try {
      return pick(json(res));
    } catch {
      return null;
    }
  })();
  try {
    return await Promise.race([call, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const asArray = (v: unknown) => (Array.isArray(v) ? v : null);

export async function buildDashboard(get: UpstreamGet, opts: { partDeadlineMs: number }): Promise<Dashboard> {
  const d = opts.partDeadlineMs;
  const [balance, summary, customer, unread] = await Promise.all([
    fetchPart(get, 'payments', '/v1/accounts/me/balance', d, (b) => b as unknown as Balance),
    fetchPart(get, 'payments', '/v1/accounts/me/summary', d, (b) => b),
    fetchPart(get, 'onboarding', '/v1/customers/me', d, (b) => {
      const fullName = typeof b.fullName === 'string' ? b.fullName : '';
      return fullName ? { fullName, firstName: fullName.split(/\s+/)[0] ?? fullName } : null;
    }),
    fetchPart(get, 'notifications', '/v1/notifications/unread-count', d, (b) => (typeof b.count === 'number' ? b.count : null)),
  ]);
  let recent = summary ? (asArray(summary.recent) as StatementItem[] | null) : null;
  if (!recent) {
    // The summary is missing: the latest transactions still come from the statement.
    recent = await fetchPart(get, 'payments', '/v1/accounts/me/statement?limit=5', d, (b) => asArray(b.items) as StatementItem[] | null);
  }
  const dashboard: Dashboard = {
    balance,
    recent,
    monthInOut: summary && typeof summary.monthIn === 'string' && typeof summary.monthOut === 'string' ? { in: summary.monthIn, out: summary.monthOut } : null,
    spendingByCategory: summary ? (asArray(summary.spendingByCategory) as CategoryAmount[] | null) : null,
    balanceSeries: summary ? (asArray(summary.balanceSeries) as BalancePoint[] | null) : null,
    unreadNotifications: unread,
    customer,
    partial: [],
  };
  for (const part of DASHBOARD_PARTS) {
    if (dashboard[part] === null) dashboard.partial.push(part);
  }
  return dashboard;
}
