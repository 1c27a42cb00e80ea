// Redis 6380: sessions, token cache, rate limits, read caches, fraud velocity counters, locks.
import net from 'node:net';
import { componentDir, ensureApt, localProcess, which } from './common.mjs';

export const REDIS_PORT = Number(process.env.REDIS_PORT ?? 6380);

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
  ...localProcess('redis', { ports: [REDIS_PORT], startTimeoutMs: 15_000, intervalMs: 500 }),
  async healthy() {
    return (await redisCommand('PING')) === '+PONG';
  },
  install() {
    ensureApt('redis', ['redis-server', 'redis-tools'], () => Boolean(which('redis-server')));
  },
  async start() {
    const dir = componentDir('redis');
    await this.spawn(which('redis-server'), [
      '--port', String(REDIS_PORT),
      '--bind', '127.0.0.1',
      '--dir', dir,
      '--appendonly', 'yes',
      '--save', '',
      '--daemonize', 'no',
      '--maxmemory-policy', 'noeviction',
    ]);
  },
};
