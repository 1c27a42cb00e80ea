// What travels between the notification consumer and the worker: one message per (event, channel, recipient).
import { notificationKindSchema } from '@krt/contracts';
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const CHANNELS = ['email', 'sms', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];

export const NOTIFICATION_KINDS = notificationKindSchema.options;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A notification for one customer, before it is routed to channels. */
export interface NotificationDraft {
  customerId: string;
  kind: NotificationKind;
  title: string;
  body: string;
  /** Security alerts go out on every channel, whatever the customer's preferences. */
  security: boolean;
  /** The PIX the notification is about (pix.completed / pix.failed): the in-app notification opens its page. */
  transferId?: string;
  /**
   * Where the e-mail and the SMS go instead of the contact on file: a contact-change alert goes to the address and the
   * number as they were before the change, so a customer whose contact someone else changed still hears of it.
   */
  to?: ContactAddress;
}

/** An e-mail address and a mobile number (E.164, +55…). */
export interface ContactAddress {
  email: string;
  phone: string;
}

export const notificationMessageSchema = z.object({
  v: z.literal(1),
  /** `<eventId>:<channel>:<customerId>`: the AMQP message id and the DLQ replay id. */
  id: z.string().min(1),
  notificationId: z.string().uuid(),
  eventId: z.string().uuid(),
  eventType: z.string().min(1),
  channel: z.enum(CHANNELS),
  customerId: z.string().uuid(),
  kind: z.enum(NOTIFICATION_KINDS),
  title: z.string().min(1),
  body: z.string().min(1),
  /** The PIX it is about, when there is one: kept with the in-app notification, which links to the transfer. */
  transferId: z.string().uuid().optional(),
  /** E-mail and SMS go here rather than to the customer's contact on file (NotificationDraft.to). */
  to: z.object({ email: z.string().email(), phone: z.string().regex(/^\+55\d{10,11}$/) }).optional(),
  createdAt: z.string(),
  correlationId: z.string().min(1),
  traceparent: z.string().optional(),
});
export type NotificationMessage = z.infer<typeof notificationMessageSchema>;

export const messageId = (eventId: string, channel: Channel, customerId: string) => `${eventId}:${channel}:${customerId}`;

const NAMESPACE = Buffer.from('6f1c2f5e9a7b4d0e8c3a2b1d0e9f8a7b', 'hex');

/** A name-based UUID (version 5, RFC 9562): the same event, recipient and kind always give the same notification id. */
export function notificationId(eventId: string, customerId: string, kind: NotificationKind): string {
  const hash = createHash('sha1').update(NAMESPACE).update(`${eventId}|${customerId}|${kind}`).digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The channels a draft goes to: in-app always, e-mail and SMS as the customer chose (all of them for security alerts). */
export function routeChannels(draft: Pick<NotificationDraft, 'security'>, prefs: { email: boolean; sms: boolean }): Channel[] {
  const channels: Channel[] = [];
  if (draft.security || prefs.email) channels.push('email');
  if (draft.security || prefs.sms) channels.push('sms');
  channels.push('push');
  return channels;
}
