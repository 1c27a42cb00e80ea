import { Hono } from 'hono';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressResponses, negotiateEncoding, reuseEncodings, varyAcceptEncoding } from './content-encoding';

describe('content coding negotiation', () => {
  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=0.5, br;q=0.4', 'gzip'],
    ['*', 'br'],
    ['*;q=0, gzip', 'gzip'],
    ['identity', undefined],
    ['br;q=0, gzip;q=0', undefined],
    ['', undefined],
    ['x-gzip', 'gzip'],
    ['BR', 'br'],
  ])('when the browser sends Accept-Encoding "%s", then the server sends %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });

  it('when only some variants exist, then only those are offered', () => {
    expect(negotiateEncoding('br, gzip', ['gzip'])).toBe('gzip');
    expect(negotiateEncoding('br', ['gzip'])).toBeUndefined();
  });

  it('when Vary already names headers, then Accept-Encoding is added once', () => {
    expect(varyAcceptEncoding('Cookie')).toBe('Cookie, Accept-Encoding');
    expect(varyAcceptEncoding('Cookie, accept-encoding')).toBe('Cookie, accept-encoding');
    expect(varyAcceptEncoding(undefined)).toBe('Accept-Encoding');
  });
});

describe('compressResponses', () => {
  const big = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, description: `Pix recebido ${i}` })) };
  const app = new Hono();
  app.use('*', compressResponses());
  app.get('/json', (c) => c.json(big, 200, { etag: '"v1"' }));
  app.get('/small', (c) => c.json({ ok: true }));
  app.get('/html', (c) => c.html(`<p>${'Olá, mundo. '.repeat(500)}</p>`));
  app.get('/events', (c) => c.body('data: x\n\n'.repeat(500), 200, { 'content-type': 'text/event-stream' }));
  app.get('/no-transform', (c) => c.json(big, 200, { 'cache-control': 'no-transform' }));

  it('when the browser accepts brotli, then a large JSON answer is brotli, decodes to the same bytes, and its ETag turns weak', async () => {
    const res = await app.request('/json', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('vary')).toMatch(/Accept-Encoding/);
    expect(res.headers.get('etag')).toBe('W/"v1"');
    const body = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(body.length);
    expect(JSON.parse(brotliDecompressSync(body).toString('utf8'))).toEqual(big);
  });

  it('when the browser accepts only gzip, then HTML goes gzip', async () => {
    const res = await app.request('/html', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8')).toContain('Olá, mundo.');
  });

  it('when the client accepts no coding, a body is small, or the answer is an event stream or no-transform, then it goes as it is', async () => {
    const plain = await app.request('/json');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toMatch(/Accept-Encoding/);
    expect(await plain.json()).toEqual(big);
    for (const path of ['/small', '/events', '/no-transform']) {
      const res = await app.request(path, { headers: { 'accept-encoding': 'br, gzip' } });
      expect(res.headers.get('content-encoding'), path).toBeNull();
    }
  });

  describe('reuseEncodings', () => {
    // Each call answers a different body under one key: a reused encoding shows as the first call's bytes coming back,
    // which is exactly what the caller promises never happens (one key, one body), made visible.
    let calls = 0;
    const key = {};
    const memo = new Hono();
    memo.use('*', compressResponses());
    const page = (n: number) => JSON.stringify({ call: n, items: big.items });
    memo.get('/memo', (c) => {
      reuseEncodings(c, key);
      return c.body(new TextEncoder().encode(page(++calls)), 200, { 'content-type': 'application/json' });
    });
    memo.get('/fresh', (c) => c.body(new TextEncoder().encode(page(++calls)), 200, { 'content-type': 'application/json' }));
    const decoded = async (path: string, acceptEncoding: string) => {
      const res = await memo.request(path, { headers: { 'accept-encoding': acceptEncoding } });
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
      const coding = res.headers.get('content-encoding');
      return JSON.parse((coding === 'br' ? brotliDecompressSync(bytes) : gunzipSync(bytes)).toString('utf8')).call as number;
    };

    it('when answers name the same body, then it is compressed once per coding and that encoding is sent again; without a key, every answer is compressed anew', async () => {
      expect(await decoded('/memo', 'br')).toBe(1);
      expect(await decoded('/memo', 'br')).toBe(1);
      expect(await decoded('/memo', 'gzip')).toBe(3); // another coding: compressed from the body of its own call
      expect(await decoded('/memo', 'gzip')).toBe(3);
      expect(await decoded('/fresh', 'br')).toBe(5);
      expect(await decoded('/fresh', 'br')).toBe(6);
    });
  });
});
