import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './statement.queries';

describe('statement cursor', () => {
  it('when a cursor is encoded and decoded, then the keyset position survives', () => {
    const at = new Date('2026-11-28T12:34:56.789Z');
    expect(decodeCursor(encodeCursor({ occurred_at: at, id: 123n }))).toEqual({ at, id: '123' });
  });

  it('when a cursor was tampered with, then it is a validation error, not a crash', () => {
    for (const bad of ['lixo', Buffer.from('["x","1"]').toString('base64url'), Buffer.from('["2026-01-01T00:00:00Z","1; drop"]').toString('base64url')]) {
      expect(() => decodeCursor(bad)).toThrowError(expect.objectContaining({ code: 'VALIDATION_FAILED', status: 422 }));
    }
  });
});
