-- Up Migration
-- Ledger accounts. Customer deposit accounts are credit-normal (balance = credits − debits) and never negative;
-- the bank's cash account is the other side of sandbox deposits and goes negative by design, so that the sum of
-- all balances is always zero (the books balance).
CREATE TABLE accounts (
  id            UUID PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('CUSTOMER', 'BANK_CASH')),
  customer_id   UUID UNIQUE,
  keycloak_user_id TEXT,
  holder_name   TEXT NOT NULL,
  holder_cpf    CHAR(11),
  agency        CHAR(4) NOT NULL DEFAULT '0001',
  number        TEXT NOT NULL UNIQUE,
  status        TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'BLOCKED', 'CLOSED')),
  posted        BIGINT NOT NULL DEFAULT 0,
  reserved      BIGINT NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  version       BIGINT NOT NULL DEFAULT 0,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT customer_has_customer_id CHECK (kind <> 'CUSTOMER' OR (customer_id IS NOT NULL AND holder_cpf IS NOT NULL)),
  CONSTRAINT customer_balance_never_negative CHECK (kind <> 'CUSTOMER' OR (posted >= 0 AND posted - reserved >= 0))
);
CREATE SEQUENCE account_number_seq START 1;

-- The bank's own cash account (fixed id), the counterpart of admin sandbox deposits.
INSERT INTO accounts (id, kind, holder_name, number) VALUES ('00000000-0000-4000-8000-000000000001', 'BANK_CASH', 'KRT Bank (caixa)', 'CAIXA');

