// Alertmanager 9095 from Debian's `prometheus-alertmanager` package, the stack's own instance (not the system service;
// 9093, its usual port, is Kafka's controller here; clustering off). Receives the alerts of the stack's Prometheus and
// e-mails them (resolved ones too) through the development SMTP catcher: read them at http://localhost:8025.
// Config rendered from infra/observability/alertmanager.yml into .stack/alertmanager/.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, componentDir, ensureApt, localProcess, run, which } from './common.mjs';
import { SMTP_PORT } from './smtp.mjs';

export const ALERTMANAGER_PORT = Number(process.env.ALERTMANAGER_PORT ?? 9095);
export const ALERTMANAGER_URL = `http://127.0.0.1:${ALERTMANAGER_PORT}`;
const TEMPLATE = path.join(ROOT, 'infra/observability/alertmanager.yml');

/**
 * Debian's packages start their system services on install (prometheus on 9090, alertmanager on 9093: Kafka's controller
 * port here) unless a policy-rc.d forbids it: right after installing, stop and disable the one just installed.
 */
export function disableSystemService(unit) {
  if (fs.existsSync('/run/systemd/system') && which('systemctl')) {
    run('systemctl', ['disable', '--now', unit]);
  } else if (fs.existsSync(`/etc/init.d/${unit}`)) {
    run(`/etc/init.d/${unit}`, ['stop']);
    if (which('update-rc.d')) run('update-rc.d', [unit, 'disable']);
  }
}

/** Writes alertmanager.yml (the SMTP catcher's port filled in) into `dir`; returns its path. */
export function renderAlertmanagerConfig(dir) {
  const values = { SMTP_PORT: String(SMTP_PORT) };
  const text = fs.readFileSync(TEMPLATE, 'utf8').replace(/\$\{([A-Z_]+)\}/g, (m, k) => {
    if (!(k in values)) throw new Error(`alertmanager: unknown placeholder ${m} in ${TEMPLATE}`);
    return values[k];
  });
  const file = path.join(dir, 'alertmanager.yml');
  fs.writeFileSync(file, text);
  return file;
}

async function ready() {
  const res = await fetch(`${ALERTMANAGER_URL}/-/ready`, { signal: AbortSignal.timeout(2000) });
  return res.ok;
}

export const alertmanager = {
  ...localProcess('alertmanager', { ports: [ALERTMANAGER_PORT] }),
  healthy: ready,
  install() {
    const had = Boolean(which('prometheus-alertmanager'));
    ensureApt('alertmanager', ['prometheus-alertmanager'], () => Boolean(which('prometheus-alertmanager')));
    if (!had) disableSystemService('prometheus-alertmanager');
  },
  async start() {
    const dir = componentDir('alertmanager');
    await this.spawn(which('prometheus-alertmanager'), [
      `--config.file=${renderAlertmanagerConfig(dir)}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${ALERTMANAGER_PORT}`,
      '--cluster.listen-address=',
    ]);
  },
};
