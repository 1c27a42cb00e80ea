// RabbitMQ (amqplib): a connection that reconnects, and a readiness check.
import amqp from 'amqplib';
import type { Logger } from '../telemetry/logger';
import { context, type Context } from '../telemetry/telemetry';
import type { ReadinessCheck } from '../http/readiness';

export { amqp };

/** Readiness: opens (or reuses) a connection and a channel, and declares nothing. */
export function rabbitmqReadiness(url: string): ReadinessCheck {
  let connection: amqp.ChannelModel | undefined;
  return {
    name: 'rabbitmq',
    check: async () => {
      try {
        if (!connection) {
          connection = await amqp.connect(url, { timeout: 1000 });
          connection.on('error', () => undefined);
          connection.on('close', () => { connection = undefined; });
        }
        const channel = await connection.createChannel();
        await channel.close();
      } catch (e) {
        const stale = connection;
        connection = undefined;
        await stale?.close().catch(() => undefined);
        throw e;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Shared RabbitMQ helpers: a connection that reconnects by itself, a publisher that waits for broker confirms,
// and a queue consumer with a bounded prefetch and manual acks that re-subscribes after a reconnect.
// ---------------------------------------------------------------------------------------------------------------

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface AmqpClientOptions {
  url: string;
  /** Shown in the broker's connection list and in logs. */
  name: string;
  logger: Logger;
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
}

type SetupFn = (connection: amqp.ChannelModel) => Promise<void>;

/**
 * One AMQP connection kept open for the life of the process: when the broker goes away it reconnects with a growing
 * delay and runs every registered setup again (topology, consumers), so a broker restart needs no process restart.
 */
export class AmqpClient {
  private connection: amqp.ChannelModel | undefined;
  private readonly setups: SetupFn[] = [];
  private waiters: Array<(c: amqp.ChannelModel) => void> = [];
  private closed = false;
  private connecting: Promise<void> | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: AmqpClientOptions) {
    this.log = opts.logger.child({ amqp: opts.name });
  }

  get connected(): boolean {
    return Boolean(this.connection);
  }

  /** Connects (retrying until the broker answers) and runs the setups. Resolves on the first successful connection. */
  start(): Promise<void> {
    this.connecting ??= this.connectLoop();
    return this.connecting;
  }

  /** Registers a setup that runs now (when connected) and after every reconnect; returns a function that unregisters it. */
  async onConnected(fn: SetupFn): Promise<() => void> {
    this.setups.push(fn);
    const unregister = () => {
      const i = this.setups.indexOf(fn);
      if (i >= 0) this.setups.splice(i, 1);
    };
    try {
      if (this.connection) await fn(this.connection);
    } catch (err) {
      unregister();
      throw err;
    }
    return unregister;
  }

  /** The current connection, waiting up to `timeoutMs` for a reconnect. */
  async current(timeoutMs = 10_000): Promise<amqp.ChannelModel> {
    if (this.connection) return this.connection;
    if (this.closed) throw new Error(`${this.opts.name}: AMQP client closed`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`${this.opts.name}: RabbitMQ not reachable within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (c: amqp.ChannelModel) => {
        clearTimeout(timer);
        resolve(c);
      };
      this.waiters.push(waiter);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.connection;
    this.connection = undefined;
    await c?.close().catch(() => undefined);
  }

  private async connectLoop(): Promise<void> {
    let delay = this.opts.reconnectDelayMs ?? 500;
    const max = this.opts.maxReconnectDelayMs ?? 5000;
    let first = true;
    while (!this.closed) {
      let conn: amqp.ChannelModel | undefined;
      try {
        conn = await amqp.connect(this.opts.url, { timeout: 3000, clientProperties: { connection_name: this.opts.name } });
        conn.on('error', (err: Error) => this.log.warn({ err }, 'AMQP connection error'));
        for (const setup of this.setups) await setup(conn);
      } catch (err) {
        await conn?.close().catch(() => undefined);
        if (first) this.log.warn({ err }, 'RabbitMQ not reachable yet, retrying');
        first = false;
        await pause(delay);
        delay = Math.min(max, delay * 2);
        continue;
      }
      const ready = conn;
      ready.once('close', () => {
        if (this.connection === ready) this.connection = undefined;
        if (this.closed) return;
        this.log.warn('AMQP connection closed, reconnecting');
        this.connecting = pause(this.opts.reconnectDelayMs ?? 500).then(() => this.connectLoop());
      });
      this.connection = ready;
      this.log.info('AMQP connected');
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w(ready);
      return;
    }
  }
}

export interface PublishOptions extends amqp.Options.Publish {
  /** Defaults to true: the broker writes the message to disk before confirming it. */
  persistent?: boolean;
}

/** One message of `ConfirmPublisher.publishAll`. */
export interface OutgoingMessage {
  exchange: string;
  routingKey: string;
  content: Buffer;
  options?: PublishOptions;
  /** The trace context the message is published in (its publish span's parent); the active one by default. */
  context?: Context;
}

/**
 * Publishes with publisher confirms: `publish` resolves only after the broker has taken responsibility for the message
 * (for persistent messages on durable queues: written to disk). Messages are `mandatory`: a message no queue would
 * receive is returned by the broker, and the publish rejects instead of silently losing it.
 */
export class ConfirmPublisher {
  private channel: amqp.ConfirmChannel | undefined;
  private opening: Promise<amqp.ConfirmChannel> | undefined;
  private readonly returned = new Set<string>();
  private seq = 0;

  constructor(private readonly client: AmqpClient, private readonly opts: { timeoutMs?: number } = {}) {}

  publish(exchange: string, routingKey: string, content: Buffer, options: PublishOptions = {}): Promise<void> {
    return this.publishAll([{ exchange, routingKey, content, options }]);
  }

  /**
   * Publishes every message on the channel at once, then waits once for all their confirms: it resolves when the broker
   * has confirmed every one, and rejects as soon as one is nacked or returned as unroutable, or when the confirms do not
   * all arrive in time (the caller then treats the whole set as not published and publishes it again).
   */
  async publishAll(messages: readonly OutgoingMessage[]): Promise<void> {
    if (!messages.length) return;
    const channel = await this.getChannel();
    await new Promise<void>((resolve, reject) => {
      let unconfirmed = messages.length;
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(err);
      };
      const timer = setTimeout(() => fail(new Error(`publish not confirmed in time (${unconfirmed} of ${messages.length} unconfirmed)`)), this.opts.timeoutMs ?? 10_000);
      for (const { exchange, routingKey, content, options = {}, context: messageContext } of messages) {
        const tag = `${process.pid}-${++this.seq}`;
        const messageId = options.messageId ?? tag;
        const send = () =>
          channel.publish(exchange, routingKey, content, { persistent: true, mandatory: true, ...options, messageId, headers: { ...options.headers, 'x-publish-tag': tag } }, (err) => {
            const wasReturned = this.returned.delete(tag);
            if (err) return fail(err instanceof Error ? err : new Error(String(err)));
            if (wasReturned) return fail(new Error(`message returned as unroutable (exchange "${exchange}", routing key "${routingKey}")`));
            if (--unconfirmed === 0 && !settled) {
              settled = true;
              clearTimeout(timer);
              resolve();
            }
          });
        try {
          if (messageContext) context.with(messageContext, send);
          else send();
        } catch (err) {
          fail(err as Error);
          return;
        }
      }
    });
  }

  /** Publishes straight to a queue through the default exchange. */
  sendToQueue(queue: string, content: Buffer, options: PublishOptions = {}): Promise<void> {
    return this.publish('', queue, content, options);
  }

  async close(): Promise<void> {
    const ch = this.channel;
    this.channel = undefined;
    await ch?.close().catch(() => undefined);
  }

  private async getChannel(): Promise<amqp.ConfirmChannel> {
    if (this.channel) return this.channel;
    this.opening ??= (async () => {
      try {
        const conn = await this.client.current(this.opts.timeoutMs ?? 10_000);
        const ch = await conn.createConfirmChannel();
        ch.on('error', () => undefined);
        ch.on('return', (msg: amqp.Message) => {
          const tag = msg.properties.headers?.['x-publish-tag'];
          if (typeof tag === 'string') this.returned.add(tag);
        });
        ch.once('close', () => {
          if (this.channel === ch) this.channel = undefined;
        });
        this.channel = ch;
        return ch;
      } finally {
        this.opening = undefined;
      }
    })();
    return this.opening;
  }
}

export interface QueueConsumerOptions {
  queue: string;
  /** How many unacknowledged messages this consumer holds at once. */
  prefetch: number;
  /**
   * Handles one message and must settle it with `channel.ack` / `channel.nack`. A throw nacks it back to the queue
   * (the handler is expected to deal with failures itself: retry queues, dead-lettering).
   */
  onMessage: (msg: amqp.ConsumeMessage, channel: amqp.Channel) => Promise<void>;
  consumerTag?: string;
}

/** A manual-ack consumer with a bounded prefetch; it re-subscribes after every reconnect. */
export async function consumeQueue(client: AmqpClient, logger: Logger, opts: QueueConsumerOptions): Promise<{ stop(): Promise<void> }> {
  let channel: amqp.Channel | undefined;
  let consumerTag: string | undefined;
  let stopped = false;
  const inFlight = new Set<Promise<void>>();
  await client.onConnected(async (conn) => {
    if (stopped) return;
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    await ch.prefetch(opts.prefetch);
    const ok = await ch.consume(
      opts.queue,
      (msg) => {
        if (!msg) return; // the queue was deleted or the consumer cancelled
        const work = opts.onMessage(msg, ch).catch((err: unknown) => {
          logger.error({ err, queue: opts.queue }, 'message handler failed; returning the message to the queue');
          try {
            ch.nack(msg, false, true);
          } catch {
            /* channel gone: the broker requeues unacked messages by itself */
          }
        });
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
      },
      { noAck: false, consumerTag: opts.consumerTag },
    );
    consumerTag = ok.consumerTag;
    channel = ch;
  });
  return {
    stop: async () => {
      stopped = true;
      const ch = channel;
      channel = undefined;
      if (ch && consumerTag) await ch.cancel(consumerTag).catch(() => undefined);
      await Promise.allSettled([...inFlight]);
      await ch?.close().catch(() => undefined);
    },
  };
}
