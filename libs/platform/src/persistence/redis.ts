// Redis (ioredis): one client factory with bounded retries, and a readiness check.
import { Redis } from 'ioredis';
import type { ReadinessCheck } from '../http/readiness';

export { Redis };

export function createRedis(url: string, name = 'krt'): Redis {
  const client = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  client.on('error', () => undefined); // reconnects on its own; readiness reports the outage
  return client;
}

export function redisReadiness(client: Redis): ReadinessCheck {
  return {
    name: 'redis',
    check: async () => {
      if (client.status !== 'ready') throw new Error(`connection ${client.status}`);
      const pong = await client.ping();
      if (pong !== 'PONG') throw new Error(`unexpected answer ${pong}`);
    },
  };
}
