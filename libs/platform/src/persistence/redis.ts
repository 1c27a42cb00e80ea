// Redis (ioredis): one client factory with bounded retries, and a readiness check.
import { createHash } from 'node:crypto';
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
    // Commands issued in the same event-loop turn go out in one write (and come back in one read): under load, the
    // BFF's per-request gate calls of concurrent requests share a socket write instead of one syscall each.
    enableAutoPipelining: true,
  });
  client.on('error', () => undefined); // reconnects on its own; readiness reports the outage
  return client;
}

/**
 * A Lua script run as a plain command: EVALSHA, and EVAL (which also loads it into Redis's script cache) after a
 * NOSCRIPT. Being a plain command, it joins the client's auto-pipeline like any other. (A method made by ioredis's
 * `defineCommand` exists only on pipelines created after the definition, which an auto-pipeline already open in the
 * same event-loop turn is not: the call would fail there.)
 */
export function redisScript<T>(lua: string): (redis: Redis, numKeys: number, ...args: Array<string | number>) => Promise<T> {
  const sha = createHash('sha1').update(lua).digest('hex');
  return async (redis, numKeys, ...args) => {
    try {
      return (await redis.evalsha(sha, numKeys, ...args)) as T;
    } catch (err) {
      if (!String((err as Error | undefined)?.message).startsWith('NOSCRIPT')) throw err;
      return (await redis.eval(lua, numKeys, ...args)) as T;
    }
  };
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
