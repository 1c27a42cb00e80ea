// The back office's dead letters (issue #19): the records of every Kafka dead-letter topic (`<topic>.dlt`, written by
// the consumer base and the Notification consumer) and the messages of the notifications' RabbitMQ DLQ — listed
// without consuming them, and replayed one at a time to where they came from. A replay is recorded in
// `dead_letter_replays` with an audit row, in one transaction: a second replay of the same dead letter does nothing.
// Replaying is safe because every consumer applies an event once (Kafka consumers' inbox by event id, the
// notification worker's delivery rows by message id).
import { appendAudit, withTransaction, type Pool, type Queryable } from '@krt/platform/persistence';
import { AppError } from '@krt/platform/http';
import type { AmqpClient, ConfirmPublisher } from '@krt/platform/messaging';
import type { IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { listDlq, replayDlqOne, type DlqEntry } from './dlq';
import type { Topology } from './topology';

export const DLT_SUFFIX = '.dlt';
/** Headers the dead-lettering adds to a record; a replay leaves them out. */
const DLT_HEADERS = ['dlt-reason', 'dlt-group'];

export type DeadLetterSource = 'kafka' | 'rabbitmq';

export interface DeadLetter {
  /** Opaque: `kafka-…` or `rabbitmq-…` (base64url), what the replay takes. */
  id: string;
  source: DeadLetterSource;
  /** Kafka: the dead-letter topic. */
  topic?: string;
  /** RabbitMQ: the dead-letter queue. */
  queue?: string;
  partition?: number;
  offset?: string;
  /** Kafka: the record key; RabbitMQ: the message id (`<eventId>:<channel>:<customerId>`). */
  key: string | null;
  /** Kafka: the topic it is replayed to; RabbitMQ: the exchange (routing key = `channel`). */
  originalTopic: string;
  /** RabbitMQ: the channel queue it is replayed to (e-mail, SMS, push). */
  channel?: string;
  /** Kafka: the consumer group that gave up on it. */
  group?: string | null;
  attempts?: number;
  error: string;
  failedAt: string | null;
  payload: unknown;
  replayedAt?: string;
}

export interface DeadLetterDeps {
  pool: Pool;
  kafka: Kafka;
  amqp: AmqpClient;
  publisher: ConfirmPublisher;
  topology: Topology;
}

export interface Operator {
  userId: string;
  username?: string | undefined;
  correlationId?: string | undefined;
}

export const DeadLetterErrors = {
  notFound: () => new AppError(404, 'DEAD_LETTER_NOT_FOUND', 'Mensagem não encontrada entre as mensagens mortas (talvez já reenviada ou expirada).'),
  invalidId: () => new AppError(404, 'DEAD_LETTER_NOT_FOUND', 'Mensagem não encontrada entre as mensagens mortas.'),
  unavailable: (what: string) =>
    new AppError(503, 'SERVICE_UNAVAILABLE', 'Serviço de mensageria indisponível. Tente novamente em instantes.', { retryAfterSeconds: 5, extra: { dependency: what } }),
};

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url').toString('utf8');

export function kafkaDeadLetterId(topic: string, partition: number, offset: string): string {
  return `kafka-${b64(JSON.stringify([topic, partition, offset]))}`;
}

export function rabbitDeadLetterId(messageId: string, failedAt: string | undefined): string {
  return `rabbitmq-${b64(JSON.stringify([messageId, failedAt ?? null]))}`;
}

export type ParsedId = { source: 'kafka'; topic: string; partition: number; offset: string } | { source: 'rabbitmq'; messageId: string; failedAt: string | null };

export function parseDeadLetterId(id: string): ParsedId | undefined {
  const m = /^(kafka|rabbitmq)-([A-Za-z0-9_-]{1,1000})$/.exec(id);
  if (!m) return undefined;
  try {
    const v = JSON.parse(unb64(m[2]!)) as unknown;
    if (!Array.isArray(v)) return undefined;
    if (m[1] === 'kafka') {
      const [topic, partition, offset] = v as [unknown, unknown, unknown];
      if (typeof topic !== 'string' || !topic.endsWith(DLT_SUFFIX) || !Number.isInteger(partition) || typeof offset !== 'string' || !/^\d{1,19}$/.test(offset)) return undefined;
      return { source: 'kafka', topic, partition: partition as number, offset };
    }
    const [messageId, failedAt] = v as [unknown, unknown];
    if (typeof messageId !== 'string' || (failedAt !== null && typeof failedAt !== 'string')) return undefined;
    return { source: 'rabbitmq', messageId, failedAt };
  } catch {
    return undefined;
  }
}

const text = (v: Buffer | string | (Buffer | string)[] | undefined): string | undefined =>
  v === undefined ? undefined : Array.isArray(v) ? text(v[0]) : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);

