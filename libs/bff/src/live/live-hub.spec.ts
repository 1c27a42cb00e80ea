import { describe, expect, it } from 'vitest';
import { LiveHub, pixStatusMessages, type LiveMessage } from './live-hub';

const payer = { customerId: '11111111-1111-4111-8111-111111111111', accountId: 'a1' };
const receiver = { customerId: '22222222-2222-4222-8222-222222222222', accountId: 'a2' };
const env = (extra: Record<string, unknown> = {}) => ({ eventId: 'e-1', payload: { transferId: 't-1', payer, receiver, amountCentavos: '12345', ...extra } });

describe('live events', () => {
  it('when a PIX is initiated, then only the payer hears PENDING', () => {
    const out = pixStatusMessages('pix.initiated', env());
    expect(out).toEqual([
      { customerId: payer.customerId, message: { event: 'pix.status', id: 'e-1:out', data: { transferId: 't-1', status: 'PENDING', amount: '123.45', direction: 'OUT' } } },
    ]);
  });

  it('when a PIX completes, then the payer and the receiver hear it, each in their own direction', () => {
    const out = pixStatusMessages('pix.completed', env());
    expect(out.map((o) => [o.customerId, o.message.data.direction, o.message.data.status])).toEqual([
      [payer.customerId, 'OUT', 'COMPLETED'],
      [receiver.customerId, 'IN', 'COMPLETED'],
    ]);
  });

  it('when a PIX fails, then only the payer hears it, with the reason', () => {
    const out = pixStatusMessages('pix.failed', env({ reason: 'FRAUDE_SUSPEITA' }));
    expect(out).toHaveLength(1);
    expect(out[0]!.message.data).toMatchObject({ status: 'FAILED', failureReason: 'FRAUDE_SUSPEITA' });
    expect(pixStatusMessages('fraud.detected', env())).toEqual([]);
  });

  it('when a message is published for a customer, then only that customer\'s listeners get it', () => {
    const hub = new LiveHub();
    const a: LiveMessage[] = [];
    const b: LiveMessage[] = [];
    const offA = hub.subscribe('A', (m) => a.push(m));
    hub.subscribe('B', (m) => b.push(m));
    hub.publish('A', { event: 'notification', id: '1', data: {} });
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(0);
    offA();
    hub.publish('A', { event: 'notification', id: '2', data: {} });
    expect(a).toHaveLength(1);
    expect(hub.connections()).toBe(1);
  });

  it('when nobody listening on this process is named in an event, then it may be skipped unread; when someone is, it is read', () => {
    const hub = new LiveHub();
    const raw = JSON.stringify({ eventId: 'e-1', payload: env().payload });
    expect(hub.mayConcern(raw)).toBe(false);
    const off = hub.subscribe('33333333-3333-4333-8333-333333333333', () => undefined);
    expect(hub.mayConcern(raw)).toBe(false);
    hub.subscribe(receiver.customerId, () => undefined);
    expect(hub.mayConcern(raw)).toBe(true);
    off();
    expect(hub.mayConcern(raw)).toBe(true);
    // An id JSON might escape is never trusted to a text search.
    const odd = new LiveHub();
    odd.subscribe('cliente "x"', () => undefined);
    expect(odd.mayConcern(raw)).toBe(true);
    // Many listeners: every event is read.
    const busy = new LiveHub();
    for (let i = 0; i < 40; i++) busy.subscribe(`c-${i}`, () => undefined);
    expect(busy.mayConcern(raw)).toBe(true);
  });
});
