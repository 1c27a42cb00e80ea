// Transactional outbox: `enqueue` in the caller's transaction; `OutboxRelay` publishes to Kafka.
// The relay runs in a process of its own per service (payments-relay, onboarding-relay), apart from the writers.
// Several relays may run at once, in one or many processes: each drain claims its rows with FOR UPDATE SKIP LOCKED,
// so a row is published by one relay at a time. They wake on LISTEN/NOTIFY and poll as a fallback.
// Waking the relay, one rule: every transaction that writes outbox rows signals the relays after its COMMIT
// (`signalOutbox`), never from inside it, so no transaction queues on PostgreSQL's notify lock at commit. Writers
// do not call it themselves: `enqueue`/`enqueueMany` (and `outboxWritten`, for rows written by SQL) register it as
// the transaction's after-commit hook (`afterCommit` in @krt/platform/persistence), run by `withTransaction`,
// `commitTransaction` or, for a COMMIT by hand, when the client goes back to its pool. The outbox table has no
// NOTIFY trigger (migration 1797900000000_outbox-signal-after-commit).
// When Kafka is down the transaction rolls back and the rows wait: nothing is lost.
// The relay owns its producer. After any failed send it throws that producer away and starts a new one (a new
// producer id): a kafkajs idempotent producer whose batch failed mid-flight can stay desynchronised with the broker
// (OUT_OF_ORDER_SEQUENCE_NUMBER forever) or hang. Re-sending a batch may duplicate messages; consumers dedupe by
// event id (inbox), so that is safe.
import { PAYLOADS, type Envelope, type PayloadOf, type Topic } from '@krt/contracts';
import type { Kafka, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterCommit, type Queryable } from '../persistence/db';
import { withDeadline } from '../resilience/deadline';
import { createProducer } from './kafka';
import type { Logger } from '../telemetry/logger';
import { observeOutbox, outboxPublished, outboxPublishDelay, outboxPublishFailures } from '../telemetry/metrics';
import { activeTraceparent, contextFromTraceparent, injectTraceHeaders, SpanKind, SpanStatusCode, trace, tracer, type Span } from '../telemetry/telemetry';

export interface OutboxMessage<T extends Topic> {
  topic: T;
  /** Kafka message key: the account id, so one account's events stay in order. */
  key: string;
  aggregateId: string;
  correlationId: string;
  traceparent?: string;
  payload: PayloadOf<T>;
}

const traceIdOf = (traceparent: string | undefined) => traceparent?.split('-')[1];

/**
 * The traceparent stored with the event: the active span when it belongs to the caller's trace (or the caller
 * passed none), so the relay and the consumers continue from the exact step that emitted the event.
 */
export function traceparentFor(given: string | undefined): string | undefined {
  const active = activeTraceparent();
  if (!active) return given;
  if (!given || traceIdOf(given) === traceIdOf(active)) return active;
  return given;
}

/**
 * The envelope `enqueue` writes: the payload validated against the topic's shared schema. For callers that write
 * the outbox row themselves (set-wise, in a larger statement); `traceparent` is resolved in the caller's context.
 */
export function outboxEnvelope<T extends Topic>(msg: OutboxMessage<T>, now = new Date()): Envelope<PayloadOf<T>> {
  return {
    eventId: randomUUID(),
    type: msg.topic,
    occurredAt: now.toISOString(),
    aggregateId: msg.aggregateId,
    correlationId: msg.correlationId,
    traceparent: traceparentFor(msg.traceparent),
    schemaVersion: 1,
    payload: PAYLOADS[msg.topic].parse(msg.payload) as PayloadOf<T>,
  };
}

/**
 * Records that the transaction on `db` wrote outbox rows: the relays are signalled once it commits (`signalOutbox`
 * as its after-commit hook; on a pool, now). `enqueue` and `enqueueMany` call it; a writer that INSERTs outbox rows
 * with its own SQL calls it after that statement.
 */
