// Helpers for tests that look at the running stack's processes from outside: which instances run on which port,
// their /metrics, the span files they write (.stack/traces/<instance>.jsonl), and a browser-like BFF client.
import { DEV_METRICS_TOKEN } from '@krt/platform/http';
import type { SpanLine } from '@krt/platform/telemetry';
import fs from 'node:fs';
import path from 'node:path';
import { APP_PROCESSES, apps, tracesFile } from '../../../scripts/stack/apps.mjs';
import { parsePrometheus, type Sample } from './prometheus-text';
import { eventually } from '@krt/testing';
import { randomUUID } from 'node:crypto';
import { depositTo, PASSWORD, TEST_PIN, type newBankCustomer } from '../bff/bff-test-kit';

export const STACK_BFF = 'http://127.0.0.1:5000';
const STACK_DIR = path.resolve(process.env.KRT_STACK_DIR ?? path.join(__dirname, '../../../.stack'));

export interface Instance {
  /** Instance name (`payments`, `payments-2`). */
  name: string;
  /** App name (`payments`): the `service` of its spans and metrics. */
  app: string;
  port: number;
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every running instance of every stack app that has an HTTP port. */
export function runningInstances(): Instance[] {
  const out: Instance[] = [];
  for (const name of apps.names()) {
    const dir = path.join(STACK_DIR, name);
    const pid = Number.parseInt(fs.existsSync(path.join(dir, `${name}.pid`)) ? fs.readFileSync(path.join(dir, `${name}.pid`), 'utf8') : '', 10);
    if (!Number.isFinite(pid) || !alive(pid)) continue;
    const app = APP_PROCESSES.find((a) => name === a.name || name.startsWith(`${a.name}-`) && /^\d+$/.test(name.slice(a.name.length + 1)));
    const portText = fs.existsSync(path.join(dir, `${name}.port`)) ? fs.readFileSync(path.join(dir, `${name}.port`), 'utf8') : String(app?.port ?? '');
    const port = Number.parseInt(portText, 10);
    if (app && Number.isFinite(port)) out.push({ name, app: app.name, port });
  }
  return out;
}

export async function scrape(port: number): Promise<{ text: string; samples: Sample[] }> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${DEV_METRICS_TOKEN}` }, signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`/metrics on ${port}: ${res.status}`);
  const text = await res.text();
  return { text, samples: parsePrometheus(text) };
}

/** Sizes of the span files now, so a test reads only what was written after this point. */
export function traceOffsets(): Map<string, number> {
  const dir = path.dirname(tracesFile('x'));
  const sizes = new Map<string, number>();
  if (!fs.existsSync(dir)) return sizes;
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.jsonl')) sizes.set(path.join(dir, f), fs.statSync(path.join(dir, f)).size);
  return sizes;
}

/** Spans of one trace written to any process's span file since `offsets` (files that rotated are read whole). */
export function spansOfTrace(traceId: string, offsets: Map<string, number>): SpanLine[] {
  const dir = path.dirname(tracesFile('x'));
  if (!fs.existsSync(dir)) return [];
  const out: SpanLine[] = [];
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.jsonl')) continue;
    const file = path.join(dir, f);
    const size = fs.statSync(file).size;
    const from = (offsets.get(file) ?? 0) <= size ? (offsets.get(file) ?? 0) : 0;
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(size - from);
      fs.readSync(fd, buf, 0, buf.length, from);
      const text = buf.toString('utf8');
      if (!text.includes(traceId)) continue;
      for (const line of text.split('\n')) {
        if (!line.includes(traceId)) continue;
        try {
          const span = JSON.parse(line) as SpanLine;
          if (span.traceId === traceId) out.push(span);
        } catch {
          // a line being written right now
        }
      }
    } finally {
      fs.closeSync(fd);
    }
  }
  return out;
}

/** A browser-like client of the stack's BFF: cookie jar and the anti-forgery header. */
export class StackBffClient {
  private readonly jar = new Map<string, string>();

  async request<T = any>(method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T; text: string; headers: Headers }> {
    const h: Record<string, string> = { 'x-csrf': '1', ...headers };
    if (this.jar.size) h.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(`${STACK_BFF}${pathname}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
    for (const sc of res.headers.getSetCookie()) {
      const pair = sc.split(';')[0]!;
      const eq = pair.indexOf('=');
      this.jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as T, text, headers: res.headers };
  }

  async signIn(cpf: string, password: string) {
    const res = await this.request('POST', '/auth/session', { cpf, password });
    if (res.status < 200 || res.status > 299) throw new Error(`sign-in: ${res.status} ${res.text}`);
    return res;
  }
}

/** Sizes of every app process's log (.stack/<instance>/<instance>.log) now. */
export function logOffsets(): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const name of apps.names()) {
    const file = path.join(STACK_DIR, name, `${name}.log`);
    if (fs.existsSync(file)) sizes.set(file, fs.statSync(file).size);
  }
  return sizes;
}

/** What every app process logged since `offsets`, by log file. */
export function logsSince(offsets: Map<string, number>): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of apps.names()) {
    const file = path.join(STACK_DIR, name, `${name}.log`);
    if (!fs.existsSync(file)) continue;
    const size = fs.statSync(file).size;
    const from = Math.min(offsets.get(file) ?? 0, size);
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(size - from);
      fs.readSync(fd, buf, 0, buf.length, from);
      out.set(name, buf.toString('utf8'));
    } finally {
      fs.closeSync(fd);
    }
  }
  return out;
}

/** The processes one PIX passes through, by the `service` their spans and metrics carry. */
export const PIX_PATH = ['bff', 'payments', 'payments-relay', 'payments-fraud-consumer', 'payments-payment-consumer', 'notification-consumer', 'notification-worker'];

type BankCustomer = Awaited<ReturnType<typeof newBankCustomer>>;

/**
 * One PIX from `payer` (funded with `deposit`) to a new EVP key of `receiver`, both signed in at the stack's BFF, sent
 * under the "browser's" `traceparent` (flags 01: the BFF continues it, so it is recorded whatever the sampling ratio)
 * with `headers` besides, and followed until COMPLETED. Returns the transfer's id.
 */
export async function tracedPix(
  payer: BankCustomer,
  receiver: BankCustomer,
  opts: { deposit: string; amount: string; description: string; traceparent: string; headers?: Record<string, string> },
): Promise<string> {
  await depositTo(payer.accountId, opts.deposit);
  const payerClient = new StackBffClient();
  const receiverClient = new StackBffClient();
  await payerClient.signIn(payer.cpf, PASSWORD);
  await receiverClient.signIn(receiver.cpf, PASSWORD);
  const key = await receiverClient.request<{ value: string }>('POST', '/api/v1/pix/keys', { type: 'EVP' });
  if (key.status !== 201) throw new Error(`EVP key: ${key.status}`);
  const sent = await payerClient.request<{ id: string }>(
    'POST',
    '/api/v1/pix/transfers',
    { key: key.body.value, amount: opts.amount, description: opts.description, pin: TEST_PIN },
    { 'idempotency-key': randomUUID(), traceparent: opts.traceparent, ...opts.headers },
  );
  if (sent.status !== 202) throw new Error(`PIX: ${sent.status}`);
  const transferId = sent.body.id;
  await eventually(
    async () => {
      const r = await payerClient.request<{ status: string }>('GET', `/api/v1/pix/transfers/${transferId}`);
      return r.body.status === 'COMPLETED' ? r : undefined;
    },
    { timeoutMs: 60_000, what: 'the PIX completed' },
  );
  return transferId;
}
