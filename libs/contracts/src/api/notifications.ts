// The notification centre.
import { z } from 'zod';
import { instantSchema } from './money';

export const notificationKindSchema = z.enum(['ACCOUNT_CREATED', 'PIX_SENT', 'PIX_RECEIVED', 'PIX_FAILED', 'FRAUD_ALERT', 'PIN_LOCKED', 'CONTACT_CHANGED']);

export const notificationItemSchema = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  kind: notificationKindSchema,
  createdAt: instantSchema,
  readAt: instantSchema.optional(),
  /** The PIX the notification is about: opens the transfer's page. */
  transferId: z.string().optional(),
});
export type NotificationItem = z.infer<typeof notificationItemSchema>;

/** GET /api/v1/notifications */
export const notificationPageSchema = z.object({ items: z.array(notificationItemSchema), nextCursor: z.string().nullable() });
export type NotificationPage = z.infer<typeof notificationPageSchema>;

/** GET /api/v1/notifications/unread-count */
export const unreadCountSchema = z.object({ count: z.number().int().min(0) });
export type UnreadCount = z.infer<typeof unreadCountSchema>;
