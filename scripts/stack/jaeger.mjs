// Jaeger, the trace store with a query API: the `jaeger` program (Jaeger v2, built on the OpenTelemetry Collector)
// built from its Go module through the Go module proxy, as kubeconform is, and run by the stack with
// infra/observability/jaeger.local.yaml: OTLP/HTTP in on 4318 (every bank process exports there while it runs, see
// stackEnv in apps.mjs), traces kept in memory (bounded by JAEGER_MAX_TRACES), the query API on 16686
// (GET /api/traces/<traceId>, /api/services, /api/traces?service=…) and Jaeger's own metrics on 14269.
// The Go module ships without the web UI (its cmd/query/app/ui/actual is empty; the UI is a separate npm build),
// so the page at 16686 is Jaeger's placeholder: a person reads a trace with infra/observability/trace-view.mjs.
//
//   node scripts/stack/jaeger.mjs     build the binary (once per version) and print its path
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, TOOLS_DIR, componentDir, ensureApt, localProcess, run, step, which } from './common.mjs';

export const JAEGER_VERSION = process.env.JAEGER_VERSION ?? 'v1.75.0';
const JAEGER_MODULE = 'github.com/jaegertracing/jaeger';
const JAEGER_PACKAGE = `${JAEGER_MODULE}/cmd/jaeger`;

export const JAEGER_OTLP_HTTP_PORT = Number(process.env.JAEGER_OTLP_HTTP_PORT ?? 4318);
export const JAEGER_QUERY_PORT = Number(process.env.JAEGER_QUERY_PORT ?? 16686);
export const JAEGER_QUERY_GRPC_PORT = Number(process.env.JAEGER_QUERY_GRPC_PORT ?? 16685);
export const JAEGER_METRICS_PORT = Number(process.env.JAEGER_METRICS_PORT ?? 14269);
/** The most traces kept in memory; past it the oldest trace is dropped. */
export const JAEGER_MAX_TRACES = Number(process.env.JAEGER_MAX_TRACES ?? 5000);

/** Where the bank's processes send their spans (the OTLP exporter appends /v1/traces). */
export const JAEGER_OTLP_ENDPOINT = `http://127.0.0.1:${JAEGER_OTLP_HTTP_PORT}`;
/** The query API: GET `${JAEGER_QUERY_URL}/api/traces/<traceId>`. */
export const JAEGER_QUERY_URL = `http://127.0.0.1:${JAEGER_QUERY_PORT}`;

const BIN_DIR = path.join(TOOLS_DIR, 'bin');
export const JAEGER_BIN = path.join(BIN_DIR, 'jaeger');
const MODULE_DIR = path.join(TOOLS_DIR, 'jaeger-module');
const CONFIG = path.join(ROOT, 'infra/observability/jaeger.local.yaml');

