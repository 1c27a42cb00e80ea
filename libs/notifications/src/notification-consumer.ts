// The Notification consumer (Kafka → RabbitMQ). For each event it builds the customers' notifications and publishes one
// persistent message per (recipient, channel), routed by the customer's preferences: all of them at once, then one
// wait for every publisher confirm.
//
// At-least-once, on purpose: the inbox row commits only after every message was confirmed by the broker, and the Kafka
// offset is committed after the handler returns. A crash in between publishes the same messages again; the worker
// deduplicates them by (event id, channel, recipient), so the customer still receives each notification once.
import { deadLetterTopic, PAYLOADS, TOPICS, type Envelope } from '@krt/contracts';
import { applyOnce, applyOnceBatch, startConsumer, type RunningConsumer, connectWithRetry } from '@krt/platform/messaging';
import type { Pool } from '@krt/platform/persistence';
import type { Logger } from '@krt/platform/telemetry';
import type { AmqpClient, ConfirmPublisher, OutgoingMessage } from '@krt/platform/messaging';
import { contextFromTraceparent, type Context } from '@krt/platform/telemetry';
import type { Kafka, Producer } from 'kafkajs';
import { contactUpdateOf, type ContactUpdate } from './contact-update';
import { DEFAULT_PREFERENCES, emailHolders, findCustomer, findCustomers, upsertCustomer } from './customers.repository';
import { messageId, notificationId, routeChannels, type NotificationDraft, type NotificationMessage } from './notification.model';
import { buildNotifications, contactChangeAlert, NOTIFIABLE_TOPICS, type NotifiableEvent } from './notification-templates';
import { assertTopology, HEADERS, type Topology } from './topology';

export interface NotificationConsumerDeps {
  kafka: Kafka;
  pool: Pool;
  amqp: AmqpClient;
  publisher: ConfirmPublisher;
  topology: Topology;
  logger: Logger;
  groupId: string;
  /** Kafka retries of a failing event (RabbitMQ down, database down) before it goes to the dead-letter topic. */
  maxAttempts?: number;
  retryDelayMs?: number;
}

export interface RunningNotificationConsumer {
  consumer: RunningConsumer['consumer'];
  stop(): Promise<void>;
}

/** Parses the payload of a notifiable topic; undefined when the payload does not match its schema (a poison message). */
function toEvent(topic: string, envelope: Envelope): NotifiableEvent | undefined {
  if (!(NOTIFIABLE_TOPICS as readonly string[]).includes(topic)) return undefined;
  const schema = PAYLOADS[topic as keyof typeof PAYLOADS];
  const parsed = schema.safeParse(envelope.payload);
  return parsed.success ? ({ type: topic, payload: parsed.data } as NotifiableEvent) : undefined;
}

function partiesOf(event: NotifiableEvent): string[] {
  switch (event.type) {
    case 'account.created':
      return [event.payload.customerId];
    case 'pix.completed':
    case 'pix.failed':
      return [event.payload.payer.customerId, event.payload.receiver.customerId];
    case 'fraud.detected':
      return [event.payload.payer.customerId];
    case 'pix.pin-locked':
      return [event.payload.customerId];
    case 'customer.contact-changed':
      return [];
  }
}

/** One event to notify, with the trace context its RabbitMQ publishes belong to (default: the active one). */
export interface EventToNotify {
  envelope: Envelope;
  event: NotifiableEvent;
  traceContext?: Context;
}

/** Builds and publishes (with confirms) the messages of one event, inside the inbox transaction. Returns how many. */
export function publishNotificationsFor(
  deps: Pick<NotificationConsumerDeps, 'publisher' | 'topology'>,
  db: Parameters<typeof findCustomers>[0],
  envelope: Envelope,
  event: NotifiableEvent,
): Promise<number> {
  return publishNotificationsForMany(deps, db, [{ envelope, event }]);
}

