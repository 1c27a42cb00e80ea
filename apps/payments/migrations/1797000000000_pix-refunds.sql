-- Up Migration
-- PIX devolução (issue #18): a return is a transfer of its own — from the original's receiver back to its payer,
-- through the same saga — that names the PIX it returns. Its ledger lines are PIX_REVERSAL; its end_to_end_id holds
-- BACEN's return id (RtrId, `D…`). The returns of one PIX, for the sum that may never pass it, by refund_of.
ALTER TABLE pix_transfers ADD COLUMN refund_of UUID REFERENCES pix_transfers (id);
CREATE INDEX pix_transfers_refund_of_idx ON pix_transfers (refund_of) WHERE refund_of IS NOT NULL;

-- Down Migration
DROP INDEX pix_transfers_refund_of_idx;
ALTER TABLE pix_transfers DROP COLUMN refund_of;
