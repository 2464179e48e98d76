-- Relais schema, version 4: erasure that leaves nothing.
--
-- An outbox message can be sensitive: an invitation code (only its hash may be kept), or the
-- last messages to someone who just erased their data. Such a row is deleted as soon as it
-- leaves the queue (sent, failed or blocked), and the WAL is checkpointed after it, so that
-- no copy of its text or of its chat id stays in the database files.
ALTER TABLE outbox ADD COLUMN sensitive INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1));
