-- Up Migration
-- The version of each customer's contact data (account.created: its occurredAt; customer.contact-changed: its
-- changedAt). An event updates the copy only when it is newer, so a replayed older event (an account.created from the
-- dead-letter topic after the customer changed their e-mail) never brings back an old address. NULL: stored before
-- versions, any versioned event replaces it.
ALTER TABLE customers ADD COLUMN contact_version TIMESTAMPTZ;

-- Down Migration
ALTER TABLE customers DROP COLUMN contact_version;
