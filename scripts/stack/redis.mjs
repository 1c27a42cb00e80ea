// Redis 6380: sessions, token cache, rate limits, read caches, fraud velocity counters, locks.
import net from 'node:net';
import path from 'node:path';
import { componentDir, ensureApt, isPidAlive, logPath, portOpen, readPid, spawnDetached, stopPid, waitFor, which } from './common.mjs';

export const REDIS_PORT = Number(process.env.REDIS_PORT ?? 6380);
const pidFile = () => path.join(componentDir('redis'), 'redis.pid');

/** Sends one inline command and returns the first reply line. */
export function redisCommand(command, port = REDIS_PORT) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let data = '';
    socket.setTimeout(1500, () => { socket.destroy(); reject(new Error('timeout')); });
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      data += chunk.toString();
      if (data.includes('\r\n')) {
        socket.end();
        resolve(data.split('\r\n')[0]);
      }
    });
    socket.write(`${command}\r\n`);
  });
}

export const redis = {
  name: 'redis',
  ports: [REDIS_PORT],
  pid() {
    const pid = readPid(pidFile());
    return isPidAlive(pid) ? pid : undefined;
  },
  async healthy() {
    return (await redisCommand('PING')) === '+PONG';
  },
  install() {
    ensureApt('redis', ['redis-server', 'redis-tools'], () => Boolean(which('redis-server')));
  },
  async start() {
    const dir = componentDir('redis');
    const pid = spawnDetached(which('redis-server'), [
      '--port', String(REDIS_PORT),
      '--bind', '127.0.0.1',
      '--dir', dir,
      '--appendonly', 'yes',
      '--save', '',
      '--daemonize', 'no',
      '--maxmemory-policy', 'noeviction',
    ], { log: logPath('redis'), pidFile: pidFile() });
    await waitFor('redis', () => this.healthy(), { timeoutMs: 15_000, isAlive: () => isPidAlive(pid) });
  },
  async stop() {
    return stopPid(this.pid(), { graceMs: 10_000 });
  },
  async portTaken() {
    return portOpen(REDIS_PORT);
  },
};