function parsePayload(value: Buffer | null): unknown {
  if (!value) return null;
  const s = value.toString('utf8');
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
}

interface Range {
  topic: string;
  partition: number;
  /** First offset to read (inclusive). */
  from: bigint;
  /** Offset after the last one to read (exclusive). */
  to: bigint;
}

interface ReadRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/**
 * Reads the records of the given offset ranges with a short-lived consumer of its own group (nothing committed; the
 * group is deleted afterwards). Returns what was read within `timeoutMs`.
 */
async function readRanges(kafka: Kafka, ranges: Range[], timeoutMs = 15_000): Promise<ReadRecord[]> {
  const wanted = ranges.filter((r) => r.to > r.from);
  if (!wanted.length) return [];
  const groupId = `notifications.dead-letters.${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000, maxWaitTimeInMs: 200, allowAutoTopicCreation: false, retry: { retries: 2 } });
  const key = (topic: string, partition: number) => `${topic}#${partition}`;
  const remaining = new Map(wanted.map((r) => [key(r.topic, r.partition), r]));
  const out: ReadRecord[] = [];
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    // Partitions are not read from their start: each wanted one is sought to its range, the others stay at the end.
    await consumer.subscribe({ topics: [...new Set(wanted.map((r) => r.topic))], fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const r = remaining.get(key(topic, partition));
        if (!r) return;
        const offset = BigInt(message.offset);
        if (offset >= r.from && offset < r.to) out.push({ topic, partition, message });
        if (offset >= r.to - 1n) {
          remaining.delete(key(topic, partition));
          if (remaining.size === 0) finish();
        }
      },
    });
    for (const r of wanted) consumer.seek({ topic: r.topic, partition: r.partition, offset: r.from.toString() });
    await Promise.race([finished, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
    const admin = kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteGroups([groupId]))
      .catch(() => undefined)
      .finally(() => admin.disconnect().catch(() => undefined));
  }
  return out;
}

async function withAdmin<T>(kafka: Kafka, fn: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = kafka.admin({ retry: { retries: 2 } });
  try {
    await admin.connect();
    return await fn(admin);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw DeadLetterErrors.unavailable('kafka');
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function kafkaItem(r: ReadRecord): DeadLetter {
  const h = r.message.headers ?? {};
  return {
    id: kafkaDeadLetterId(r.topic, r.partition, r.message.offset),
    source: 'kafka',
    topic: r.topic,
    partition: r.partition,
    offset: r.message.offset,
    key: r.message.key?.toString('utf8') ?? null,
    originalTopic: r.topic.slice(0, -DLT_SUFFIX.length),
    group: text(h['dlt-group']) ?? null,
    error: text(h['dlt-reason']) ?? '(sem motivo)',
    failedAt: r.message.timestamp ? new Date(Number(r.message.timestamp)).toISOString() : null,
    payload: parsePayload(r.message.value),
  };
}

/** The newest records of every `.dlt` topic (at most `limit` in all, newest first). */
export async function listKafkaDeadLetters(kafka: Kafka, limit: number): Promise<DeadLetter[]> {
  const ranges = await withAdmin(kafka, async (admin) => {
    const topics = (await admin.listTopics()).filter((t) => t.endsWith(DLT_SUFFIX)).sort();
    const all: Range[] = [];
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        const low = BigInt(p.low);
        const high = BigInt(p.high);
        all.push({ topic, partition: p.partition, from: high - BigInt(limit) > low ? high - BigInt(limit) : low, to: high });
      }
    }
    return all;
  });
  const records = await readRanges(kafka, ranges).catch(() => {
    throw DeadLetterErrors.unavailable('kafka');
  });
  return records
    .map(kafkaItem)
    .sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? '') || Number(BigInt(b.offset!) - BigInt(a.offset!)))
    .slice(0, limit);
}

