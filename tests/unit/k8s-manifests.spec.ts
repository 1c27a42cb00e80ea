// deploy/k8s cannot be applied on the project's machines (no cluster): this keeps the manifests complete and coherent
// with the code (entry points, shutdown bound, Kafka partitions). Schema validity is checked by kubeconform in
// tests/integration/scale/kubeconform.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { NODE_ENTRIES, sourceOfCompiled } from '../../scripts/build.mjs';
import { APP_PROCESSES } from '../../scripts/stack/apps.mjs';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any; // a Kubernetes object of any kind
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

const BASE = 'deploy/k8s/base';
const load = (file: string) => parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS() as K8sObject).filter(Boolean);
const files = fs.readdirSync(BASE).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
const objects = files.flatMap((f) => load(path.join(BASE, f)));
const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
const deployments = ofKind('Deployment');
const partitions = (JSON.parse(fs.readFileSync('infra/kafka/topics.json', 'utf8')) as { partitions: number }).partitions;
const shutdownBoundMs = Number(/export function onShutdown\(.*deadlineMs = ([\d_]+)/.exec(fs.readFileSync('libs/platform/src/http/http.ts', 'utf8'))?.[1]?.replace(/_/g, ''));
const container = (d: K8sObject) => d.spec.template.spec.containers[0];
const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('Kubernetes manifests (deploy/k8s)', () => {
  it('when a process runs in the local stack, then a Deployment runs the same entry point, and every entry point exists', () => {
    expect(deployments.length).toBeGreaterThanOrEqual(9);
    const entries = deployments.map((d) => sourceOfCompiled((container(d).command as string[]).at(-1)!));
    for (const entry of entries) expect(entry && fs.existsSync(entry), `${entry} (a compiled entry of an existing source)`).toBe(true);
    for (const d of deployments) {
      const command = container(d).command as string[];
      expect(command.join(' '), 'no TypeScript at run time').not.toMatch(/tsx|\.ts\b/);
      for (const part of command) if (part.startsWith('./')) expect(NODE_ENTRIES, part).toContain(sourceOfCompiled(part));
    }
    for (const app of APP_PROCESSES) {
      if (fs.existsSync(app.entry)) expect(entries, `${app.name} (${app.entry})`).toContain(app.entry);
    }
  });

  it('gives every Deployment /ready and /health probes, requests and limits, a zero-downtime rolling update and a grace period above the shutdown bound', () => {
    expect(shutdownBoundMs).toBeGreaterThan(0);
    for (const d of deployments) {
      const c = container(d);
      const name = d.metadata.name;
      const port = (c.ports as { name: string; containerPort: number }[]).find((p) => p.name === c.readinessProbe.httpGet.port);
      expect(port, `${name} probe port`).toBeDefined();
      expect(c.readinessProbe.httpGet.path, name).toBe('/ready');
      expect(c.livenessProbe.httpGet.path, name).toBe('/health');
      for (const r of ['cpu', 'memory']) {
        expect(c.resources.requests[r], `${name} requests.${r}`).toBeDefined();
        expect(c.resources.limits[r], `${name} limits.${r}`).toBeDefined();
      }
      expect(d.spec.strategy.type, name).toBe('RollingUpdate');
      expect(d.spec.strategy.rollingUpdate.maxUnavailable, name).toBe(0);
      expect(d.spec.replicas, `${name}: the HPA owns the replica count`).toBeUndefined();
      const preStopSeconds = Number((c.lifecycle?.preStop?.exec?.command as string[] | undefined)?.[1] ?? 0);
      expect(d.spec.template.spec.terminationGracePeriodSeconds * 1000, name).toBeGreaterThan(shutdownBoundMs + preStopSeconds * 1000);
      expect(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels), `${name} selector`).toBe(true);
    }
  });

  it('scales every Deployment with an HPA, never beyond the partition count for Kafka consumers, and protects it with a PDB', () => {
    const hpas = ofKind('HorizontalPodAutoscaler');
    const pdbs = ofKind('PodDisruptionBudget');
    for (const d of deployments) {
      const name = d.metadata.name;
      const hpa = hpas.find((h) => h.spec.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === name);
      expect(hpa, `${name} HPA`).toBeDefined();
      expect(hpa!.spec.minReplicas).toBeGreaterThanOrEqual(1);
      expect(hpa!.spec.maxReplicas).toBeGreaterThan(hpa!.spec.minReplicas);
      if (d.spec.template.metadata.labels['app.kubernetes.io/component'] === 'consumer') expect(hpa!.spec.maxReplicas, `${name} max`).toBeLessThanOrEqual(partitions);
      if (['api', 'gateway'].includes(d.spec.template.metadata.labels['app.kubernetes.io/component'])) expect(hpa!.spec.minReplicas, `${name} min`).toBeGreaterThanOrEqual(2);
      const pdb = pdbs.find((p) => matches(p.spec.selector.matchLabels, d.spec.template.metadata.labels));
      expect(pdb, `${name} PDB`).toBeDefined();
    }
  });

  it('puts a Service in front of the BFF and each API, reaching the container port by name', () => {
    const services = ofKind('Service');
    for (const d of deployments.filter((x) => ['api', 'gateway'].includes(x.spec.template.metadata.labels['app.kubernetes.io/component']))) {
      const svc = services.find((s) => matches(s.spec.selector, d.spec.template.metadata.labels));
      expect(svc, `${d.metadata.name} Service`).toBeDefined();
      const names = (container(d).ports as { name: string }[]).map((p) => p.name);
      for (const p of svc!.spec.ports as { targetPort: string }[]) expect(names).toContain(p.targetPort);
    }
  });

  it('takes credentials only from the Secret and every other setting from the ConfigMap, both of which define what is referenced', () => {
    const configMap = ofKind('ConfigMap').find((c) => c.metadata.name === 'krt-bank-config')!;
    const secret = load('deploy/k8s/examples/secret.example.yaml').find((o) => o.kind === 'Secret')!;
    const secretKeys = Object.keys(secret.stringData ?? {});
    for (const d of deployments) {
      const c = container(d);
      for (const ref of c.envFrom as { configMapRef?: { name: string } }[]) expect(ref.configMapRef?.name).toBe('krt-bank-config');
      for (const e of c.env as { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[]) {
        if (e.valueFrom?.secretKeyRef) {
          expect(e.valueFrom.secretKeyRef.name).toBe(secret.metadata.name);
          expect(secretKeys, `${d.metadata.name}: ${e.name}`).toContain(e.valueFrom.secretKeyRef.key);
        }
        expect(`${e.value ?? ''}`).not.toMatch(/:\/\/[^/]*:[^/]*@/); // no credentials inline
      }
    }
    for (const value of Object.values(configMap.data ?? {})) expect(value).not.toMatch(/:\/\/[^/]*:[^/]*@/);
    for (const key of Object.keys(configMap.data ?? {})) expect(secretKeys).not.toContain(key);
  });

  it('lists every base manifest in the kustomization, and the example Secret is not applied by it', () => {
    const kustomization = load(path.join(BASE, 'kustomization.yaml'))[0] as unknown as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual([...files].sort());
    expect(kustomization.resources.join(' ')).not.toContain('secret');
  });
});
