-- Up Migration
-- Every in-app notification of a PIX (sent, received, not completed, and devoluções) opens that transfer's page
-- (issue #18): the transfer it is about, when there is one. Older notifications have none.
ALTER TABLE notifications ADD COLUMN transfer_id UUID;

-- Down Migration
ALTER TABLE notifications DROP COLUMN transfer_id;
