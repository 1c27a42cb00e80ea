// The stack's Prometheus (scripts/stack/prometheus.mjs) against the running bank: every process and replica of
// scripts/stack/apps.mjs's instance plan is a target that is up (scraped with the metrics bearer token), the rules of
// infra/observability/rules are loaded and evaluate without error, the metrics they read are the ones the processes
// really export, and alerts go to the stack's Alertmanager.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { instancePlan } from '../../../scripts/stack/apps.mjs';
import { ALERTMANAGER_PORT, ALERTMANAGER_URL } from '../../../scripts/stack/alertmanager.mjs';
import { PROMETHEUS_URL, RULES_DIR } from '../../../scripts/stack/prometheus.mjs';
import { exposedNames } from './prometheus-text';
import { familyCandidates, metricNames } from './promql-names';
import { runningInstances, scrape } from './stack-kit';

interface Target {
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

async function api<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  expect(res.status, url).toBe(200);
  return (await res.json()) as T;
}

const activeTargets = async () => (await api<{ data: { activeTargets: Target[] } }>(`${PROMETHEUS_URL}/api/v1/targets?state=active`)).data.activeTargets;

/** Scrape interval 5 s: a target that just (re)started is seen up within two intervals. */
async function waitUntilUp(processes: string[], timeoutMs = 15_000): Promise<Target[]> {
  const deadline = Date.now() + timeoutMs;
  let targets = await activeTargets();
  while (Date.now() < deadline) {
    const bank = targets.filter((t) => t.scrapePool === 'krt-apps');
    if (processes.every((p) => bank.some((t) => t.labels.process === p && t.health === 'up'))) break;
    await new Promise((r) => setTimeout(r, 1000));
    targets = await activeTargets();
  }
  return targets;
}

describe('Prometheus of the local stack', () => {
  it('when the bank runs, then every process and replica of the instance plan is a target scraped up with the bearer token', async () => {
    const plan = [...instancePlan(process.env).values()].flat().filter((i) => i.port);
    expect(plan.map((i) => i.name)).toEqual(expect.arrayContaining(['bff', 'payments', 'onboarding', 'notifications', 'payments-payment-consumer', 'notification-worker']));
    // What runs is what is planned (a replica started by hand would be a process Prometheus does not know).
    expect(runningInstances().map((i) => i.name).sort()).toEqual(plan.map((i) => i.name).sort());

    const targets = await waitUntilUp(plan.map((i) => i.name));
    const bank = targets.filter((t) => t.scrapePool === 'krt-apps');
    expect(bank.map((t) => t.labels.process).sort()).toEqual(plan.map((i) => i.name).sort());
    for (const inst of plan) {
      const t = bank.find((x) => x.labels.process === inst.name)!;
      expect({ process: inst.name, url: t.scrapeUrl, app: t.labels.app, health: t.health, lastError: t.lastError }).toEqual({
        process: inst.name,
        url: `http://127.0.0.1:${inst.port}/metrics`,
        app: inst.app.name,
        health: 'up',
        lastError: '',
      });
    }
    // The infrastructure that exposes metrics (Keycloak's management interface, RabbitMQ's plugin, Jaeger), and the monitoring itself.
    for (const job of ['keycloak', 'rabbitmq', 'jaeger', 'alertmanager', 'prometheus']) {
      expect(targets.find((t) => t.scrapePool === job), job).toMatchObject({ health: 'up' });
    }
    // The samples are really stored: one series per process for a metric every process exports.
    const query = await api<{ data: { result: { metric: Record<string, string> }[] } }>(
      `${PROMETHEUS_URL}/api/v1/query?query=${encodeURIComponent('count by (process) (process_cpu_seconds_total{job="krt-apps"})')}`,
    );
    expect(query.data.result.map((r) => r.metric.process).sort()).toEqual(plan.map((i) => i.name).sort());
    // RabbitMQ's queues are stored too: the notification consumers hold their queues (one consumer at least).
    const consumers = await api<{ data: { result: { value: [number, string] }[] } }>(
      `${PROMETHEUS_URL}/api/v1/query?query=${encodeURIComponent('sum(rabbitmq_queue_consumers{job="rabbitmq"})')}`,
    );
    expect(Number(consumers.data.result[0]?.value[1] ?? 0)).toBeGreaterThanOrEqual(1);
  });

  it('when the rules are loaded, then every group of the repository evaluates without error and alerts go to the stack Alertmanager', async () => {
    const files = fs.readdirSync(RULES_DIR).filter((f) => f.endsWith('.rules.yml'));
    const expected = files.flatMap((f) => (parse(fs.readFileSync(path.join(RULES_DIR, f), 'utf8')) as { groups: { name: string; rules: unknown[] }[] }).groups);
    // Rules are evaluated every 5 s: wait for one evaluation of each after a (re)start.
    const deadline = Date.now() + 15_000;
    let groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[] = [];
    do {
      groups = (await api<{ data: { groups: typeof groups } }>(`${PROMETHEUS_URL}/api/v1/rules`)).data.groups;
      if (groups.length && groups.every((g) => g.rules.every((r) => r.health !== 'unknown'))) break;
      await new Promise((r) => setTimeout(r, 1000));
    } while (Date.now() < deadline);
    const byName = (a: [string, number], b: [string, number]) => a[0].localeCompare(b[0]);
    expect(groups.map((g): [string, number] => [g.name, g.rules.length]).sort(byName)).toEqual(expected.map((g): [string, number] => [g.name, g.rules.length]).sort(byName));
    const unhealthy = groups.flatMap((g) => g.rules.filter((r) => r.health !== 'ok').map((r) => `${g.name}/${r.name}: ${r.health} ${r.lastError ?? ''}`));
    expect(unhealthy).toEqual([]);

    // Discovered again within a few seconds after a (re)start or a config reload.
    const alertmanagers = async () => (await api<{ data: { activeAlertmanagers: { url: string }[] } }>(`${PROMETHEUS_URL}/api/v1/alertmanagers`)).data.activeAlertmanagers.map((a) => a.url);
    const amDeadline = Date.now() + 10_000;
    let urls = await alertmanagers();
    while (!urls.length && Date.now() < amDeadline) {
      await new Promise((r) => setTimeout(r, 500));
      urls = await alertmanagers();
    }
    expect(urls).toEqual([`http://127.0.0.1:${ALERTMANAGER_PORT}/api/v2/alerts`]);
    const status = await api<{ config: { original: string } }>(`${ALERTMANAGER_URL}/api/v2/status`);
    expect(status.config.original).toMatch(new RegExp(`smtp_smarthost: '?127\\.0\\.0\\.1:${process.env.SMTP_CATCHER_SMTP_PORT ?? 1025}'?\\n`));
  });

  it('when the rules are read, then every metric they use is exported by a running process (or is a recording rule or up)', async () => {
    const exposed = new Set<string>(['up']);
    for (const inst of runningInstances()) for (const n of exposedNames((await scrape(inst.port)).text)) exposed.add(n);
    const missing: string[] = [];
    for (const f of fs.readdirSync(RULES_DIR).filter((x) => x.endsWith('.rules.yml'))) {
      const { groups } = parse(fs.readFileSync(path.join(RULES_DIR, f), 'utf8')) as { groups: { rules: { record?: string; expr: string }[] }[] };
      const recorded = new Set(groups.flatMap((g) => g.rules.map((r) => r.record).filter(Boolean)));
      for (const rule of groups.flatMap((g) => g.rules)) {
        for (const name of metricNames(rule.expr)) {
          if (!recorded.has(name) && !familyCandidates(name).some((n) => exposed.has(n))) missing.push(`${f}: ${name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
