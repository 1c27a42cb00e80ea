// Payments replicas for the BFF fault tests: real payments processes started on free ports, each with its log
// captured, stopped (SIGTERM), killed (SIGKILL), frozen (SIGSTOP) and brought back by the test itself.
import { eventually } from '@krt/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export class PaymentsReplica {
  child: ChildProcess | undefined;
  log = '';
  constructor(readonly port: number) {}

  get running() {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/payments/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: String(this.port), PIX_SWEEPER_INTERVAL_MS: '60000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.on('data', (d: Buffer) => (this.log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.log += d.toString()));
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`payments replica exited: ${this.log.slice(-2000)}`);
        const r = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(1000) });
        return r.ok;
      },
      { timeoutMs: 90_000, intervalMs: 300, what: `payments replica on ${this.port}` },
    );
    return this;
  }

  /** How many requests this replica logged with the given correlation-id prefix. */
  requestsLogged(correlationPrefix: string) {
    return this.log.split('\n').filter((l) => l.includes('"msg":"request"') && l.includes(`"correlationId":"${correlationPrefix}`)).length;
  }

  private async signal(sig: NodeJS.Signals, waitExit: boolean) {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(sig);
    if (waitExit) await exited;
  }

  stop() {
    return this.signal('SIGTERM', true);
  }
  kill() {
    return this.signal('SIGKILL', true);
  }
  freeze() {
    return this.signal('SIGSTOP', false);
  }
  thaw() {
    return this.signal('SIGCONT', false);
  }
  async cleanup() {
    await this.thaw();
    await this.kill();
  }
}
