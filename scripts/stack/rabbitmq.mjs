// RabbitMQ 5672 (management UI 15672, Prometheus metrics 15692): notifications with retries and dead-letter queues.
import fs from 'node:fs';
import path from 'node:path';
import { componentDir, ensureApt, isPidAlive, logPath, portOpen, readPid, run, spawnDetached, stopPid, waitFor } from './common.mjs';

export const AMQP_PORT = Number(process.env.RABBITMQ_PORT ?? 5672);
export const MGMT_PORT = Number(process.env.RABBITMQ_MANAGEMENT_PORT ?? 15672);
/** rabbitmq_prometheus plugin: /metrics (aggregated) and /metrics/per-object, no authentication, loopback only. */
export const PROMETHEUS_METRICS_PORT = Number(process.env.RABBITMQ_PROMETHEUS_PORT ?? 15692);
const USER = 'krt';
const PASS = 'krt';
const NODENAME = 'krt@localhost';
const SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';
const pidFile = () => path.join(componentDir('rabbitmq'), 'rabbitmq.pid');

function env() {
  const dir = componentDir('rabbitmq');
  return {
    HOME: dir,
    RABBITMQ_NODENAME: NODENAME,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(AMQP_PORT),
    RABBITMQ_DIST_PORT: String(AMQP_PORT + 20000),
    RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: path.join(dir, 'log'),
    RABBITMQ_LOGS: '-',
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
    RABBITMQ_CONFIG_FILE: path.join(dir, 'rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dir, 'advanced.config'),
    RABBITMQ_PID_FILE: pidFile(),
    ERL_EPMD_ADDRESS: '127.0.0.1',
  };
}

async function aliveness() {
  const auth = Buffer.from(`${USER}:${PASS}`).toString('base64');
  const res = await fetch(`http://127.0.0.1:${MGMT_PORT}/api/aliveness-test/%2F`, {
    headers: { authorization: `Basic ${auth}` },
    signal: AbortSignal.timeout(3000),
  });
  if (!res.ok) return false;
  const body = await res.json();
  return body.status === 'ok';
}

export const rabbitmq = {
  name: 'rabbitmq',
  ports: [AMQP_PORT, MGMT_PORT, PROMETHEUS_METRICS_PORT],
  pid() {
    const pid = readPid(pidFile());
    return isPidAlive(pid) ? pid : undefined;
  },
  healthy: aliveness,
  install() {
    ensureApt('rabbitmq', ['rabbitmq-server'], () => fs.existsSync(SERVER));
  },
  async start() {
    const dir = componentDir('rabbitmq');
    fs.writeFileSync(path.join(dir, 'enabled_plugins'), '[rabbitmq_management,rabbitmq_prometheus].\n');
    fs.writeFileSync(path.join(dir, 'advanced.config'), '[].\n');
    fs.writeFileSync(path.join(dir, 'rabbitmq.conf'), [
      `listeners.tcp.default = 127.0.0.1:${AMQP_PORT}`,
      `management.tcp.port = ${MGMT_PORT}`,
      'management.tcp.ip = 127.0.0.1',
      `prometheus.tcp.port = ${PROMETHEUS_METRICS_PORT}`,
      'prometheus.tcp.ip = 127.0.0.1',
      `default_user = ${USER}`,
      `default_pass = ${PASS}`,
      'loopback_users = none',
      'vm_memory_high_watermark.relative = 0.2',
      'disk_free_limit.absolute = 200MB',
      '',
    ].join('\n'));
    const cookie = path.join(dir, '.erlang.cookie');
    if (!fs.existsSync(cookie)) fs.writeFileSync(cookie, 'KRTBANKLOCALSTACKCOOKIE', { mode: 0o400 });
    const pid = spawnDetached(SERVER, [], { log: logPath('rabbitmq'), env: env() });
    fs.writeFileSync(pidFile(), `${pid}\n`);
    await waitFor('rabbitmq', () => aliveness(), { timeoutMs: 90_000, intervalMs: 1000, isAlive: () => isPidAlive(pid) });
  },
  async stop() {
    const pid = this.pid();
    if (!pid) return false;
    run('/usr/lib/rabbitmq/bin/rabbitmqctl', ['-n', NODENAME, 'stop'], { env: { ...process.env, ...env() }, timeout: 30_000 });
    return stopPid(pid, { graceMs: 15_000 });
  },
  async portTaken() {
    return portOpen(AMQP_PORT);
  },
};
