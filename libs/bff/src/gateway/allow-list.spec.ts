import { describe, expect, it } from 'vitest';
import { routeFor } from './allow-list';

describe('proxy allow-list', () => {
  it.each([
    ['/api/v1/accounts/me', 'payments', '/v1/accounts/me', false],
    ['/api/v1/accounts/me/statement.csv', 'payments', '/v1/accounts/me/statement.csv', false],
    ['/api/v1/pix/transfers/6f1c2f8e-1111-4a4a-9999-123456789abc', 'payments', '/v1/pix/transfers/6f1c2f8e-1111-4a4a-9999-123456789abc', false],
    ['/api/v1/pix/keys', 'payments', '/v1/pix/keys', false],
    ['/api/v1/admin/deposits', 'payments', '/v1/admin/deposits', false],
    ['/api/v1/registrations', 'onboarding', '/v1/registrations', true],
    ['/api/v1/registrations/abc', 'onboarding', '/v1/registrations/abc', true],
    ['/api/v1/customers/me', 'onboarding', '/v1/customers/me', false],
    ['/api/v1/admin/kyc/applications', 'onboarding', '/v1/admin/kyc/applications', false],
    ['/api/v1/notifications', 'notifications', '/v1/notifications', false],
    ['/api/v1/notifications/unread-count', 'notifications', '/v1/notifications/unread-count', false],
  ])('when the path is %s, then it goes to %s as %s', (path, upstream, upstreamPath, isPublic) => {
    expect(routeFor(path)).toEqual({ upstream, path: upstreamPath, public: isPublic });
  });

  it.each([
    '/api/v1/admin/ledger',
    '/api/v1/accountsX',
    '/api/v2/accounts/me',
    '/v1/accounts/me',
    '/api/v1/accounts/../admin/ledger',
    '/api/v1/accounts/%2e%2e/admin',
    '/api/v1/accounts/me%2f..%2f..',
    '/api/v1/accounts//me',
    '/api/v1/accounts\\me',
    '/api/v1/admin/kycx',
    '/api/health',
    '/api/v1/accounts/me?x',
  ])('when the path is %s, then it is not proxied', (path) => {
    expect(routeFor(path)).toBeUndefined();
  });
});
