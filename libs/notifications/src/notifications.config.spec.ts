import { describe, expect, it } from 'vitest';
import { loadNotificationsConfig, smtpSettings } from './notifications.config';

describe('notifications configuration', () => {
  it('when nothing is set, then it points at the local stack with retries of 1 s, 5 s and 15 s (4 attempts)', () => {
    const cfg = loadNotificationsConfig({});
    expect(cfg.NOTIFICATIONS_RETRY_DELAYS_MS).toEqual([1000, 5000, 15000]);
    expect(cfg.NOTIFICATIONS_AMQP_NAMESPACE).toBe('notifications');
    expect(smtpSettings(cfg)).toMatchObject({ host: '127.0.0.1', port: 1025, secure: false });
  });

  it('when SMTP_URL is given (docker-compose), then it wins, with credentials decoded', () => {
    expect(smtpSettings(loadNotificationsConfig({ SMTP_URL: 'smtp://mailpit:1025' }))).toMatchObject({ host: 'mailpit', port: 1025, secure: false, user: undefined });
    expect(smtpSettings(loadNotificationsConfig({ SMTP_URL: 'smtps://u%40x:p%3Aw@mail.example.com' }))).toMatchObject({ host: 'mail.example.com', port: 465, secure: true, user: 'u@x', password: 'p:w' });
  });

  it('when the retry delays are malformed, then the configuration is refused', () => {
    expect(() => loadNotificationsConfig({ NOTIFICATIONS_RETRY_DELAYS_MS: '1s,5s' })).toThrow(/NOTIFICATIONS_RETRY_DELAYS_MS/);
  });
});