function rabbitItem(e: DlqEntry, t: Topology): DeadLetter {
  return {
    id: rabbitDeadLetterId(e.id, e.failedAt),
    source: 'rabbitmq',
    queue: t.dlq,
    key: e.id,
    originalTopic: t.exchange,
    channel: e.channel,
    attempts: e.attempts,
    error: e.failureReason,
    failedAt: e.failedAt ?? null,
    payload: e.payload,
  };
}

/**
 * How many DLQ messages a listing looks at: a queue is read from its head only, so the newest are found by reading
 * through it (a peek: each message goes back), bounded so one listing stays within a couple of seconds.
 */
export const DLQ_SCAN_MAX = 2000;

/** The RabbitMQ DLQ, newest first among the first DLQ_SCAN_MAX messages of the queue (every message stays in it). */
export async function listRabbitDeadLetters(deps: Pick<DeadLetterDeps, 'amqp' | 'publisher' | 'topology'>, limit: number): Promise<DeadLetter[]> {
  let entries: DlqEntry[];
  try {
    entries = await listDlq(deps.amqp, deps.publisher, deps.topology, DLQ_SCAN_MAX);
  } catch {
    throw DeadLetterErrors.unavailable('rabbitmq');
  }
  return entries
    .map((e) => rabbitItem(e, deps.topology))
    .reverse()
    .slice(0, limit);
}

async function replayedAt(db: Queryable, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const { rows } = await db.query<{ id: string; replayed_at: Date }>('SELECT id, replayed_at FROM dead_letter_replays WHERE id = ANY($1::text[])', [ids]);
  return new Map(rows.map((r) => [r.id, r.replayed_at.toISOString()]));
}

/** Lists the dead letters of one source (or both), with when each was replayed; audited (`dead_letters.listed`). */
export async function listDeadLetters(deps: DeadLetterDeps, op: Operator, q: { source?: DeadLetterSource | undefined; limit: number }): Promise<{ items: DeadLetter[] }> {
  const items = [
    ...(q.source !== 'rabbitmq' ? await listKafkaDeadLetters(deps.kafka, q.limit) : []),
    ...(q.source !== 'kafka' ? await listRabbitDeadLetters(deps, q.limit) : []),
  ];
  const replays = await replayedAt(deps.pool, items.map((i) => i.id));
  for (const item of items) {
    const at = replays.get(item.id);
    if (at) item.replayedAt = at;
  }
  await appendAudit(deps.pool, {
    actor: op.userId,
    actorName: op.username ?? null,
    correlationId: op.correlationId ?? null,
    action: 'dead_letters.listed',
    subjectType: 'dead_letter_source',
    subjectId: q.source ?? 'all',
    details: { count: items.length },
  });
  return { items };
}

export type ReplayOutcome =
  | { replayed: true; id: string; source: DeadLetterSource; originalTopic: string; key: string | null; replayedAt: string }
  | { replayed: false; id: string; alreadyReplayedAt: string };

/** Reads one Kafka dead-letter record by its position; undefined when it is no longer there. */
async function readKafkaDeadLetter(kafka: Kafka, id: Extract<ParsedId, { source: 'kafka' }>): Promise<ReadRecord | undefined> {
  const offset = BigInt(id.offset);
  const inRange = await withAdmin(kafka, async (admin) => {
    if (!(await admin.listTopics()).includes(id.topic)) return false;
    const p = (await admin.fetchTopicOffsets(id.topic)).find((o) => o.partition === id.partition);
    return Boolean(p && offset >= BigInt(p.low) && offset < BigInt(p.high));
  });
  if (!inRange) return undefined;
  const [record] = await readRanges(kafka, [{ topic: id.topic, partition: id.partition, from: offset, to: offset + 1n }]).catch(() => {
    throw DeadLetterErrors.unavailable('kafka');
  });
  return record;
}

