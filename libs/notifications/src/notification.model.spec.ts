import { describe, expect, it } from 'vitest';
import { messageId, notificationId, notificationMessageSchema, routeChannels } from './notification.model';

describe('notification routing and ids', () => {
  it('when the customer opted out of e-mail and SMS, then only the in-app notification is sent, except for security alerts', () => {
    expect(routeChannels({ security: false }, { email: false, sms: false })).toEqual(['push']);
    expect(routeChannels({ security: false }, { email: true, sms: false })).toEqual(['email', 'push']);
    expect(routeChannels({ security: true }, { email: false, sms: false })).toEqual(['email', 'sms', 'push']);
  });

  it('when the same event is seen twice, then the notification id is the same; another recipient or kind gives another id', () => {
    const e = '0f8e2a4c-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
    const c = '11111111-1111-4111-8111-111111111111';
    const id = notificationId(e, c, 'PIX_SENT');
    expect(id).toBe(notificationId(e, c, 'PIX_SENT'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(notificationId(e, '22222222-2222-4222-8222-222222222222', 'PIX_SENT')).not.toBe(id);
    expect(notificationId(e, c, 'PIX_RECEIVED')).not.toBe(id);
    expect(messageId(e, 'email', c)).toBe(`${e}:email:${c}`);
  });

  it('when a message names its own address and number (a contact-change alert), then they must be an e-mail and a Brazilian mobile', () => {
    const m = {
      v: 1,
      id: 'x',
      notificationId: '0f8e2a4c-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
      eventId: '0f8e2a4c-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
      eventType: 'customer.contact-changed',
      channel: 'email',
      customerId: '11111111-1111-4111-8111-111111111111',
      kind: 'CONTACT_CHANGED',
      title: 'Dados de contato alterados',
      body: 'O e-mail da sua conta foi alterado.',
      createdAt: '2026-12-07T17:05:00.000Z',
      correlationId: 'c',
    };
    expect(notificationMessageSchema.parse(m).to).toBeUndefined();
    expect(notificationMessageSchema.parse({ ...m, to: { email: 'old@example.com', phone: '+5511987654321' } }).to).toEqual({ email: 'old@example.com', phone: '+5511987654321' });
    expect(notificationMessageSchema.safeParse({ ...m, to: { email: 'not-an-address', phone: '+5511987654321' } }).success).toBe(false);
    expect(notificationMessageSchema.safeParse({ ...m, to: { email: 'old@example.com', phone: '11987654321' } }).success).toBe(false);
  });
});
