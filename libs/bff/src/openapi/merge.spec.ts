import { describe, expect, it } from 'vitest';
import { mergeOpenApi } from './merge';

describe('OpenAPI merge', () => {
  const own = { openapi: '3.1.0', info: { title: 'KRT', version: '1' }, paths: { '/auth/me': { get: {} } } };
  const payments = {
    openapi: '3.1.0',
    paths: {
      '/v1/accounts/me': { get: { responses: { 200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Account' } } } } } } },
      '/v1/pix/transfers/{id}': { get: {} },
      '/internal/ledger': { get: {} },
    },
    components: { schemas: { Account: { type: 'object' } }, securitySchemes: { bearer: { type: 'http' } } },
  };

  it('when upstream documents are merged, then forwarded paths appear under /api with prefixed components, and others are left out', () => {
    const doc = mergeOpenApi(own, [{ upstream: 'payments', doc: payments }]) as any;
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/v1/accounts/me', '/api/v1/pix/transfers/{id}', '/auth/me']);
    expect(doc.paths['/api/v1/accounts/me'].get.responses[200].content['application/json'].schema.$ref).toBe('#/components/schemas/Payments_Account');
    expect(doc.components.schemas.Payments_Account).toEqual({ type: 'object' });
    expect(doc.components.securitySchemes).toBeUndefined();
    expect(doc.paths['/api/v1/accounts/me'].get.tags).toEqual(['payments']);
  });

  it('when an upstream has no document, then the rest is still served and the gap is named', () => {
    const doc = mergeOpenApi(own, [{ upstream: 'payments', doc: payments }, { upstream: 'notifications', doc: undefined }]) as any;
    expect(doc['x-missing-upstreams']).toEqual(['notifications']);
    expect(doc.paths['/auth/me']).toBeDefined();
  });
});
