-- Up Migration
-- A deposit request sent again (a retried POST after a lost answer) must not become a second request a checker could
-- approve: with an Idempotency-Key, one request per (requesting operator, key); the same key with other data is refused.
ALTER TABLE deposit_requests ADD COLUMN idempotency_key TEXT, ADD COLUMN request_hash TEXT;
CREATE UNIQUE INDEX deposit_requests_idempotency_idx ON deposit_requests (requested_by, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Down Migration
DROP INDEX deposit_requests_idempotency_idx;
ALTER TABLE deposit_requests DROP COLUMN request_hash, DROP COLUMN idempotency_key;