/**
 * Replays one dead letter: Kafka — the record's key, value and headers (without the dead-lettering's) produced to
 * the original topic; RabbitMQ — the message republished to the notifications exchange for its channel. The replay
 * row and its audit row commit only after the broker accepted the message; a dead letter already replayed is
 * answered `replayed: false` with when (and audited as such).
 */
export async function replayDeadLetter(deps: DeadLetterDeps & { producer: () => Promise<Producer> }, op: Operator, rawId: string, reason: string): Promise<ReplayOutcome> {
  const id = parseDeadLetterId(rawId);
  if (!id) throw DeadLetterErrors.invalidId();
  const audit = (db: Queryable, action: string, details: Record<string, unknown>) =>
    appendAudit(db, { actor: op.userId, actorName: op.username ?? null, correlationId: op.correlationId ?? null, action, subjectType: 'dead_letter', subjectId: rawId, reason, details });

  return withTransaction(deps.pool, async (tx) => {
    // Two operators replaying the same dead letter at once: the second waits here, then finds the first's row.
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [rawId]);
    const previous = await tx.query<{ replayed_at: Date }>('SELECT replayed_at FROM dead_letter_replays WHERE id = $1', [rawId]);
    if (previous.rows[0]) {
      const alreadyReplayedAt = previous.rows[0].replayed_at.toISOString();
      await audit(tx, 'dead_letter.replay_skipped', { source: id.source, alreadyReplayedAt });
      return { replayed: false as const, id: rawId, alreadyReplayedAt };
    }
    let originalTopic: string;
    let key: string | null;
    let deadLetterTopic: string;
    if (id.source === 'kafka') {
      const record = await readKafkaDeadLetter(deps.kafka, id);
      if (!record) throw DeadLetterErrors.notFound();
      originalTopic = id.topic.slice(0, -DLT_SUFFIX.length);
      deadLetterTopic = id.topic;
      key = record.message.key?.toString('utf8') ?? null;
      const headers: IHeaders = {};
      for (const [name, value] of Object.entries(record.message.headers ?? {})) {
        if (!DLT_HEADERS.includes(name) && value !== undefined) headers[name] = value;
      }
      headers['dlt-replayed-from'] = `${id.topic}/${id.partition}/${id.offset}`;
      try {
        await (await deps.producer()).send({ topic: originalTopic, messages: [{ key: record.message.key, value: record.message.value, headers }] });
      } catch {
        throw DeadLetterErrors.unavailable('kafka');
      }
    } else {
      const replayed = await replayDlqOne(deps.amqp, deps.publisher, deps.topology, (e) => e.id === id.messageId && (e.failedAt ?? null) === id.failedAt).catch(() => {
        throw DeadLetterErrors.unavailable('rabbitmq');
      });
      if (!replayed) throw DeadLetterErrors.notFound();
      originalTopic = deps.topology.exchange;
      deadLetterTopic = deps.topology.dlq;
      key = replayed.id;
    }
    const { rows } = await tx.query<{ replayed_at: Date }>(
      `INSERT INTO dead_letter_replays (id, source, dead_letter_topic, original_topic, message_key, replayed_by, replayed_by_name, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING replayed_at`,
      [rawId, id.source, deadLetterTopic, originalTopic, key, op.userId, op.username ?? null, reason],
    );
    await audit(tx, 'dead_letter.replayed', { source: id.source, deadLetterTopic, originalTopic, key, ...(id.source === 'kafka' ? { partition: id.partition, offset: id.offset } : {}) });
    return { replayed: true as const, id: rawId, source: id.source, originalTopic, key, replayedAt: rows[0]!.replayed_at.toISOString() };
  });
}
