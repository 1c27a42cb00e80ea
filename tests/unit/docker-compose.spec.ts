// docker-compose.yml cannot run on the project's machines (no Docker engine): this keeps it valid and equal to the local stack.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadOnboardingConfig } from '../../apps/onboarding/src/config';
import { loadPaymentsConfig, receiptKeyOf } from '../../apps/payments/src/config';
import { NODE_ENTRIES, sourceOfCompiled } from '../../scripts/build.mjs';

const compose = parse(fs.readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, Record<string, unknown>> };
const services = compose.services;

const hostPorts = (name: string) => ((services[name]?.ports as string[] | undefined) ?? []).map((p) => Number(String(p).split(':')[0]));

describe('docker-compose.yml', () => {
  it('when parsed, then it has the same infrastructure on the same host ports as the local stack', () => {
    expect(hostPorts('postgres')).toContain(5433);
    expect(hostPorts('redis')).toContain(6380);
    expect(hostPorts('rabbitmq')).toEqual(expect.arrayContaining([5672, 15672]));
    expect(hostPorts('kafka')).toContain(9092);
    expect(hostPorts('keycloak')).toContain(8080);
    expect(hostPorts('bff')).toContain(5000);
    expect(hostPorts('onboarding')).toContain(5001);
    expect(hostPorts('payments')).toContain(5002);
  });

  it('imports the same realm file and runs Kafka without ZooKeeper', () => {
    expect(JSON.stringify(services.keycloak)).toContain('./infra/keycloak/krt-bank-realm.json');
    expect(JSON.stringify(services.keycloak)).toContain('--import-realm');
    expect(Object.keys(services)).not.toContain('zookeeper');
    expect(JSON.stringify(services.kafka)).toContain('broker,controller');
  });

  it('gives every long-running service a healthcheck, and apps wait for healthy dependencies', () => {
    for (const [name, svc] of Object.entries(services)) {
      if (name === 'kafka-init') continue;
      expect(svc.healthcheck, `${name} healthcheck`).toBeDefined();
    }
    const bffDeps = services.bff!.depends_on as Record<string, { condition: string }>;
    expect(bffDeps.payments!.condition).toBe('service_healthy');
    expect(bffDeps.keycloak!.condition).toBe('service_healthy');
  });

  it('starts a compiled entry point that the production build makes, for every app service', () => {
    let apps = 0;
    for (const [name, svc] of Object.entries(services)) {
      const command = svc.command as string[] | undefined;
      // A service with an image of its own is not the bank's (alert-webhook runs a script on node:20-alpine).
      if (command?.[0] !== 'node' || svc.image) continue;
      apps += 1;
      const entry = command.at(-1)!;
      const source = sourceOfCompiled(entry);
      expect(source, `${name}: ${entry} is not a compiled entry (dist/node/...js)`).toBeDefined();
      expect(fs.existsSync(source!), `${name}: ${source}`).toBe(true);
      expect(NODE_ENTRIES, name).toContain(source);
      expect(command.join(' '), `${name} runs TypeScript at start-up`).not.toMatch(/tsx|\.ts\b/);
    }
    expect(apps).toBeGreaterThanOrEqual(9);
    expect(String(((compose as unknown as Record<string, unknown>)['x-app-env'] as Record<string, unknown> | undefined)?.NODE_OPTIONS ?? '')).not.toMatch(/tsx|\.ts\b/);
  });

  it('sends Alertmanager notifications to a webhook receiver that runs the repository script, besides the e-mail', () => {
    const webhook = services['alert-webhook']!;
    expect(webhook.image).toMatch(/^node:\d+-alpine$/);
    expect(JSON.stringify(webhook.volumes)).toContain('./infra/observability/webhook-receiver.mjs:/srv/webhook-receiver.mjs');
    expect(webhook.command).toEqual(['node', '/srv/webhook-receiver.mjs']);
    expect(fs.existsSync('infra/observability/webhook-receiver.mjs')).toBe(true);
    const env = webhook.environment as Record<string, string>;
    expect((services.alertmanager!.depends_on as Record<string, { condition: string }>)['alert-webhook']!.condition).toBe('service_healthy');

    const config = parse(fs.readFileSync('infra/observability/alertmanager.compose.yml', 'utf8')) as {
      route: { receiver: string };
      receivers: { name: string; webhook_configs?: { url: string }[]; email_configs?: { to: string }[] }[];
    };
    const receiver = config.receivers.find((r) => r.name === config.route.receiver)!;
    expect(receiver.webhook_configs?.map((w) => w.url)).toEqual([`http://alert-webhook:${env.WEBHOOK_RECEIVER_PORT}/alerts`]);
    expect(receiver.email_configs?.length).toBe(1);
  });

  it('gives onboarding and payments the keys production refuses to take from the development defaults, so both start', () => {
    const defaults = (v: unknown) => String(v).replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');
    const envOf = (name: string) => {
      const raw = { ...(services[name]?.environment as Record<string, unknown>) };
      const merged = { ...((raw['<<'] as Record<string, unknown> | undefined) ?? {}), ...raw };
      delete merged['<<'];
      return Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, defaults(v)]));
    };
    expect(envOf('onboarding').NODE_ENV).toBe('production');
    expect(() => loadOnboardingConfig(envOf('onboarding'))).not.toThrow();
    expect(() => receiptKeyOf(loadPaymentsConfig(envOf('payments')))).not.toThrow();
  });
});
