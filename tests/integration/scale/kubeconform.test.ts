// The Kubernetes manifests pass kubeconform (built from its Go module) in strict mode, against schemas generated
// from the Kubernetes OpenAPI document — all offline after the first build (scripts/stack/kubeconform.mjs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KUBERNETES_VERSION, validateManifests } from '../../../scripts/stack/kubeconform.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'krt-k8s-'));

describe('Kubernetes manifests against the Kubernetes API schema', () => {
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it(`when deploy/k8s is validated strictly against Kubernetes ${KUBERNETES_VERSION}, then every object is valid and none is left unchecked`, () => {
    const { status, report } = validateManifests([path.resolve('deploy/k8s')]);
    const problems = (report.resources ?? []).filter((r) => r.status !== 'statusValid' && r.status !== 'statusSkipped');
    expect(problems).toEqual([]);
    expect(status).toBe(0);
    expect(report.summary.invalid + report.summary.errors).toBe(0);
    // Deployment, HPA and PDB for 9 processes, 4 Services, plus namespace, config, ingress and network policies.
    expect(report.summary.valid).toBeGreaterThanOrEqual(9 * 3 + 4 + 5);
    // Only the two Kustomization files are skipped (they are not API objects).
    expect(report.summary.skipped).toBe(2);
  }, 600_000);

  it('when a manifest has a mistyped field, a wrong type or an unknown kind, then the validator rejects each of them', () => {
    const deployment = fs.readFileSync('deploy/k8s/base/payments.yaml', 'utf8').split('\n---\n')[0]!;
    fs.writeFileSync(path.join(scratch, 'typo.yaml'), deployment.replace('readinessProbe:', 'readynessProbe:'));
    fs.writeFileSync(path.join(scratch, 'type.yaml'), deployment.replace('revisionHistoryLimit: 5', 'revisionHistoryLimit: "five"'));
    fs.writeFileSync(path.join(scratch, 'kind.yaml'), 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n');
    const { status, report } = validateManifests([scratch]);
    expect(status).not.toBe(0);
    const byFile = Object.fromEntries((report.resources ?? []).map((r) => [path.basename(r.filename), r]));
    expect(byFile['typo.yaml']!.status).toBe('statusInvalid');
    expect(byFile['typo.yaml']!.msg).toContain('readynessProbe');
    expect(byFile['type.yaml']!.status).toBe('statusInvalid');
    expect(byFile['kind.yaml']!.status).toBe('statusError'); // no schema for it: never silently accepted
  });
});
