// Lua scripts on an auto-pipelined ioredis client (createRedis), against the stack's real Redis: a script runs as
// EVALSHA and loads itself with EVAL after NOSCRIPT, and it shares an event-loop turn's pipeline with plain commands,
// including on a client whose very first commands are that turn's (the case ioredis `defineCommand` methods failed on:
// "pipeline[functionName] is not a function", and every later answer of the pipeline shifted).
import { runGate } from '@krt/bff';
import { STACK_DEFAULTS } from '@krt/platform/config';
import { createRedis, redisScript, type Redis } from '@krt/platform/persistence';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';

const prefix = `platformtest:script:${randomUUID().slice(0, 8)}:`;
const clients: Redis[] = [];
const fresh = (name: string) => {
  const c = createRedis(STACK_DEFAULTS.redisUrl, name);
  clients.push(c);
  return c;
};

afterAll(async () => {
  const admin = fresh('script-test-cleanup');
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length) await admin.del(...keys);
  for (const c of clients) c.disconnect();
});

describe('redisScript on an auto-pipelined client', () => {
  it('when a script Redis has never seen runs, then NOSCRIPT loads it, and later calls run by its SHA', async () => {
    const redis = fresh('script-test-load');
    // A text of its own (the nonce), so no other run has loaded this SHA before.
    const incrBy = redisScript<number>(`-- ${randomUUID()}\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])`);
    const key = `${prefix}counter`;
    expect(await incrBy(redis, 1, key, 5)).toBe(5);
    expect(await incrBy(redis, 1, key, 2)).toBe(7);
    expect(await redis.get(key)).toBe('7');
  });

  it('when plain commands and scripts are issued in the same turn on a new client, then each gets its own answer', async () => {
    const redis = fresh('script-test-turn');
    const echo = redisScript<string>(`-- ${randomUUID()}\nreturn 'echo:' .. ARGV[1]`);
    const key = `${prefix}plain`;
    const answers = await Promise.all([
      redis.set(key, 'v'),
      ...Array.from({ length: 50 }, (_, i) => echo(redis, 0, String(i))),
      redis.get(key),
      redis.incr(`${prefix}n`),
    ]);
    expect(answers[0]).toBe('OK');
    expect(answers.slice(1, 51)).toEqual(Array.from({ length: 50 }, (_, i) => `echo:${i}`));
    expect(answers[51]).toBe('v');
    expect(answers[52]).toBe(1);
  });

  it('when the API gate is a new client’s first script and shares the turn with other commands, then it counts and answers', async () => {
    const redis = fresh('script-test-gate');
    const window = { key: `${prefix}rl:gate`, windowMs: 30_000 };
    const [pong, first, second] = await Promise.all([redis.ping(), runGate(redis, [window]), runGate(redis, [window])]);
    expect(pong).toBe('PONG');
    expect([first.counts[0]!.count, second.counts[0]!.count]).toEqual([1, 2]);
    // Asked after: when Redis had not loaded the script yet, the gate's EVAL goes out after anything else of that turn.
    expect(await redis.get(window.key)).toBe('2');
    expect(first.counts[0]!.ttlMs).toBeGreaterThan(25_000);
  });
});
