import { TOPICS } from '@krt/contracts';
import { describe, expect, it } from 'vitest';
import { contactUpdateOf } from './contact-update';
import { buildNotifications } from './notification-templates';

const customerId = '2f1c7c3e-8a4b-4c47-9a51-3c8e8a0c1d22';
const occurredAt = '2026-12-07T09:00:00.000Z';

describe('the contact data an event carries', () => {
  it('an account.created: its contact, versioned by the envelope\'s occurredAt', () => {
    const payload = { customerId, keycloakUserId: 'kc-1', fullName: 'Ana Lima', cpf: '52998224725', email: 'ana@example.com', phone: '+5511912345678' };
    expect(contactUpdateOf({ occurredAt }, { type: TOPICS.accountCreated, payload })).toEqual({
      customerId,
      fullName: 'Ana Lima',
      email: 'ana@example.com',
      phone: '+5511912345678',
      version: occurredAt,
    });
  });

  it('a customer.contact-changed: its contact, versioned by its changedAt (not by when it was published)', () => {
    const payload = { customerId, fullName: 'Ana Lima', email: 'ana.nova@example.com', phone: '+5521998765432', changedAt: '2026-12-07T09:30:00.123Z' };
    expect(contactUpdateOf({ occurredAt: '2026-12-07T09:31:00.000Z' }, { type: TOPICS.customerContactChanged, payload })).toEqual({
      customerId,
      fullName: 'Ana Lima',
      email: 'ana.nova@example.com',
      phone: '+5521998765432',
      version: '2026-12-07T09:30:00.123Z',
    });
  });

  it('a PIX event carries none', () => {
    const payload = { customerId, accountId: customerId, lockedUntil: occurredAt };
    expect(contactUpdateOf({ occurredAt }, { type: TOPICS.pixPinLocked, payload })).toBeUndefined();
  });

  it('a customer.contact-changed notifies nobody: it only updates the contact data', () => {
    const payload = { customerId, fullName: 'Ana Lima', email: 'ana.nova@example.com', phone: '+5521998765432', changedAt: occurredAt };
    expect(buildNotifications({ type: TOPICS.customerContactChanged, payload }, () => undefined)).toEqual([]);
  });
});
