// RabbitMQ topology of the notifications: a durable direct exchange, one durable queue per channel, delay queues for
// retries (per-queue TTL, dead-lettered back to the exchange) and a dead-letter queue for what keeps failing.
//
//   <ns> (direct) --email--> <ns>.email      <ns>.email.retry.1 (TTL d1) --DLX <ns>/email--> <ns>.email
//                 --sms----> <ns>.sms        <ns>.email.retry.2 (TTL d2) ...
//                 --push---> <ns>.push       <ns>.dlq  (after the last attempt, with the failure reason)
import type { amqp } from '@krt/platform/messaging';
import { CHANNELS, type Channel } from './notification.model';

export interface Topology {
  exchange: string;
  queue(channel: Channel): string;
  retryQueue(channel: Channel, attempt: number): string;
  dlq: string;
  delaysMs: number[];
  /** Attempts before dead-lettering: the first delivery plus one per delay. */
  maxAttempts: number;
}

export function topology(namespace: string, delaysMs: number[]): Topology {
  return {
    exchange: namespace,
    queue: (channel) => `${namespace}.${channel}`,
    retryQueue: (channel, attempt) => `${namespace}.${channel}.retry.${attempt}`,
    dlq: `${namespace}.dlq`,
    delaysMs,
    maxAttempts: delaysMs.length + 1,
  };
}

/** Headers carried by notification messages. */
export const HEADERS = {
  attempt: 'x-notification-attempt',
  lastError: 'x-last-error',
  failureReason: 'x-failure-reason',
  failedAt: 'x-failed-at',
  channel: 'x-channel',
  replayedAt: 'x-replayed-at',
} as const;

/** Declares everything (idempotent). Retry queue names carry the attempt number; their TTL is fixed at declaration. */
export async function assertTopology(channel: amqp.Channel, t: Topology, liveExchange?: string): Promise<void> {
  await channel.assertExchange(t.exchange, 'direct', { durable: true });
  for (const ch of CHANNELS) {
    await channel.assertQueue(t.queue(ch), { durable: true });
    await channel.bindQueue(t.queue(ch), t.exchange, ch);
    for (let attempt = 1; attempt <= t.delaysMs.length; attempt++) {
      await channel.assertQueue(t.retryQueue(ch, attempt), {
        durable: true,
        arguments: { 'x-message-ttl': t.delaysMs[attempt - 1], 'x-dead-letter-exchange': t.exchange, 'x-dead-letter-routing-key': ch },
      });
    }
  }
  await channel.assertQueue(t.dlq, { durable: true });
  if (liveExchange) await channel.assertExchange(liveExchange, 'topic', { durable: true });
}