export function outboxWritten(db: Queryable): void {
  afterCommit(db, signalOutbox);
}

/**
 * Validates the payload against the topic's shared schema and writes the envelope to the outbox; the relays are
 * signalled after the transaction commits (`outboxWritten`).
 */
export async function enqueue<T extends Topic>(db: Queryable, msg: OutboxMessage<T>, now = new Date()): Promise<Envelope<PayloadOf<T>>> {
  const envelope = outboxEnvelope(msg, now);
  await db.query('INSERT INTO outbox (event_id, topic, message_key, envelope) VALUES ($1, $2, $3, $4)', [envelope.eventId, msg.topic, msg.key, envelope]);
  outboxWritten(db);
  return envelope;
}

/** `enqueue` for several messages: the same validation and envelope, written in one multi-row INSERT (in order). */
export async function enqueueMany(db: Queryable, messages: OutboxMessage<Topic>[], now = new Date()): Promise<Envelope[]> {
  if (messages.length === 0) return [];
  const envelopes: Envelope[] = messages.map((msg) => outboxEnvelope(msg, now));
  await db.query('INSERT INTO outbox (event_id, topic, message_key, envelope) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[])', [
    envelopes.map((e) => e.eventId),
    messages.map((m) => m.topic),
    messages.map((m) => m.key),
    envelopes.map((e) => JSON.stringify(e)),
  ]);
  outboxWritten(db);
  return envelopes;
}

/** The running relays of this process, by the pool they drain (tests and tools run one in process). */
const localRelays = new Map<pg.Pool, Set<OutboxRelay>>();

/**
 * The signal: a NOTIFY in a transaction of its own. A NOTIFY gets the transaction an id, so its commit would wait for a
 * WAL flush (an fsync, 1–13 ms on this machine) before the listening relay is told; with `synchronous_commit` off for
 * this one transaction the relay is told at once. Losing a signal in a crash loses nothing: the relays also poll.
 */
export const OUTBOX_SIGNAL_SQL = "SELECT set_config('synchronous_commit', 'off', true), pg_notify('outbox', '')";

/** Per pool: whether a NOTIFY of `signalOutbox` is in flight, and whether another commit asked for one meanwhile. */
const signals = new WeakMap<pg.Pool, { inFlight: boolean; again: boolean }>();

/**
 * Tells the relays that outbox rows were committed: the after-commit hook of every transaction that wrote some
 * (`outboxWritten`); writers do not call it themselves. A relay of this process on `pool` is woken directly; otherwise one `OUTBOX_SIGNAL_SQL` in autocommit
 * on the pool, coalesced: at most one in flight per pool, and signals arriving meanwhile cost exactly one more after
 * it (sent after their commits, so the relay that wakes sees their rows). A burst of commits therefore costs a
 * handful of tiny notify transactions, none inside a money transaction. Never throws: a lost signal is caught by the
 * relays' poll.
 */
export function signalOutbox(pool: pg.Pool): void {
  const relays = localRelays.get(pool);
  if (relays?.size) {
    for (const relay of relays) relay.wakeUp();
    return;
  }
  let state = signals.get(pool);
  if (!state) signals.set(pool, (state = { inFlight: false, again: false }));
  if (state.inFlight) {
    state.again = true;
    return;
  }
  state.inFlight = true;
  const send = (s: { inFlight: boolean; again: boolean }): void => {
    s.again = false;
    pool
      .query(OUTBOX_SIGNAL_SQL)
      .catch(() => undefined)
      .finally(() => {
        if (s.again) send(s);
        else s.inFlight = false;
      });
  };
  send(state);
}

export function kafkaHeaders(envelope: Envelope): Record<string, string> {
  const headers: Record<string, string> = { 'event-id': envelope.eventId, 'event-type': envelope.type, 'correlation-id': envelope.correlationId };
  if (envelope.traceparent) headers.traceparent = envelope.traceparent;
  return headers;
}

