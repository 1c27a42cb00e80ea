import { describe, expect, it } from 'vitest';
import { messageId, notificationId, routeChannels } from './notification.model';

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
});