-- Double-entry journal lines, partitioned by month on occurred_at. Every journal (journal_id) is balanced.
CREATE SEQUENCE ledger_entries_id_seq;
CREATE TABLE ledger_entries (
  id                BIGINT NOT NULL DEFAULT nextval('ledger_entries_id_seq'),
  journal_id        UUID NOT NULL,
  account_id        UUID NOT NULL,
  direction         TEXT NOT NULL CHECK (direction IN ('DEBIT', 'CREDIT')),
  amount            BIGINT NOT NULL CHECK (amount > 0),
  balance_after     BIGINT NOT NULL,
  kind              TEXT NOT NULL CHECK (kind IN ('DEPOSIT', 'PIX_IN', 'PIX_OUT', 'PIX_REVERSAL')),
  description       TEXT NOT NULL DEFAULT '',
  counterparty_name TEXT,
  transfer_id       UUID,
  end_to_end_id     TEXT,
  occurred_at       TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (occurred_at, id)
) PARTITION BY RANGE (occurred_at);
ALTER SEQUENCE ledger_entries_id_seq OWNED BY ledger_entries.id;
-- Statement: one account's lines, newest first, keyset-paginated on (occurred_at, id).
CREATE INDEX ledger_entries_account_time_idx ON ledger_entries (account_id, occurred_at DESC, id DESC);
CREATE INDEX ledger_entries_journal_idx ON ledger_entries (journal_id);
CREATE INDEX ledger_entries_transfer_idx ON ledger_entries (transfer_id) WHERE transfer_id IS NOT NULL;
-- Safety net for rows outside the pre-created months (moved out when the month's partition is created).
CREATE TABLE ledger_entries_default PARTITION OF ledger_entries DEFAULT;

-- Creates the monthly partitions covering [from, to] (idempotent). Called at start-up for the months around now.
CREATE FUNCTION ensure_ledger_partitions(from_ts TIMESTAMPTZ, to_ts TIMESTAMPTZ) RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
  m DATE := date_trunc('month', from_ts AT TIME ZONE 'UTC')::date;
  last_m DATE := date_trunc('month', to_ts AT TIME ZONE 'UTC')::date;
  part TEXT;
  created INTEGER := 0;
BEGIN
  WHILE m <= last_m LOOP
    part := format('ledger_entries_%s', to_char(m, 'YYYY_MM'));
    IF to_regclass(part) IS NULL THEN
      -- Rows of that month that fell into the default partition move into the new one.
      EXECUTE format('CREATE TABLE %I (LIKE ledger_entries INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
      EXECUTE format(
        'WITH moved AS (DELETE FROM ledger_entries_default WHERE occurred_at >= %L AND occurred_at < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
        (m::timestamp AT TIME ZONE 'UTC'), ((m + interval '1 month')::timestamp AT TIME ZONE 'UTC'), part);
      EXECUTE format('ALTER TABLE ledger_entries ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
        part, (m::timestamp AT TIME ZONE 'UTC'), ((m + interval '1 month')::timestamp AT TIME ZONE 'UTC'));
      created := created + 1;
    END IF;
    m := (m + interval '1 month')::date;
  END LOOP;
  RETURN created;
END $$;
SELECT ensure_ledger_partitions(now() - interval '12 months', now() + interval '12 months');

-- DICT keys registered at this bank. A key is unique across the bank.
CREATE TABLE pix_keys (
  id          UUID PRIMARY KEY,
  account_id  UUID NOT NULL REFERENCES accounts (id),
  type        TEXT NOT NULL CHECK (type IN ('CPF', 'EMAIL', 'PHONE', 'EVP')),
  value       TEXT NOT NULL UNIQUE CHECK (length(value) <= 77),
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX pix_keys_account_idx ON pix_keys (account_id);

-- Customer-chosen limits (NULL = bank default). The defaults are also the maxima.
CREATE TABLE pix_limits (
  account_id       UUID PRIMARY KEY REFERENCES accounts (id),
  per_transaction  BIGINT NOT NULL CHECK (per_transaction >= 0),
  daily            BIGINT NOT NULL CHECK (daily >= 0),
  nightly          BIGINT NOT NULL CHECK (nightly >= 0),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- PIX transfers (the saga's state).
CREATE TABLE pix_transfers (
  id                   UUID PRIMARY KEY,
  end_to_end_id        CHAR(32) NOT NULL UNIQUE,
  payer_account_id     UUID NOT NULL REFERENCES accounts (id),
  payer_customer_id    UUID NOT NULL,
  receiver_account_id  UUID NOT NULL REFERENCES accounts (id),
  receiver_customer_id UUID NOT NULL,
  receiver_key_type    TEXT NOT NULL,
  receiver_key         TEXT NOT NULL,
  amount               BIGINT NOT NULL CHECK (amount > 0),
  description          TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 140),
  status               TEXT NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'COMPLETED', 'FAILED')),
  failure_code         TEXT,
  failure_reason       TEXT,
  fraud_score          INTEGER,
  fraud_reasons        JSONB,
  created_at           TIMESTAMPTZ NOT NULL,
  deadline_at          TIMESTAMPTZ NOT NULL,
  completed_at         TIMESTAMPTZ,
  failed_at            TIMESTAMPTZ,
  CHECK (payer_account_id <> receiver_account_id)
);
-- Limits (sum per day / night) and the caller's list.
CREATE INDEX pix_transfers_payer_time_idx ON pix_transfers (payer_account_id, created_at DESC, id DESC);
CREATE INDEX pix_transfers_receiver_time_idx ON pix_transfers (receiver_account_id, created_at DESC);
-- The deadline sweeper.
CREATE INDEX pix_transfers_pending_deadline_idx ON pix_transfers (deadline_at) WHERE status = 'PENDING';

-- Idempotency-Key of POST /pix/transfers: the request's hash and its first answer.
CREATE TABLE idempotency_keys (
  customer_id   UUID NOT NULL,
  key           TEXT NOT NULL,
  request_hash  TEXT NOT NULL,
  status_code   INTEGER,
  response      JSONB,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, key)
);

-- Fencing tokens of the distributed locks (the sweeper): a write carrying an older token is refused.
CREATE TABLE lock_fences (
  name   TEXT PRIMARY KEY,
  token  BIGINT NOT NULL
);
INSERT INTO lock_fences (name, token) VALUES ('pix-deadline-sweeper', 0);

-- Down Migration
DROP TABLE lock_fences;
DROP TABLE idempotency_keys;
DROP TABLE pix_transfers;
DROP TABLE pix_limits;
DROP TABLE pix_keys;
DROP FUNCTION ensure_ledger_partitions(TIMESTAMPTZ, TIMESTAMPTZ);
DROP TABLE ledger_entries;
DROP SEQUENCE account_number_seq;
DROP TABLE accounts;
