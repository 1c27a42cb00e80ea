// Development SMTP catcher: SMTP 1025, web inbox + JSON API 8025 (scripts/stack/smtp-catcher.mjs, smtp-server + mailparser).
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, StackError, componentDir, isPidAlive, logPath, portOpen, readPid, spawnDetached, stopPid, waitFor } from './common.mjs';

export const SMTP_PORT = Number(process.env.SMTP_CATCHER_SMTP_PORT ?? 1025);
export const SMTP_WEB_PORT = Number(process.env.SMTP_CATCHER_HTTP_PORT ?? 8025);
const pidFile = () => path.join(componentDir('smtp'), 'smtp.pid');
const CATCHER = path.join(ROOT, 'scripts/stack/smtp-catcher.mjs');

async function healthy() {
  const res = await fetch(`http://127.0.0.1:${SMTP_WEB_PORT}/health`, { signal: AbortSignal.timeout(2000) });
  return res.ok && (await portOpen(SMTP_PORT));
}

export const smtp = {
  name: 'smtp',
  ports: [SMTP_PORT, SMTP_WEB_PORT],
  pid() {
    const pid = readPid(pidFile());
    return isPidAlive(pid) ? pid : undefined;
  },
  healthy,
  install() {
    for (const pkg of ['smtp-server', 'mailparser']) {
      if (!fs.existsSync(path.join(ROOT, 'node_modules', pkg))) throw new StackError('smtp', `npm package ${pkg} is missing: run npm install`);
    }
  },
  async start() {
    const dir = componentDir('smtp');
    const pid = spawnDetached(process.execPath, [CATCHER], {
      log: logPath('smtp'),
      pidFile: pidFile(),
      env: { SMTP_CATCHER_DIR: path.join(dir, 'messages'), SMTP_CATCHER_SMTP_PORT: String(SMTP_PORT), SMTP_CATCHER_HTTP_PORT: String(SMTP_WEB_PORT) },
    });
    await waitFor('smtp', () => healthy(), { timeoutMs: 20_000, intervalMs: 300, isAlive: () => isPidAlive(pid) });
  },
  async stop() {
    return stopPid(this.pid(), { graceMs: 5000 });
  },
  async portTaken() {
    return (await portOpen(SMTP_PORT)) || portOpen(SMTP_WEB_PORT);
  },
};
