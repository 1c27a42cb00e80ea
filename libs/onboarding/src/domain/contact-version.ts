// The version of a customer's contact data (e-mail, phone) as `customer.contact-changed` carries it.

/**
 * The version of a contact change: now, or 1 ms after the customer row's last change when the clock says otherwise
 * (another instance's clock ahead, a clock stepped back). The change writes it as the row's `updated_at`, so one
 * customer's versions only grow: the consumers that keep a copy apply an event only when it is newer than theirs.
 */
export function nextContactVersion(now: Date, lastChange: Date): Date {
  return new Date(Math.max(now.getTime(), lastChange.getTime() + 1));
}