function goBinary() {
  const found = which('go') ?? (fs.existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (found) return found;
  ensureApt('jaeger', ['golang-go'], () => Boolean(which('go')));
  return which('go');
}

// The machine's own GOPROXY (the module proxy is the only source used); GOTOOLCHAIN=auto fetches the Go version the
// module asks for when the installed one is older (Debian's golang-go), through the same proxy.
const goEnv = () => ({ ...process.env, GO111MODULE: 'on', GOFLAGS: '-mod=mod', GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'auto' });

function go(args, what) {
  const r = run(goBinary(), args, { cwd: MODULE_DIR, env: goEnv(), timeout: 1_800_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`jaeger: ${what} failed: ${(r.stderr || r.stdout).trim().slice(-800)}`);
  return r.stdout;
}

/**
 * Builds the jaeger binary into .stack/tools/bin (once per version) and returns its path. `go install pkg@version`
 * refuses the module (its go.mod has a `replace`), so it is built inside a small module of our own that requires it
 * and repeats its replace directives, which gives the same dependency versions as Jaeger's own build.
 */
export function ensureJaeger() {
  const stamp = `${JAEGER_BIN}.version`;
  if (fs.existsSync(JAEGER_BIN) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === JAEGER_VERSION) return JAEGER_BIN;
  const started = Date.now();
  step(`jaeger: building ${JAEGER_PACKAGE}@${JAEGER_VERSION} from the Go module proxy (first run only; a few minutes)`);
  fs.rmSync(MODULE_DIR, { recursive: true, force: true });
  fs.mkdirSync(MODULE_DIR, { recursive: true });
  fs.mkdirSync(BIN_DIR, { recursive: true });
  const info = JSON.parse(run(goBinary(), ['mod', 'download', '-json', `${JAEGER_MODULE}@${JAEGER_VERSION}`], { cwd: os.tmpdir(), env: goEnv(), timeout: 600_000 }).stdout || '{}');
  if (!info.GoMod) throw new Error(`jaeger: go mod download ${JAEGER_MODULE}@${JAEGER_VERSION} failed${info.Error ? `: ${info.Error}` : ''}`);
  const upstream = fs.readFileSync(info.GoMod, 'utf8');
  const goLine = /^go\s+(\S+)/m.exec(upstream)?.[1] ?? '1.24';
  const replaces = upstream.split('\n').filter((l) => /^replace\s/.test(l));
  const block = /^replace\s*\(\n([\s\S]*?)\n\)/m.exec(upstream)?.[1];
  if (block) replaces.push(...block.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => `replace ${l}`));
  fs.writeFileSync(path.join(MODULE_DIR, 'go.mod'), `module krt.local/jaeger-tool\n\ngo ${goLine}\n\n${replaces.join('\n')}\n`);
  go(['get', `${JAEGER_PACKAGE}@${JAEGER_VERSION}`], `go get ${JAEGER_PACKAGE}@${JAEGER_VERSION}`);
  const tmp = `${JAEGER_BIN}.tmp`;
  go(['build', '-trimpath', '-o', tmp, JAEGER_PACKAGE], `go build ${JAEGER_PACKAGE}`);
  fs.renameSync(tmp, JAEGER_BIN);
  fs.writeFileSync(stamp, `${JAEGER_VERSION}\n`);
  step(`jaeger: built in ${Math.round((Date.now() - started) / 1000)} s`);
  return JAEGER_BIN;
}

export const jaeger = {
  ...localProcess('jaeger', { ports: [JAEGER_OTLP_HTTP_PORT, JAEGER_QUERY_PORT, JAEGER_QUERY_GRPC_PORT, JAEGER_METRICS_PORT], intervalMs: 500 }),
  /** Healthy when the OTLP receiver accepts an (empty) export and the query API answers. */
  async healthy() {
    const otlp = await fetch(`${JAEGER_OTLP_ENDPOINT}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"resourceSpans":[]}',
      signal: AbortSignal.timeout(2000),
    });
    if (!otlp.ok) return false;
    const query = await fetch(`${JAEGER_QUERY_URL}/api/services`, { signal: AbortSignal.timeout(2000) });
    return query.ok && Array.isArray((await query.json()).data ?? []);
  },
  install() {
    ensureJaeger();
  },
  async start() {
    await this.spawn(JAEGER_BIN, ['--config', CONFIG], {
      cwd: componentDir('jaeger'),
      env: {
        JAEGER_OTLP_HTTP_PORT: String(JAEGER_OTLP_HTTP_PORT),
        JAEGER_QUERY_PORT: String(JAEGER_QUERY_PORT),
        JAEGER_QUERY_GRPC_PORT: String(JAEGER_QUERY_GRPC_PORT),
        JAEGER_METRICS_PORT: String(JAEGER_METRICS_PORT),
        JAEGER_MAX_TRACES: String(JAEGER_MAX_TRACES),
        // A soft ceiling for the Go heap: the memory store is bounded by trace count, not bytes.
        GOMEMLIMIT: process.env.JAEGER_GOMEMLIMIT ?? '1GiB',
      },
    });
  },
};

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) console.log(ensureJaeger());
