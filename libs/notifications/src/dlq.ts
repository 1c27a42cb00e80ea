// The dead-letter queue of the notifications: list it without losing anything, replay chosen messages.
import type { amqp, AmqpClient, ConfirmPublisher } from '@krt/platform/messaging';
import { notificationMessageSchema } from './notification.model';
import { HEADERS, type Topology } from './topology';

export interface DlqEntry {
  /** The message id (`<eventId>:<channel>:<customerId>`): what `replay` takes. */
  id: string;
  channel: string;
  kind?: string;
  eventId?: string;
  attempts: number;
  failureReason: string;
  failedAt?: string;
  /** The message's body: the notification as JSON, or its text when it does not parse. */
  payload: unknown;
}

const str = (v: unknown) => (v === undefined || v === null ? undefined : Buffer.isBuffer(v) ? v.toString() : String(v));

function describe(msg: amqp.GetMessage): DlqEntry {
  const h = msg.properties.headers ?? {};
  const body = (() => { try { return JSON.parse(msg.content.toString()) as unknown; } catch { return undefined; } })();
  const parsed = notificationMessageSchema.safeParse(body);
  return {
    id: str(msg.properties.messageId) ?? `(sem id #${msg.fields.deliveryTag})`,
    channel: str(h[HEADERS.channel]) ?? (parsed.success ? parsed.data.channel : '?'),
    kind: parsed.success ? parsed.data.kind : undefined,
    eventId: parsed.success ? parsed.data.eventId : undefined,
    attempts: Number(str(h[HEADERS.attempt]) ?? 1),
    failureReason: str(h[HEADERS.failureReason]) ?? '(sem motivo)',
    failedAt: str(h[HEADERS.failedAt]),
    payload: body ?? msg.content.toString(),
  };
}

/**
 * Takes every message of the DLQ without acking (up to `limit`), lets `decide` pick, then settles: picked messages are
 * republished to the exchange (confirmed) before being acked; the others go back to the queue untouched.
 */
async function sweep(client: AmqpClient, publisher: ConfirmPublisher, t: Topology, decide: (e: DlqEntry) => boolean, limit: number, enough: (replayed: number) => boolean = () => false) {
  const conn = await client.current();
  const ch = await conn.createChannel();
  const seen: DlqEntry[] = [];
  const replayed: DlqEntry[] = [];
  try {
    // Look at most at what is there now: a replayed message that fails again comes back later and must not be seen twice.
    const depth = (await ch.assertQueue(t.dlq, { durable: true })).messageCount;
    for (let inspected = 0; inspected < Math.min(limit, depth) && !enough(replayed.length); inspected++) {
      const msg = await ch.get(t.dlq, { noAck: false });
      if (!msg) break;
      const entry = describe(msg);
      seen.push(entry);
      if (!decide(entry)) continue;
      const routingKey = entry.channel;
      const headers = { ...msg.properties.headers };
      delete headers[HEADERS.failureReason];
      delete headers[HEADERS.lastError];
      delete headers['x-publish-tag'];
      delete headers['x-death'];
      await publisher.publish(t.exchange, routingKey, msg.content, {
        messageId: msg.properties.messageId,
        contentType: msg.properties.contentType,
        correlationId: msg.properties.correlationId,
        headers: { ...headers, [HEADERS.attempt]: 1, [HEADERS.replayedAt]: new Date().toISOString() },
      });
      ch.ack(msg);
      replayed.push(entry);
    }
  } finally {
    // Closing the channel returns every unacked message to the DLQ.
    await ch.close().catch(() => undefined);
  }
  return { seen, replayed };
}

/** How many messages the DLQ holds (ready ones; those held by a running `list`/`replay` are not counted). */
export async function dlqDepth(client: AmqpClient, t: Topology): Promise<number> {
  const ch = await (await client.current()).createChannel();
  try {
    return (await ch.assertQueue(t.dlq, { durable: true })).messageCount;
  } finally {
    await ch.close().catch(() => undefined);
  }
}

/** Lists the DLQ (peek: every message stays in the queue). */
export async function listDlq(client: AmqpClient, publisher: ConfirmPublisher, t: Topology, limit = 1000): Promise<DlqEntry[]> {
  return (await sweep(client, publisher, t, () => false, limit)).seen;
}

/** Replays the messages whose id is in `ids` (or all with `all`), looking through the whole queue; returns the replayed entries. */
export async function replayDlq(client: AmqpClient, publisher: ConfirmPublisher, t: Topology, select: { ids?: string[]; all?: boolean }, limit = 100_000): Promise<DlqEntry[]> {
  const wanted = new Set(select.ids ?? []);
  const enough = (n: number) => !select.all && n >= wanted.size;
  return (await sweep(client, publisher, t, (e) => Boolean(select.all) || wanted.has(e.id), limit, enough)).replayed;
}

/** Replays the first message `pick` chooses (the back office replays one dead letter at a time); undefined when none. */
export async function replayDlqOne(client: AmqpClient, publisher: ConfirmPublisher, t: Topology, pick: (e: DlqEntry) => boolean, limit = 100_000): Promise<DlqEntry | undefined> {
  return (await sweep(client, publisher, t, pick, limit, (n) => n >= 1)).replayed[0];
}