export interface OutboxRelayOptions {
  pool: pg.Pool;
  /** The outbox's name in the metrics (`outbox` label: the service that owns it); default the pool's application_name. */
  name?: string;
  /** A connection string for the LISTEN connection (a pooled client cannot hold LISTEN). */
  connectionString: string;
  /** The relay makes (and remakes) its own producer from this client. */
  kafka: Kafka;
  logger: Logger;
  batchSize?: number;
  pollIntervalMs?: number;
  /** A send (or connect) that takes longer than this counts as failed and the producer is replaced. */
  sendTimeoutMs?: number;
  /**
   * Called once per row after Kafka acknowledged it and the row is marked published: where a service derives its own
   * business metrics from what it published (payments: saga outcomes and fraud decisions). Must not throw or block.
   */
  onPublished?: (topic: string, payload: unknown) => void;
}


interface OutboxRow {
  seq: string;
  event_id: string;
  topic: string;
  message_key: string;
  envelope: Envelope;
  created_at: Date;
}

/** One PRODUCER span per published row, child of the request that wrote the row (its stored traceparent). */
function startPublishSpan(row: OutboxRow): Span {
  return tracer().startSpan(
    `publish ${row.topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.destination.name': row.topic,
        'messaging.kafka.message.key': row.message_key,
        'messaging.message.id': row.event_id,
        'krt.correlation_id': row.envelope.correlationId,
      },
    },
    contextFromTraceparent(row.envelope.traceparent),
  );
}

export class OutboxRelay {
  private running = false;
  private wake?: () => void;
  /** Set by a wake-up that came while a drain was running: the loop drains again instead of sleeping. */
  private woken = false;
  private listener?: pg.Client;
  private loop?: Promise<void>;
  private failures = 0;
  private producer?: Producer;
  private connected?: Promise<Producer>;
  published = 0;
  /** How many drains (claim, send, mark) ran, empty ones included. */
  drains = 0;
  /** How many producers this relay has thrown away after a failed send. */
  producerResets = 0;

  constructor(private readonly opts: OutboxRelayOptions) {
    observeOutbox(opts.pool, opts.name);
  }

  async start(): Promise<void> {
    this.running = true;
    await this.connectedProducer().catch((err) => this.opts.logger.warn({ err }, 'outbox relay: Kafka not reachable yet, will retry'));
    await this.listen();
    this.loop = this.run();
    const relays = localRelays.get(this.opts.pool) ?? new Set<OutboxRelay>();
    localRelays.set(this.opts.pool, relays.add(this));
  }

  async stop(): Promise<void> {
    // Writers of this process signal through NOTIFY from now on; a row committed meanwhile waits one poll at most.
    localRelays.get(this.opts.pool)?.delete(this);
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    await this.dropProducer();
  }

  private get batchSize(): number {
    return this.opts.batchSize ?? 200;
  }

  private get sendTimeoutMs(): number {
    return this.opts.sendTimeoutMs ?? 20_000;
  }

  /** Drains now (or right after the drain in progress): new rows were committed. */
  wakeUp(): void {
    this.woken = true;
    this.wake?.();
  }

  /** The current producer, connected; a failed connect forgets it so the next round builds a new one. */
  private connectedProducer(): Promise<Producer> {
    if (!this.connected) {
      const producer = createProducer(this.opts.kafka);
      this.producer = producer;
      const connecting = withDeadline(producer.connect(), this.sendTimeoutMs, 'outbox relay: Kafka connect').then(() => producer);
      this.connected = connecting;
      connecting.catch(() => {
        if (this.connected === connecting) void this.dropProducer();
      });
    }
    return this.connected;
  }

  /** Disconnects and forgets the current producer; the next send starts a fresh one. */
  private async dropProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    this.connected = undefined;
    if (producer) await withDeadline(producer.disconnect(), 5000, 'outbox relay: Kafka disconnect').catch(() => undefined);
  }

  /** Publishes one batch; returns how many rows it published. */
  async drainOnce(): Promise<number> {
    // Connect before locking rows, so a broker that is down costs no transaction.
    const producer = await this.connectedProducer();
    this.drains += 1;
    const client = await this.opts.pool.connect();
    try {
      // The published mark need not survive a crash (its loss republishes the rows, which every consumer's inbox drops),
      // so its commit does not wait for a WAL flush before the next drain.
      await client.query('BEGIN; SET LOCAL synchronous_commit = off');
      const { rows } = await client.query<OutboxRow>(
        'SELECT seq, event_id, topic, message_key, envelope, created_at FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED',
        [this.batchSize],
      );
      if (!rows.length) {
        await client.query('COMMIT');
        return 0;
      }
      const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
      const spans = rows.map(startPublishSpan);
      rows.forEach((row, i) => {
        const list = byTopic.get(row.topic) ?? [];
        // The message's traceparent names the publish span, so the consumer's span is its child.
        const headers = injectTraceHeaders(kafkaHeaders(row.envelope), trace.setSpan(contextFromTraceparent(row.envelope.traceparent), spans[i]!));
        list.push({ key: row.message_key, value: JSON.stringify(row.envelope), headers });
        byTopic.set(row.topic, list);
      });
      try {
        await withDeadline(producer.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })), acks: -1 }), this.sendTimeoutMs, 'outbox relay: Kafka send');
      } catch (err) {
        outboxPublishFailures.inc();
        for (const span of spans) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: String((err as Error).message).slice(0, 200) });
          span.end();
        }
        await client.query('ROLLBACK');
        await this.opts.pool
          .query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = ANY($1::bigint[])', [rows.map((r) => r.seq), String((err as Error).message).slice(0, 500)])
          .catch(() => undefined);
        // Never reuse a producer whose send failed: its sequence numbers may no longer match the broker's.
        if (this.producer === producer) {
          this.producerResets += 1;
          await this.dropProducer();
        }
        throw err;
      }
      for (const span of spans) span.end();
      await client.query('UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE seq = ANY($1::bigint[])', [rows.map((r) => r.seq)]);
      await client.query('COMMIT');
      const nowMs = Date.now();
      for (const row of rows) {
        outboxPublished.inc({ topic: row.topic });
        outboxPublishDelay.observe({ topic: row.topic }, Math.max(0, nowMs - new Date(row.created_at).getTime()) / 1000);
        this.opts.onPublished?.(row.topic, row.envelope.payload);
      }
      this.published += rows.length;
      return rows.length;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async listen(): Promise<void> {
    try {
      const listener = new pg.Client({ connectionString: this.opts.connectionString });
      listener.on('notification', () => this.wakeUp());
      listener.on('error', () => {
        this.listener = undefined;
      });
      await listener.connect();
      await listener.query('LISTEN outbox');
      this.listener = listener;
    } catch (err) {
      this.opts.logger.warn({ err }, 'outbox relay: LISTEN failed, polling only');
    }
  }

  private async run(): Promise<void> {
    const poll = this.opts.pollIntervalMs ?? 1000;
    while (this.running) {
      this.woken = false;
      let published = 0;
      try {
        published = await this.drainOnce();
        if (this.failures) this.opts.logger.info({ after: this.failures }, 'outbox relay: publishing again');
        this.failures = 0;
      } catch (err) {
        this.failures += 1;
        if (this.failures === 1 || this.failures % 20 === 0) this.opts.logger.warn({ err, failures: this.failures }, 'outbox relay: publish failed, rows kept for retry');
      }
      // Drain again at once only when the batch was full (more rows wait) or a writer signalled during the drain. A
      // partial batch emptied the outbox as of its SELECT: anything committed later signals (and sets `woken`), so a
      // second, empty drain would only cost a transaction. Measured: a third fewer drains and ~1.5 ms of CPU less per PIX.
      if (published >= this.batchSize || (this.woken && !this.failures)) continue;
      if (!this.listener && this.running) await this.listen();
      const delay = this.failures ? Math.min(200 * 2 ** this.failures, 5000) : poll;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}