/**
 * Builds the messages of several events (in order: an `account.created` or `customer.contact-changed` stores its
 * customer's contact data, when newer than the copy here, before the later events read it; every recipient read in one
 * query) and publishes them all at once with one wait for every confirm, inside
 * the inbox transaction. Returns how many messages. A `customer.contact-changed` that replaced the copy here also
 * alerts the contact as it was (contactChangeAlert); a redelivery computes the same alert, since a rolled-back inbox
 * transaction rolled the copy back too.
 */
export async function publishNotificationsForMany(
  deps: Pick<NotificationConsumerDeps, 'publisher' | 'topology'>,
  db: Parameters<typeof findCustomers>[0],
  events: readonly EventToNotify[],
): Promise<number> {
  const alerts = new Map<EventToNotify, NotificationDraft>();
  for (const item of events) {
    const contact = contactUpdateOf(item.envelope, item.event);
    if (!contact) continue;
    const { event } = item;
    const before = event.type === TOPICS.customerContactChanged ? await findCustomer(db, contact.customerId) : undefined;
    const replaced = await upsertCustomer(db, contact);
    const alert = replaced && before && event.type === TOPICS.customerContactChanged ? contactChangeAlert(event.payload, before) : undefined;
    if (alert) alerts.set(item, alert);
  }
  const customers = await findCustomers(db, [...new Set(events.flatMap(({ event }) => partiesOf(event)))]);
  const outgoing: OutgoingMessage[] = [];
  const timestamp = Math.floor(Date.now() / 1000);
  for (const item of events) {
    const { envelope, event, traceContext } = item;
    const alert = alerts.get(item);
    const drafts = [...buildNotifications(event, (id) => customers.get(id)?.fullName), ...(alert ? [alert] : [])];
    for (const draft of drafts) {
      const c = customers.get(draft.customerId);
      // Unknown recipient (its account.created not seen yet): default preferences; the worker waits for the contact data.
      const prefs = c ? { email: c.notifyEmail, sms: c.notifySms } : DEFAULT_PREFERENCES;
      for (const channel of routeChannels(draft, prefs)) {
        const m: NotificationMessage = {
          v: 1,
          id: messageId(envelope.eventId, channel, draft.customerId),
          notificationId: notificationId(envelope.eventId, draft.customerId, draft.kind),
          eventId: envelope.eventId,
          eventType: envelope.type,
          channel,
          customerId: draft.customerId,
          kind: draft.kind,
          title: draft.title,
          body: draft.body,
          ...(draft.transferId ? { transferId: draft.transferId } : {}),
          ...(draft.to ? { to: draft.to } : {}),
          createdAt: envelope.occurredAt,
          correlationId: envelope.correlationId,
          traceparent: envelope.traceparent,
        };
        outgoing.push({
          exchange: deps.topology.exchange,
          routingKey: m.channel,
          content: Buffer.from(JSON.stringify(m)),
          options: {
            messageId: m.id,
            contentType: 'application/json',
            correlationId: m.correlationId,
            timestamp,
            headers: { [HEADERS.attempt]: 1, ...(m.traceparent ? { traceparent: m.traceparent } : {}) },
          },
          context: traceContext,
        });
      }
    }
  }
  // All of the messages go out together and are confirmed together (one wait for the broker's confirms).
  await deps.publisher.publishAll(outgoing);
  return outgoing.length;
}

