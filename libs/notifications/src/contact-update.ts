// The contact data an event carries for this service's copy (customers.repository.ts), with its version. Pure: no I/O.
import { TOPICS, type Envelope } from '@krt/contracts';
import type { NotifiableEvent } from './notification-templates';

/** A customer's contact data as of `version` (an ISO timestamp): stored only when newer than the copy held here. */
export interface ContactUpdate {
  customerId: string;
  fullName: string;
  email: string;
  phone: string;
  version: string;
}

/**
 * The contact data of an `account.created` (version: its envelope's `occurredAt`, when onboarding wrote it) or a
 * `customer.contact-changed` (version: its `changedAt`); undefined for the other events.
 */
export function contactUpdateOf(envelope: Pick<Envelope, 'occurredAt'>, event: NotifiableEvent): ContactUpdate | undefined {
  switch (event.type) {
    case TOPICS.accountCreated: {
      const { customerId, fullName, email, phone } = event.payload;
      return { customerId, fullName, email, phone, version: envelope.occurredAt };
    }
    case TOPICS.customerContactChanged: {
      const { customerId, fullName, email, phone, changedAt } = event.payload;
      return { customerId, fullName, email, phone, version: changedAt };
    }
    default:
      return undefined;
  }
}
