// Runs the k6 runner on a small script against a loopback HTTP server the test starts itself.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'tools/k6-runner/src/main.ts');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  dir: string;
}

/** Writes `script` as an ES module in a fresh folder and runs it: `node --import tsx main.ts run -e … script.js`. */
export function runScript(script: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<RunResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k6-runner-'));
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
  fs.writeFileSync(path.join(dir, 'script.js'), script);
  const args = ['--import', 'tsx', MAIN, 'run', '-q', '-e', `OUT=${dir}`, ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), path.join(dir, 'script.js')];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`runner did not end within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, dir });
    });
  });
}

export interface TestServer {
  url: string;
  requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

/** A loopback server whose answers come from `handler` (it records every request). */
export async function startServer(handler: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('latin1');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
