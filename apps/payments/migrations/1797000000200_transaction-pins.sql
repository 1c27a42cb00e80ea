-- Up Migration
-- The transaction PIN (issue #23): its keyed hash (@krt/platform/transaction-pin; never the digits), the wrong
-- attempts in a row, and until when the customer's PIX are locked after the third. One row per customer, read by
-- primary key on every PIX, devolução and limit change; written only when the count changes.
CREATE TABLE transaction_pins (
  customer_id UUID PRIMARY KEY,
  pin_hash TEXT NOT NULL,
  failed_attempts INT NOT NULL DEFAULT 0 CHECK (failed_attempts BETWEEN 0 AND 3),
  locked_until TIMESTAMPTZ,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE transaction_pins;
