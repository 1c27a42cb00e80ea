import { describe, expect, it } from 'vitest';
import { decodeAuditCursor, encodeAuditCursor, mergeAuditPages, type AuditItem } from './audit-merge';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 3, minute)).toISOString();
const item = (id: number, minute: number, action = 'x'): AuditItem => ({ id: String(id), occurredAt: at(minute), action });

describe('audit merge', () => {
  it('when three services answer, then one page comes newest first, cut at the limit, tagged with the service', () => {
    const { items, nextCursor } = mergeAuditPages(
      {
        payments: { items: [item(9, 50), item(8, 20)], nextBefore: '8' },
        onboarding: { items: [item(30, 40), item(29, 10)], nextBefore: null },
        notifications: { items: [item(5, 45)], nextBefore: null },
      },
      {},
      3,
    );
    expect(items.map((i) => [i.service, i.id])).toEqual([
      ['payments', '9'],
      ['notifications', '5'],
      ['onboarding', '30'],
    ]);
    // payments goes on after its id 9 (its 8 was not shown), onboarding after 30, notifications is done.
    expect(decodeAuditCursor(nextCursor!)).toEqual({ payments: '9', onboarding: '30', notifications: null });
  });

  it('when every item of a service fits, then its own next cursor is kept, and null everywhere ends the list', () => {
    const first = mergeAuditPages({ payments: { items: [item(2, 5)], nextBefore: '2' }, onboarding: { items: [], nextBefore: null }, notifications: { items: [] } }, {}, 10);
    expect(decodeAuditCursor(first.nextCursor!)).toEqual({ payments: '2', onboarding: null, notifications: null });
    const last = mergeAuditPages({ payments: { items: [item(1, 4)], nextBefore: null } }, { payments: '2', onboarding: null, notifications: null }, 10);
    expect(last.items.map((i) => i.id)).toEqual(['1']);
    expect(last.nextCursor).toBeNull();
  });

  it('when a service did not answer, then its cursor stays where it was', () => {
    const { nextCursor } = mergeAuditPages({ payments: { items: [item(1, 4)], nextBefore: null }, onboarding: { items: [], nextBefore: null } }, { notifications: '77' }, 10);
    expect(decodeAuditCursor(nextCursor!)).toEqual({ payments: null, onboarding: null, notifications: '77' });
  });

  it("when a service's own order is not by time, then what is taken from it is still a prefix of its page", () => {
    const { items, nextCursor } = mergeAuditPages({ payments: { items: [item(9, 50), item(8, 55)], nextBefore: '8' }, onboarding: { items: [item(3, 52)], nextBefore: null } }, {}, 2);
    expect(items.map((i) => [i.service, i.id])).toEqual([
      ['onboarding', '3'],
      ['payments', '9'],
    ]);
    expect(decodeAuditCursor(nextCursor!)).toMatchObject({ payments: '9', onboarding: null });
  });

  it('when a cursor was not made by the BFF, then it is refused', () => {
    expect(decodeAuditCursor('not-a-cursor')).toBeUndefined();
    expect(decodeAuditCursor(Buffer.from('{"ledger":"1"}').toString('base64url'))).toBeUndefined();
    expect(decodeAuditCursor(Buffer.from('[1]').toString('base64url'))).toBeUndefined();
    expect(decodeAuditCursor(encodeAuditCursor({ payments: '3', onboarding: null }))).toEqual({ payments: '3', onboarding: null });
  });
});
