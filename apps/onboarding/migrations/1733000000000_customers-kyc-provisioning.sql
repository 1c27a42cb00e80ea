-- Up Migration
-- One row per registration. The application id is also the customer id once the customer is active.
CREATE TABLE customers (
  id                   UUID PRIMARY KEY,
  status               TEXT NOT NULL CHECK (status IN ('PENDING_KYC', 'PENDING_REVIEW', 'APPROVED', 'ACTIVE', 'REJECTED')),
  full_name            TEXT NOT NULL,
  cpf                  CHAR(11) NOT NULL,
  birth_date           DATE NOT NULL,
  email                TEXT NOT NULL,
  phone                TEXT NOT NULL,
  cep                  CHAR(8) NOT NULL,
  street               TEXT NOT NULL,
  address_number       TEXT NOT NULL,
  complement           TEXT,
  neighborhood         TEXT NOT NULL,
  city                 TEXT NOT NULL,
  state                CHAR(2) NOT NULL,
  -- LGPD: when the terms of use and the privacy notice were accepted.
  terms_accepted_at    TIMESTAMPTZ NOT NULL,
  privacy_accepted_at  TIMESTAMPTZ NOT NULL,
  document_type        TEXT NOT NULL CHECK (document_type IN ('RG', 'CNH')),
  document_number      TEXT NOT NULL,
  document_issuer      TEXT NOT NULL,
  -- sha256 of the status token handed to the applicant (the token itself is never stored).
  status_token_hash    BYTEA NOT NULL,
  review_reasons       TEXT[] NOT NULL DEFAULT '{}',
  decision_reason      TEXT,
  keycloak_user_id     TEXT UNIQUE,
  created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  approved_at          TIMESTAMPTZ,
  activated_at         TIMESTAMPTZ
);
-- Uniqueness decides concurrent registrations. A rejected application does not block a new one.
CREATE UNIQUE INDEX customers_cpf_uq ON customers (cpf) WHERE status <> 'REJECTED';
CREATE UNIQUE INDEX customers_email_uq ON customers (email) WHERE status <> 'REJECTED';
CREATE UNIQUE INDEX customers_phone_uq ON customers (phone) WHERE status <> 'REJECTED';
CREATE INDEX customers_status_created_idx ON customers (status, created_at, id);
CREATE INDEX customers_cpf_idx ON customers (cpf);

-- KYC images, kept with the application; served only to the owner and to admins.
CREATE TABLE kyc_documents (
  customer_id   UUID NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  kind          TEXT NOT NULL CHECK (kind IN ('document', 'selfie')),
  content_type  TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
  size_bytes    INTEGER NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 5242880),
  sha256        BYTEA NOT NULL,
  content       BYTEA NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, kind)
);

-- Audit trail of every KYC decision: who (`system` or the admin's user id), when, why. Append-only.
CREATE TABLE kyc_decisions (
  id             BIGSERIAL PRIMARY KEY,
  customer_id    UUID NOT NULL REFERENCES customers (id),
  decision       TEXT NOT NULL CHECK (decision IN ('APPROVED', 'PENDING_REVIEW', 'REJECTED')),
  decided_by     TEXT NOT NULL,
  decided_by_name TEXT,
  reason         TEXT,
  checks         JSONB NOT NULL DEFAULT '{}',
  decided_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX kyc_decisions_customer_idx ON kyc_decisions (customer_id, id);
CREATE FUNCTION kyc_decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'kyc_decisions is append-only';
END $$;
CREATE TRIGGER kyc_decisions_no_change BEFORE UPDATE OR DELETE ON kyc_decisions FOR EACH ROW EXECUTE FUNCTION kyc_decisions_append_only();

-- Provisioning saga state (approved → Keycloak user → ACTIVE + account.created).
-- The password is needed once, to create the Keycloak user. Until then it is held only AES-256-GCM encrypted
-- (key from ONBOARDING_SECRET_KEY, the customer id as associated data) and wiped when the user exists or the
-- application is rejected.
CREATE TABLE provisioning (
  customer_id          UUID PRIMARY KEY REFERENCES customers (id),
  password_ciphertext  BYTEA,
  attempts             INTEGER NOT NULL DEFAULT 0,
  next_attempt_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_error           TEXT,
  keycloak_user_id     TEXT,
  correlation_id       TEXT NOT NULL,
  completed_at         TIMESTAMPTZ,
  created_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX provisioning_due_idx ON provisioning (next_attempt_at) WHERE completed_at IS NULL;

-- Down Migration
DROP TABLE provisioning;
DROP TRIGGER kyc_decisions_no_change ON kyc_decisions;
DROP FUNCTION kyc_decisions_append_only();
DROP TABLE kyc_decisions;
DROP TABLE kyc_documents;
DROP TABLE customers;
