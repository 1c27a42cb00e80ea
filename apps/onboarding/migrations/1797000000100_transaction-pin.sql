-- Up Migration
-- The transaction PIN chosen at account opening (issue #23), as its keyed hash (HMAC-SHA256 with TRANSACTION_PIN_KEY,
-- a secret outside the database, over the customer id and the PIN): carried once to payments on account.created and
-- wiped with the sealed password when provisioning completes or the application is rejected. The PIN itself is never
-- stored.
ALTER TABLE provisioning ADD COLUMN transaction_pin_hash TEXT;

-- Down Migration
ALTER TABLE provisioning DROP COLUMN transaction_pin_hash;
