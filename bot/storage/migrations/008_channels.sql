-- Relais schema, version 8: one runtime for every channel.
--
-- The update journal and the outbox serve every channel (Telegram, the terminal, the next
-- ones): each row says its channel, and an update is known by its channel and its id there.
-- Outbox rows get a priority (0: a reply to the person's own action, 1: a notice, 2: a bulk
-- send), served best first, and a lease, so that two senders on one database never send the
-- same row: a sender takes rows for a short while (lease_owner, lease_until); a row whose
-- lease ended (its sender crashed) may be taken by another.

-- SQLite cannot change a primary key: rebuild the journal.
CREATE TABLE update_journal_new (
    channel TEXT NOT NULL DEFAULT 'telegram',
    update_id BIGINT NOT NULL,
    payload TEXT,  -- JSON; NULL once handled
    received_at TEXT NOT NULL,
    handled_at TEXT,
    sender TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    set_aside_at TEXT,
    PRIMARY KEY (channel, update_id)
);
INSERT INTO update_journal_new
    (channel, update_id, payload, received_at, handled_at, sender, attempts, set_aside_at)
    SELECT 'telegram', update_id, payload, received_at, handled_at, sender, attempts, set_aside_at
    FROM update_journal;
DROP TABLE update_journal;
ALTER TABLE update_journal_new RENAME TO update_journal;
CREATE INDEX update_journal_pending ON update_journal (channel, sender, update_id)
    WHERE handled_at IS NULL AND set_aside_at IS NULL;

ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'telegram';
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE outbox ADD COLUMN lease_until TEXT;
DROP INDEX outbox_queued_chat;
CREATE INDEX outbox_queued_chat ON outbox (channel, chat_id, id) WHERE state = 'queued';
DROP INDEX outbox_chat;
CREATE INDEX outbox_chat ON outbox (channel, chat_id);