export async function startNotificationConsumer(deps: NotificationConsumerDeps): Promise<RunningNotificationConsumer> {
  const log = deps.logger.child({ component: 'notification-consumer' });
  const dlt: Producer = deps.kafka.producer({ allowAutoTopicCreation: false });
  await connectWithRetry('notification consumer dead-letter producer', () => dlt.connect(), { logger: log, cleanup: () => dlt.disconnect() });
  let unregisterTopology: (() => void) | undefined;
  try {
    unregisterTopology = await deps.amqp.onConnected(async (conn) => {
      const ch = await conn.createChannel();
      try {
        await assertTopology(ch, deps.topology);
      } finally {
        await ch.close().catch(() => undefined);
      }
    });
  } catch (err) {
    await dlt.disconnect().catch(() => undefined);
    throw err;
  }
  const fail = async (err: unknown): Promise<never> => {
    unregisterTopology?.();
    await dlt.disconnect().catch(() => undefined);
    throw err;
  };

  const contactConflict = async (envelope: Envelope, event: NotifiableEvent): Promise<string | undefined> => {
    const contact = contactUpdateOf(envelope, event);
    return contact ? (await emailHolders(deps.pool, [contact])).get(contact.customerId) : undefined;
  };

  const running = await startConsumer({
    kafka: deps.kafka,
    groupId: deps.groupId,
    topics: [...NOTIFIABLE_TOPICS],
    logger: log,
    // A broker restart blocks the partition (back-pressure) instead of dead-lettering: ~4 min of growing retries.
    maxAttempts: deps.maxAttempts ?? 10,
    retryDelayMs: deps.retryDelayMs ?? 500,
    handle: async (envelope, ctx) => {
      const deadLetter = async (reason: string) => {
        await dlt.send({
          topic: deadLetterTopic(ctx.topic),
          messages: [{ key: envelope.aggregateId, value: JSON.stringify(envelope), headers: { 'dlt-reason': reason, 'dlt-group': deps.groupId } }],
        });
        log.error({ topic: ctx.topic, eventId: envelope.eventId, reason }, 'event sent to the dead-letter topic');
      };
      const event = toEvent(ctx.topic, envelope);
      if (!event) {
        // A payload that will never validate is poison: straight to the dead-letter topic, no retries.
        await deadLetter('payload does not match its schema');
        return;
      }
      // Its e-mail is another customer's here: storing it would send one customer's notifications to the other.
      // Retrying cannot help; an operator corrects the other customer's contact, then replays it from the back office.
      const conflict = await contactConflict(envelope, event);
      if (conflict) {
        await deadLetter(`contact conflict: the e-mail is customer ${conflict}'s`);
        return;
      }
      let published = 0;
      const applied = await applyOnce(deps.pool, deps.groupId, envelope, async (client) => {
        published = await publishNotificationsFor(deps, client, envelope, event);
      });
      log.info({ topic: ctx.topic, eventId: envelope.eventId, correlationId: envelope.correlationId, published, duplicate: !applied }, 'event handled');
    },
    // What Kafka hands over at once: one inbox claim, one read of the recipients, one publish of every message with
    // one wait for the confirms, one commit. A payload that does not validate makes the base apply the batch one at a
    // time through `handle`, which dead-letters it.
    handleBatch: async (items) => {
      const events: EventToNotify[] = [];
      for (const item of items) {
        const event = toEvent(item.ctx.topic, item.envelope);
        if (!event) throw new Error(`event ${item.envelope.eventId} does not match its schema`);
        events.push({ envelope: item.envelope, event, traceContext: contextFromTraceparent(item.traceparent) });
      }
      // A contact conflict (with a known customer or inside the batch) is dead-lettered by `handle`, one at a time.
      const contacts = events.flatMap(({ envelope, event }): ContactUpdate[] => {
        const contact = contactUpdateOf(envelope, event);
        return contact ? [contact] : [];
      });
      const emails = new Map<string, string>();
      for (const p of contacts) {
        const other = emails.get(p.email.toLowerCase());
        if (other && other !== p.customerId) throw new Error('two customers with the same e-mail in one batch');
        emails.set(p.email.toLowerCase(), p.customerId);
      }
      if ((await emailHolders(deps.pool, contacts)).size > 0) throw new Error('a contact of the batch has another customer\'s e-mail');
      const byId = new Map(events.map((e) => [e.envelope.eventId, e]));
      let published = 0;
      const claimed = await applyOnceBatch(deps.pool, deps.groupId, events.map((e) => e.envelope), async (client, fresh) => {
        published = await publishNotificationsForMany(deps, client, fresh.map((envelope) => byId.get(envelope.eventId)!));
      });
      log.info({ topic: items[0]!.ctx.topic, events: items.length, applied: claimed.length, published }, 'events handled');
    },
  }).catch(fail);
  return {
    consumer: running.consumer,
    stop: async () => {
      await running.stop();
      await dlt.disconnect().catch(() => undefined);
    },
  };
}
