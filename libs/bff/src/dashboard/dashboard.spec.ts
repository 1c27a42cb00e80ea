import { AppError } from '@krt/platform/http';
import { describe, expect, it } from 'vitest';
import type { UpstreamResponse } from '../gateway/upstream-pool';
import { buildDashboard, type UpstreamGet } from './dashboard';

const ok = (body: unknown, status = 200): UpstreamResponse => ({ status, headers: new Headers(), body: new TextEncoder().encode(JSON.stringify(body)), replica: 'x' });
const answers: Record<string, UpstreamResponse | 'down' | 'slow'> = {
  '/v1/accounts/me/balance': ok({ available: '10.00', posted: '10.00', reserved: '0.00', currency: 'BRL' }),
  '/v1/accounts/me/summary': ok({ monthIn: '20.00', monthOut: '10.00', spendingByCategory: [{ category: 'PIX', amount: '10.00' }], balanceSeries: [], recent: [{ id: '1' }] }),
  '/v1/customers/me': ok({ fullName: 'Maria da Silva' }),
  '/v1/notifications/unread-count': ok({ count: 3 }),
  '/v1/accounts/me/statement?limit=5': ok({ items: [{ id: 's1' }] }),
};
const fake =
  (overrides: Record<string, UpstreamResponse | 'down' | 'slow'> = {}): UpstreamGet =>
  async (_upstream, path) => {
    const a = overrides[path] ?? answers[path];
    if (a === 'down' || !a) throw new AppError(503, 'SERVICE_UNAVAILABLE', 'x');
    if (a === 'slow') return new Promise(() => undefined);
    return a;
  };

describe('dashboard fan-out', () => {
  it('when every upstream answers, then every part is filled and nothing is partial', async () => {
    const d = await buildDashboard(fake(), { partDeadlineMs: 200 });
    expect(d).toMatchObject({
      balance: { available: '10.00' },
      recent: [{ id: '1' }],
      monthInOut: { in: '20.00', out: '10.00' },
      unreadNotifications: 3,
      customer: { fullName: 'Maria da Silva', firstName: 'Maria' },
      partial: [],
    });
  });

  it('when onboarding and notifications are down, then balance and transactions still come back and the missing parts are named', async () => {
    const d = await buildDashboard(fake({ '/v1/customers/me': 'down', '/v1/notifications/unread-count': 'down' }), { partDeadlineMs: 200 });
    expect(d.balance).toMatchObject({ available: '10.00' });
    expect(d.recent).toEqual([{ id: '1' }]);
    expect(d.partial.sort()).toEqual(['customer', 'unreadNotifications']);
  });

  it('when the summary is slow, then it is cut at the deadline and recent comes from the statement', async () => {
    const started = Date.now();
    const d = await buildDashboard(fake({ '/v1/accounts/me/summary': 'slow' }), { partDeadlineMs: 100 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(d.recent).toEqual([{ id: 's1' }]);
    expect(d.partial.sort()).toEqual(['balanceSeries', 'monthInOut', 'spendingByCategory']);
  });

  it('when an upstream says the token is no longer valid, then the whole call is 401', async () => {
    await expect(buildDashboard(fake({ '/v1/accounts/me/balance': ok({}, 401) }), { partDeadlineMs: 200 })).rejects.toMatchObject({ status: 401 });
  });
});
