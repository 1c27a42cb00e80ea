// /metrics of a service app and the platform's metric helpers (in-memory Hono requests, no network).
import { AppError, createServiceApp, DEV_METRICS_TOKEN, metricsToken, pathTemplate } from '@krt/platform/http';
import { createLogger, labelValue, observeBreaker, registry } from '@krt/platform/telemetry';
import { recordPaymentsEvent } from '@krt/payments';
import { createBreaker, CircuitState } from '@krt/platform/resilience';
import { describe, expect, it } from 'vitest';
import { metricValue, parsePrometheus } from '../integration/observability/prometheus-text';

const logger = createLogger('metrics-unit', { level: 'silent' });

type RequestableApp = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

async function scrapeApp(app: RequestableApp) {
  const res = await app.request('/metrics', { headers: { authorization: `Bearer ${DEV_METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return parsePrometheus(await res.text());
}

describe('HTTP metrics of a service app', () => {
  const app = createServiceApp({ service: 'metrics-unit', logger, readiness: [] });
  app.get('/v1/things/:id', (c) => c.json({ id: c.req.param('id') }));
  app.post('/v1/things', () => {
    throw new Error('boom');
  });
  app.get('/v1/limited', () => {
    throw new AppError(429, 'MUITAS_TENTATIVAS', 'Muitas tentativas.', { retryAfterSeconds: 3 });
  });
  app.all('/proxy/*', (c) => c.json({ proxied: true }));

  it('when requests are answered, then /metrics counts them by method, route pattern and status, with a latency histogram', async () => {
    await app.request('/v1/things/123');
    await app.request('/v1/things/456');
    await app.request('/v1/things', { method: 'POST' });
    const samples = await scrapeApp(app);
    expect(metricValue(samples, 'http_requests_total', { method: 'GET', route: '/v1/things/:id', status: '200' })).toBe(2);
    expect(metricValue(samples, 'http_requests_total', { method: 'POST', route: '/v1/things', status: '500' })).toBe(1);
    expect(metricValue(samples, 'http_request_duration_seconds_count', { route: '/v1/things/:id' })).toBe(2);
    expect(metricValue(samples, 'http_request_duration_seconds_bucket', { route: '/v1/things/:id', le: '+Inf' })).toBe(2);
    // Every metric carries the process's service label; raw ids never become labels.
    expect(samples.filter((s) => s.name === 'http_requests_total').every((s) => s.labels.service === 'metrics-unit')).toBe(true);
    expect(samples.some((s) => Object.values(s.labels).includes('/v1/things/123'))).toBe(false);
  });

  it('when a path matches no route, or only a catch-all, then it is labelled unmatched (404) or by its template with ids masked', async () => {
    await app.request('/nope/zzz');
    await app.request('/proxy/v1/pix/transfers/7f3e2a10-0c6b-4a43-9d55-0b1c2d3e4f50');
    await app.request('/proxy/v1/pix/keys/maria@example.com');
    const samples = await scrapeApp(app);
    expect(metricValue(samples, 'http_requests_total', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(samples, 'http_requests_total', { route: '/proxy/v1/pix/transfers/:id' })).toBe(1);
    expect(metricValue(samples, 'http_requests_total', { route: '/proxy/v1/pix/keys/:id' })).toBe(1);
    expect(samples.some((s) => JSON.stringify(s.labels).includes('maria@example.com'))).toBe(false);
  });

  it('when a limiter answers 429, then rate_limit_rejections_total counts it by the problem code', async () => {
    const res = await app.request('/v1/limited');
    expect(res.status).toBe(429);
    const samples = await scrapeApp(app);
    expect(metricValue(samples, 'rate_limit_rejections_total', { limiter: 'MUITAS_TENTATIVAS' })).toBeGreaterThanOrEqual(1);
  });

  it('when probes and /metrics are called, then they are not counted as traffic', async () => {
    await app.request('/health');
    await app.request('/ready');
    const samples = await scrapeApp(app);
    for (const route of ['/health', '/ready', '/metrics']) expect(metricValue(samples, 'http_requests_total', { route })).toBeUndefined();
  });
});

describe('pathTemplate and labelValue', () => {
  it('when a path has ids, keys or e-mails, then they become :id and words stay', () => {
    expect(pathTemplate('/api/v1/pix/transfers/7f3e2a10-0c6b-4a43-9d55-0b1c2d3e4f50')).toBe('/api/v1/pix/transfers/:id');
    expect(pathTemplate('/api/v1/pix/keys/%2B5511987654321')).toBe('/api/v1/pix/keys/:id');
    expect(pathTemplate('/api/v1/accounts/me/statement')).toBe('/api/v1/accounts/me/statement');
    expect(pathTemplate('/inicio')).toBe('/inicio');
  });
  it('when a label value is free text, then it becomes other; short codes pass', () => {
    expect(labelValue('AMOUNT_OVER_LIMIT')).toBe('AMOUNT_OVER_LIMIT');
    expect(labelValue('transfer 123 of maria@example.com failed')).toBe('other');
    expect(labelValue(undefined)).toBe('none');
  });
});

describe('business metrics', () => {
  it('when pix.completed, pix.failed and fraud decisions are published, then saga outcomes and fraud decisions are counted', async () => {
    const before = parsePrometheus(await registry.metrics());
    const v = (samples: typeof before, name: string, labels: Record<string, string>) => metricValue(samples, name, labels) ?? 0;
    recordPaymentsEvent('pix.completed', { transferId: 'x' });
    recordPaymentsEvent('pix.failed', { reason: 'Pix não concluído: a transação foi bloqueada.', failureCode: 'FRAUD_SUSPECTED' });
    recordPaymentsEvent('pix.failed', { reason: 'Pix não concluído: o prazo acabou.', failureCode: 'DEADLINE_EXPIRED' });
    // An older event (no code) and a code this process does not know keep the label set bounded: `other`.
    recordPaymentsEvent('pix.failed', { reason: 'o cliente maria@example.com não tem saldo' });
    recordPaymentsEvent('pix.failed', { reason: 'Pix não concluído.', failureCode: 'NEW_CODE_FROM_A_NEWER_PRODUCER' });
    recordPaymentsEvent('fraud.detected', { decision: 'REJECTED', reasons: ['AMOUNT_OVER_LIMIT', 'NIGHT_LIMIT'] });
    recordPaymentsEvent('fraud.cleared', { decision: 'APPROVED', reasons: [] });
    recordPaymentsEvent('account.created', { email: 'x@y.z' });
    const after = parsePrometheus(await registry.metrics());
    const delta = (name: string, labels: Record<string, string>) => v(after, name, labels) - v(before, name, labels);
    expect(delta('pix_saga_outcomes_total', { result: 'completed' })).toBe(1);
    expect(delta('pix_saga_outcomes_total', { result: 'failed', reason: 'FRAUD_SUSPECTED' })).toBe(1);
    expect(delta('pix_saga_outcomes_total', { result: 'failed', reason: 'DEADLINE_EXPIRED' })).toBe(1);
    expect(delta('pix_saga_outcomes_total', { result: 'failed', reason: 'other' })).toBe(2);
    expect(after.some((s) => s.name === 'pix_saga_outcomes_total' && s.labels.reason === 'NEW_CODE_FROM_A_NEWER_PRODUCER')).toBe(false);
    expect(delta('fraud_decisions_total', { decision: 'REJECTED' })).toBe(1);
    expect(delta('fraud_decisions_total', { decision: 'APPROVED' })).toBe(1);
    expect(delta('fraud_reasons_total', { reason: 'NIGHT_LIMIT' })).toBe(1);
  });

  it('when a circuit breaker opens, then circuit_breaker_state follows it (created through the platform helper)', async () => {
    const breaker = createBreaker({ name: 'unit-upstream', consecutiveFailures: 1, halfOpenAfterMs: 60_000 });
    const state = async () => metricValue(parsePrometheus(await registry.metrics()), 'circuit_breaker_state', { breaker: 'unit-upstream' });
    expect(await state()).toBe(CircuitState.Closed);
    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
    expect(await state()).toBe(CircuitState.Open);
    // The helper works for any cockatiel policy, too.
    observeBreaker('unit-other', breaker);
    expect(metricValue(parsePrometheus(await registry.metrics()), 'circuit_breaker_state', { breaker: 'unit-other' })).toBe(CircuitState.Open);
  });
});

describe('who may read /metrics', () => {
  const app = createServiceApp({ service: 'metrics-auth-unit', logger, readiness: [], metricsToken: 'a-metrics-token-of-32-characters' });

  it('when /metrics is asked without the bearer token, with another token or another scheme, then 401 with the problem shape and no metric in the body', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-but-long-enough', 'Basic a-metrics-token-of-32-characters', 'a-metrics-token-of-32-characters']) {
      const res = await app.request('/metrics', { headers: authorization ? { authorization } : {} });
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      const body = await res.text();
      expect(JSON.parse(body)).toMatchObject({ status: 401, code: 'METRICS_UNAUTHENTICATED' });
      expect(body).not.toContain('http_requests_total');
    }
  });

  it('when /metrics is asked with the bearer token, then the Prometheus text comes back', async () => {
    const res = await app.request('/metrics', { headers: { authorization: 'Bearer a-metrics-token-of-32-characters' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('# TYPE');
  });

  it('when METRICS_TOKEN is set it is the token; unset, development uses the local token and production refuses to start; a short one is refused', () => {
    expect(metricsToken({ METRICS_TOKEN: 'x'.repeat(20) })).toBe('x'.repeat(20));
    expect(metricsToken({})).toBe(DEV_METRICS_TOKEN);
    expect(() => metricsToken({ NODE_ENV: 'production' })).toThrow(/METRICS_TOKEN must be set in production/);
    expect(() => metricsToken({ METRICS_TOKEN: 'short' })).toThrow(/at least 16/);
  });
});
