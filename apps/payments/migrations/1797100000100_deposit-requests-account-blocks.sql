-- Up Migration
-- Sandbox deposits under dual control (issue #19): one operator requests, a second one approves before any money
-- moves. The approval and its ledger posting are one transaction holding this row's lock, so a request is posted at
-- most once (journal_id). A request PENDING past expires_at is EXPIRED (marked when someone tries to approve it; reads
-- show it as EXPIRED at once).
CREATE TABLE deposit_requests (
  id                UUID PRIMARY KEY,
  account_id        UUID NOT NULL REFERENCES accounts (id),
  amount            BIGINT NOT NULL CHECK (amount > 0),
  description       TEXT NOT NULL DEFAULT '',
  reason            TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED', 'EXPIRED')),
  requested_by      TEXT NOT NULL,
  requested_by_name TEXT,
  requested_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at        TIMESTAMPTZ NOT NULL,
  decided_by        TEXT,
  decided_by_name   TEXT,
  decided_at        TIMESTAMPTZ,
  decision_reason   TEXT,
  journal_id        UUID UNIQUE,
  correlation_id    TEXT,
  -- Maker–checker, also for anyone writing SQL: an approval is never the requester's own.
  CONSTRAINT deposit_approved_by_another CHECK (status <> 'APPROVED' OR (decided_by IS NOT NULL AND decided_by <> requested_by)),
  CONSTRAINT deposit_posted_iff_approved CHECK ((status = 'APPROVED') = (journal_id IS NOT NULL))
);
CREATE INDEX deposit_requests_status_idx ON deposit_requests (status, requested_at DESC);
CREATE INDEX deposit_requests_account_idx ON deposit_requests (account_id);

-- An operator's block (issue #19): a BLOCKED account sends and receives no PIX. Why and since when.
ALTER TABLE accounts ADD COLUMN blocked_reason TEXT, ADD COLUMN blocked_at TIMESTAMPTZ;

-- Down Migration
ALTER TABLE accounts DROP COLUMN blocked_reason, DROP COLUMN blocked_at;
DROP TABLE deposit_requests;
