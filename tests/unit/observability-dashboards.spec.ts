// The Grafana dashboards and provisioning files in infra/observability: valid for Grafana's file provisioning
// (checked against the schema below), wired to the provisioned data sources, and querying metrics that the
// platform and the services really register (the business counters: @krt/payments, @krt/notifications). (tests/integration/observability/dashboards.test.ts checks the names against the
// running processes' /metrics.)
import { createServiceApp } from '@krt/platform/http';
import { createLogger, registry } from '@krt/platform/telemetry';
import { notificationDeliveries } from '@krt/notifications';
import { sagaOutcomes } from '@krt/payments';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { familyCandidates, metricNames } from '../integration/observability/promql-names';

const ROOT = path.resolve(__dirname, '../..');
const OBS = path.join(ROOT, 'infra/observability');
const DASHBOARD_DIR = path.join(OBS, 'grafana/dashboards');
const dashboardFiles = fs.readdirSync(DASHBOARD_DIR).filter((f) => f.endsWith('.json'));

const datasourceRef = z.object({ type: z.string().min(1), uid: z.string().min(1) });
const target = z.object({ refId: z.string().regex(/^[A-Z]$/), expr: z.string().min(1), datasource: datasourceRef.optional(), legendFormat: z.string().optional() });
const gridPos = z
  .object({ h: z.number().int().positive(), w: z.number().int().min(1).max(24), x: z.number().int().min(0).max(23), y: z.number().int().min(0) })
  .refine((g) => g.x + g.w <= 24, 'gridPos x + w must fit the 24-column grid');
const panel = z.discriminatedUnion('type', [
  z.object({ type: z.enum(['timeseries', 'stat', 'gauge', 'bargauge', 'table']), id: z.number().int().positive(), title: z.string().min(1), gridPos, datasource: datasourceRef, targets: z.array(target).min(1) }),
  z.object({ type: z.literal('text'), id: z.number().int().positive(), title: z.string(), gridPos, options: z.object({ mode: z.enum(['markdown', 'html']), content: z.string().min(1) }) }),
]);
const variable = z.object({ name: z.string().regex(/^[a-zA-Z_]\w*$/), type: z.enum(['query', 'custom', 'constant', 'datasource', 'interval', 'textbox']), datasource: datasourceRef.optional(), query: z.unknown() });
/** What Grafana's file provisioning needs from a dashboard model (and what our dashboards promise on top). */
const dashboardSchema = z.object({
  uid: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/),
  title: z.string().min(1),
  schemaVersion: z.number().int().min(36),
  version: z.number().int().nonnegative(),
  tags: z.array(z.string()).refine((tags) => tags.includes('krt-bank'), 'tagged krt-bank (the dashboards link each other by tag)'),
  time: z.object({ from: z.string().min(1), to: z.string().min(1) }),
  refresh: z.string().optional(),
  templating: z.object({ list: z.array(variable) }),
  panels: z.array(panel).min(1),
});

const dashboards = dashboardFiles.map((f) => ({ file: f, json: JSON.parse(fs.readFileSync(path.join(DASHBOARD_DIR, f), 'utf8')) as Record<string, unknown> }));
const datasources = parse(fs.readFileSync(path.join(OBS, 'grafana/provisioning/datasources/datasources.yaml'), 'utf8')) as { apiVersion: number; datasources: { uid: string; type: string; url: string }[] };
const providers = parse(fs.readFileSync(path.join(OBS, 'grafana/provisioning/dashboards/dashboards.yaml'), 'utf8')) as { apiVersion: number; providers: { type: string; options: { path: string } }[] };
const exprs = () => dashboards.flatMap(({ file, json }) => ((json.panels as { targets?: { expr: string }[] }[]) ?? []).flatMap((p) => (p.targets ?? []).map((t) => ({ file, expr: t.expr }))));

describe('Grafana provisioning (infra/observability/grafana)', () => {
  it('when the dashboards are read, then there are the six promised ones, each valid for provisioning with a unique uid and title', () => {
    expect(dashboardFiles.sort()).toEqual(['latency.json', 'notifications.json', 'outbox-kafka.json', 'pix-saga.json', 'runtime.json', 'traffic-errors.json']);
    for (const { file, json } of dashboards) {
      const parsed = dashboardSchema.safeParse(json);
      expect(parsed.success, `${file}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))}`).toBe(true);
      const ids = (json.panels as { id: number }[]).map((p) => p.id);
      expect(new Set(ids).size, `${file}: panel ids are unique`).toBe(ids.length);
    }
    expect(new Set(dashboards.map((d) => d.json.uid)).size).toBe(dashboards.length);
    expect(new Set(dashboards.map((d) => d.json.title)).size).toBe(dashboards.length);
  });

  it('when panels name a data source, then it is one the provisioning creates (Prometheus), and a trace back end is provisioned', () => {
    expect(datasources.apiVersion).toBe(1);
    const uids = new Map(datasources.datasources.map((d) => [d.uid, d.type]));
    expect(uids.get('prometheus')).toBe('prometheus');
    expect(uids.get('jaeger')).toBe('jaeger');
    for (const { file, json } of dashboards) {
      for (const p of json.panels as { type: string; datasource?: { uid: string; type: string } }[]) {
        if (p.type === 'text') continue;
        expect(uids.get(p.datasource!.uid), `${file}: data source ${p.datasource!.uid}`).toBe(p.datasource!.type);
      }
    }
  });

  it('when docker-compose mounts the dashboards, then the provider reads the folder they are mounted at', () => {
    expect(providers.apiVersion).toBe(1);
    const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { volumes?: string[] }> };
    const mounts = compose.services.grafana!.volumes!;
    const dashboardsMount = mounts.find((m) => m.startsWith('./infra/observability/grafana/dashboards:'))!.split(':')[1];
    expect(providers.providers.map((p) => p.options.path)).toContain(dashboardsMount);
    expect(mounts.some((m) => m.startsWith('./infra/observability/grafana/provisioning:/etc/grafana/provisioning'))).toBe(true);
  });

  it('when every query is parsed, then it names only metrics that the platform registers (histograms by their series)', () => {
    createServiceApp({ service: 'dashboards-unit', logger: createLogger('dashboards-unit', { level: 'silent' }), readiness: [] });
    expect([sagaOutcomes, notificationDeliveries].every((c) => registry.getSingleMetric((c as unknown as { name: string }).name))).toBe(true);
    const registered = new Set(registry.getMetricsAsArray().map((m) => m.name));
    const used = exprs();
    expect(used.length).toBeGreaterThan(40);
    for (const { file, expr } of used) {
      const names = metricNames(expr);
      expect(names.length, `${file}: ${expr}`).toBeGreaterThan(0);
      for (const name of names) expect(familyCandidates(name).some((n) => registered.has(n)), `${file}: ${name} in ${expr}`).toBe(true);
    }
  });

  it('when PromQL is reduced to metric names, then label matchers, ranges, numbers and functions are not taken for names', () => {
    expect(metricNames('histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket{service=~"$service"}[$__rate_interval])))')).toEqual(['http_request_duration_seconds_bucket']);
    expect(metricNames('sum(rate(a_total{x="y"}[5m])) / clamp_min(sum(rate(b_total[5m])), 1e-9)')).toEqual(['a_total', 'b_total']);
    expect(metricNames('count(circuit_breaker_state == 1) or vector(0)')).toEqual(['circuit_breaker_state']);
  });
});
