// kubeconform, the Kubernetes manifest validator, built from its Go module, and the JSON schemas it validates
// against, generated from the Kubernetes OpenAPI document shipped inside the k8s.io/kubernetes Go module.
// Both come through the Go module proxy (no other download): kubeconform normally fetches schemas from GitHub at
// run time, which the project's machines cannot reach, so the schemas are built locally, once, and cached.
//
//   node scripts/stack/kubeconform.mjs [path...]   validate (default: deploy/k8s); exit 1 when a manifest is invalid
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, TOOLS_DIR, ensureApt, run, step, which } from './common.mjs';

export const KUBECONFORM_VERSION = process.env.KUBECONFORM_VERSION ?? 'v0.7.0';
/** The Kubernetes version whose API the manifests are validated against. */
export const KUBERNETES_VERSION = process.env.KUBERNETES_SCHEMA_VERSION ?? 'v1.33.5';

const BIN_DIR = path.join(TOOLS_DIR, 'bin');
export const KUBECONFORM_BIN = path.join(BIN_DIR, 'kubeconform');
export const SCHEMA_DIR = path.join(TOOLS_DIR, 'kubernetes-json-schema', `${KUBERNETES_VERSION}-standalone-strict`);

/** The kinds the manifests may use (a schema is generated for each; any other kind fails validation). */
const KINDS = new Set([
  'Namespace', 'ConfigMap', 'Secret', 'ServiceAccount', 'Service', 'Deployment', 'StatefulSet', 'Job', 'CronJob',
  'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy', 'Ingress', 'Role', 'RoleBinding',
]);

function goBinary() {
  const found = which('go') ?? (fs.existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (found) return found;
  ensureApt('kubeconform', ['golang-go'], () => Boolean(which('go')));
  return which('go');
}

function goEnv() {
  // Outside any module, with the machine's own GOPROXY (the module proxy is the only source used).
  return { ...process.env, GO111MODULE: 'on', GOFLAGS: '-mod=mod', GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'auto' };
}

/** Builds kubeconform into .stack/tools/bin (once per version) and returns its path. */
export function ensureKubeconform() {
  const stamp = `${KUBECONFORM_BIN}.version`;
  if (fs.existsSync(KUBECONFORM_BIN) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === KUBECONFORM_VERSION) return KUBECONFORM_BIN;
  fs.mkdirSync(BIN_DIR, { recursive: true });
  step(`kubeconform: go install github.com/yannh/kubeconform/cmd/kubeconform@${KUBECONFORM_VERSION} (first run only)`);
  const r = run(goBinary(), ['install', `github.com/yannh/kubeconform/cmd/kubeconform@${KUBECONFORM_VERSION}`], {
    cwd: os.tmpdir(),
    env: { ...goEnv(), GOBIN: BIN_DIR },
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`kubeconform: go install failed: ${(r.stderr || r.stdout).trim().slice(-800)}`);
  fs.writeFileSync(stamp, `${KUBECONFORM_VERSION}\n`);
  return KUBECONFORM_BIN;
}

/** The path of api/openapi-spec/swagger.json inside the k8s.io/kubernetes module (downloaded into the Go module cache). */
function kubernetesOpenApi() {
  const r = run(goBinary(), ['mod', 'download', '-json', `k8s.io/kubernetes@${KUBERNETES_VERSION}`], { cwd: os.tmpdir(), env: goEnv(), timeout: 600_000 });
  if (r.status !== 0) throw new Error(`kubeconform: go mod download k8s.io/kubernetes@${KUBERNETES_VERSION} failed: ${(r.stderr || r.stdout).trim().slice(-800)}`);
  const dir = JSON.parse(r.stdout).Dir;
  const file = path.join(dir, 'api/openapi-spec/swagger.json');
  if (!fs.existsSync(file)) throw new Error(`kubeconform: ${file} is missing from the module`);
  return file;
}

const REF = '#/definitions/';

/**
 * One kind's standalone strict JSON schema, as kubeconform's own schema sets are made (instrumenta/openapi2jsonschema
 * with --expanded --kubernetes --stand-alone --strict): every $ref inlined, `additionalProperties: false` on every
 * object with properties, int-or-string as string|integer, Quantity as string|number, apiVersion and kind pinned.
 */
export function standaloneSchema(definitions, name) {
  const expand = (node, seen) => {
    if (Array.isArray(node)) return node.map((n) => expand(n, seen));
    if (!node || typeof node !== 'object') return node;
    if (typeof node.$ref === 'string' && node.$ref.startsWith(REF)) {
      const target = node.$ref.slice(REF.length);
      if (target === 'io.k8s.apimachinery.pkg.util.intstr.IntOrString') return { oneOf: [{ type: 'string' }, { type: 'integer' }] };
      if (target === 'io.k8s.apimachinery.pkg.api.resource.Quantity') return { oneOf: [{ type: 'string' }, { type: 'number' }] };
      if (seen.has(target)) return {}; // recursive types (none in the kinds above) stay open
      const { $ref: _ref, ...rest } = node;
      return { ...expand(definitions[target], new Set([...seen, target])), ...rest };
    }
    const out = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, expand(s, seen)])) : expand(v, seen);
    if (out.format === 'int-or-string') return { oneOf: [{ type: 'string' }, { type: 'integer' }] };
    if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
    return out;
  };
  const schema = expand(definitions[name], new Set([name]));
  const gvk = definitions[name]['x-kubernetes-group-version-kind'][0];
  const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
  schema.properties.apiVersion = { ...schema.properties.apiVersion, type: 'string', enum: [apiVersion] };
  schema.properties.kind = { ...schema.properties.kind, type: 'string', enum: [gvk.kind] };
  schema.required = [...new Set([...(schema.required ?? []), 'apiVersion', 'kind'])];
  schema.$schema = 'http://json-schema.org/schema#';
  return schema;
}

