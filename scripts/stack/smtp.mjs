// Development SMTP catcher: SMTP 1025, web inbox + JSON API 8025 (scripts/stack/smtp-catcher.mjs, smtp-server + mailparser).
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, StackError, componentDir, localProcess, portOpen } from './common.mjs';

export const SMTP_PORT = Number(process.env.SMTP_CATCHER_SMTP_PORT ?? 1025);
export const SMTP_WEB_PORT = Number(process.env.SMTP_CATCHER_HTTP_PORT ?? 8025);
const CATCHER = path.join(ROOT, 'scripts/stack/smtp-catcher.mjs');

async function healthy() {
  const res = await fetch(`http://127.0.0.1:${SMTP_WEB_PORT}/health`, { signal: AbortSignal.timeout(2000) });
  return res.ok && (await portOpen(SMTP_PORT));
}

export const smtp = {
  ...localProcess('smtp', { ports: [SMTP_PORT, SMTP_WEB_PORT], graceMs: 5000, startTimeoutMs: 20_000 }),
  healthy,
  install() {
    for (const pkg of ['smtp-server', 'mailparser']) {
      if (!fs.existsSync(path.join(ROOT, 'node_modules', pkg))) throw new StackError('smtp', `npm package ${pkg} is missing: run npm install`);
    }
  },
  async start() {
    const dir = componentDir('smtp');
    await this.spawn(process.execPath, [CATCHER], {
      env: { SMTP_CATCHER_DIR: path.join(dir, 'messages'), SMTP_CATCHER_SMTP_PORT: String(SMTP_PORT), SMTP_CATCHER_HTTP_PORT: String(SMTP_WEB_PORT) },
    });
  },
};
