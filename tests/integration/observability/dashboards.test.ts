// Every metric the Grafana dashboards query is exposed by the running processes' /metrics (scraped from the stack).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exposedNames } from './prometheus-text';
import { familyCandidates, metricNames } from './promql-names';
import { runningInstances, scrape } from './stack-kit';

const DASHBOARD_DIR = path.resolve(__dirname, '../../../infra/observability/grafana/dashboards');

describe('Grafana dashboards against the running processes', () => {
  it('when every process of the stack is scraped, then each metric a dashboard queries is exposed by at least one of them', async () => {
    const instances = runningInstances();
    expect(instances.map((i) => i.app)).toEqual(expect.arrayContaining(['bff', 'payments', 'onboarding', 'payments-fraud-consumer', 'notification-worker']));
    const exposed = new Set<string>();
    const perProcess = new Map<string, Set<string>>();
    for (const inst of instances) {
      const names = exposedNames((await scrape(inst.port)).text);
      perProcess.set(inst.name, names);
      for (const n of names) exposed.add(n);
    }
    // Every process exposes the HTTP and runtime families (the platform registry is the same everywhere).
    for (const [name, names] of perProcess) {
      for (const family of ['http_requests_total', 'http_request_duration_seconds', 'process_cpu_seconds_total', 'db_pool_connections']) expect(names.has(family), `${name} exposes ${family}`).toBe(true);
    }
    const missing: string[] = [];
    for (const file of fs.readdirSync(DASHBOARD_DIR).filter((f) => f.endsWith('.json'))) {
      const dashboard = JSON.parse(fs.readFileSync(path.join(DASHBOARD_DIR, file), 'utf8')) as { panels: { targets?: { expr: string }[] }[] };
      for (const t of dashboard.panels.flatMap((p) => p.targets ?? [])) {
        for (const name of metricNames(t.expr)) if (!familyCandidates(name).some((n) => exposed.has(n))) missing.push(`${file}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