/** kubeconform's file name for a kind: deployment-apps-v1.json, service-v1.json, poddisruptionbudget-policy-v1.json. */
export const schemaFileName = ({ group, version, kind }) => `${kind.toLowerCase()}${group ? `-${group.split('.')[0]}` : ''}-${version}.json`;

/** Generates the schemas once per Kubernetes version and returns their directory. */
export function ensureSchemas() {
  const stamp = path.join(SCHEMA_DIR, '.complete');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === [...KINDS].sort().join(',')) return SCHEMA_DIR;
  step(`kubeconform: generating JSON schemas from the Kubernetes ${KUBERNETES_VERSION} OpenAPI (first run only)`);
  const { definitions } = JSON.parse(fs.readFileSync(kubernetesOpenApi(), 'utf8'));
  fs.mkdirSync(SCHEMA_DIR, { recursive: true });
  let written = 0;
  for (const [name, def] of Object.entries(definitions)) {
    const gvks = def['x-kubernetes-group-version-kind'];
    if (!gvks || gvks.length !== 1 || !KINDS.has(gvks[0].kind)) continue;
    fs.writeFileSync(path.join(SCHEMA_DIR, schemaFileName(gvks[0])), JSON.stringify(standaloneSchema(definitions, name)));
    written += 1;
  }
  if (!written) throw new Error('kubeconform: no schema generated (unexpected OpenAPI document)');
  fs.writeFileSync(stamp, `${[...KINDS].sort().join(',')}\n`);
  return SCHEMA_DIR;
}

/**
 * Validates manifests (files or folders) strictly against the local schemas; Kustomization files are skipped (they
 * are not Kubernetes API objects). Returns kubeconform's JSON report plus its exit status.
 */
export function validateManifests(paths = [path.join(ROOT, 'deploy/k8s')]) {
  const bin = ensureKubeconform();
  const schemas = ensureSchemas();
  const r = run(bin, [
    '-strict', '-summary', '-output', 'json',
    '-kubernetes-version', KUBERNETES_VERSION.replace(/^v/, ''),
    '-schema-location', `${schemas}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
    '-skip', 'Kustomization',
    ...paths,
  ], { cwd: ROOT, timeout: 120_000 });
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new Error(`kubeconform: unreadable output: ${(r.stderr || r.stdout).slice(0, 800)}`);
  }
  return { status: r.status, report };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const args = process.argv.slice(2);
  const { status, report } = validateManifests(args.length ? args.map((a) => path.resolve(a)) : undefined);
  for (const res of report.resources ?? []) if (res.status !== 'statusValid' && res.status !== 'statusSkipped') console.log(`${res.status}: ${res.filename} ${res.kind}/${res.name}: ${res.msg}`);
  console.log(JSON.stringify(report.summary));
  process.exit(status);
}
