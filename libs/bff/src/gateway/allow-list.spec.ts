import { describe, expect, it } from 'vitest';
import { allowHeader, allowListedOperations, methodAllowed, routeFor } from './allow-list';

describe('proxy allow-list', () => {
  it.each([
    ['/api/v1/accounts/me', 'payments', '/v1/accounts/me', false],
    ['/api/v1/accounts/me/statement.csv', 'payments', '/v1/accounts/me/statement.csv', false],
    ['/api/v1/pix/transfers/6f1c2f8e-1111-4a4a-9999-123456789abc', 'payments', '/v1/pix/transfers/6f1c2f8e-1111-4a4a-9999-123456789abc', false],
    ['/api/v1/pix/keys', 'payments', '/v1/pix/keys', false],
    ['/api/v1/admin/deposit-requests', 'payments', '/v1/admin/deposit-requests', false],
    ['/api/v1/admin/deposit-requests/3f2a/approve', 'payments', '/v1/admin/deposit-requests/3f2a/approve', false],
    ['/api/v1/admin/dead-letters/k-1/replay', 'notifications', '/v1/admin/dead-letters/k-1/replay', false],
    ['/api/v1/registrations', 'onboarding', '/v1/registrations', true],
    ['/api/v1/registrations/abc', 'onboarding', '/v1/registrations/abc', true],
    ['/api/v1/pix/keys/resolve', 'payments', '/v1/pix/keys/resolve', false],
    ['/api/v1/customers/me', 'onboarding', '/v1/customers/me', false],
    ['/api/v1/admin/kyc/applications', 'onboarding', '/v1/admin/kyc/applications', false],
    ['/api/v1/notifications', 'notifications', '/v1/notifications', false],
    ['/api/v1/notifications/unread-count', 'notifications', '/v1/notifications/unread-count', false],
  ])('when the path is %s, then it goes to %s as %s', (path, upstream, upstreamPath, isPublic) => {
    expect(routeFor(path)).toMatchObject({ upstream, path: upstreamPath, public: isPublic });
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
    '/api/v1/admin/deposits',
    '/api/health',
    '/api/v1/accounts/me?x',
    '/api/v1/accounts/me/ledger',
    '/api/v1/pix/transfers/x/y',
    '/api/v1/notifications-x',
  ])('when the path is %s, then it is not proxied', (path) => {
    expect(routeFor(path)).toBeUndefined();
  });

  it('when a resource is looked up, then it carries exactly its methods; a literal path wins over a template', () => {
    expect(routeFor('/api/v1/accounts/me/limits')?.methods).toEqual(['GET', 'PUT']);
    expect(routeFor('/api/v1/pix/keys/resolve')?.methods).toEqual(['GET']);
    expect(routeFor('/api/v1/pix/keys/6f1c2f8e-1111-4a4a-9999-123456789abc')?.methods).toEqual(['DELETE']);
    expect(routeFor('/api/v1/notifications/preferences')?.methods).toEqual(['GET', 'PUT']);
  });

  it.each([
    [['GET'], 'HEAD', true],
    [['GET'], 'TRACE', false],
    [['GET'], 'OPTIONS', false],
    [['POST'], 'HEAD', false],
    [['GET', 'PUT'], 'PUT', true],
    [['DELETE'], 'PATCH', false],
  ])('when the resource has %j and the method is %s, then allowed is %s', (methods, method, allowed) => {
    expect(methodAllowed(methods, method)).toBe(allowed);
  });

  it('when Allow is built, then GET brings HEAD', () => {
    expect(allowHeader(['GET', 'PUT'])).toBe('GET, PUT, HEAD');
    expect(allowHeader(['POST'])).toBe('POST');
  });

  it('when the operations are listed, then every template routes back to itself', () => {
    for (const op of allowListedOperations()) {
      const sample = op.template.replace(/\{[^}]+\}/g, '6f1c2f8e-1111-4a4a-9999-123456789abc');
      expect(routeFor(`/api${sample}`)).toMatchObject({ upstream: op.upstream, methods: op.methods });
    }
  });
});
