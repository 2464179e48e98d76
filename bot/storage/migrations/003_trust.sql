-- Relais schema, version 3: trust.
--
-- Erasure that leaves nothing (what each message is about, so it can be erased with that
-- person), fairness (who sent each journaled update), poison updates set aside, access that
-- can be taken back (revoked roles, centres an admin closed), the consent's version.

-- The person a notice or an outbox message is about (a help request names its author): when
-- that person is erased, the messages about them go too. NULL: about no one else.
ALTER TABLE notices ADD COLUMN subject_id INTEGER;
CREATE INDEX notices_subject ON notices (subject_id) WHERE subject_id IS NOT NULL;
CREATE INDEX notices_person ON notices (person_id);

ALTER TABLE outbox ADD COLUMN subject_id INTEGER;
CREATE INDEX outbox_subject ON outbox (subject_id) WHERE subject_id IS NOT NULL;
CREATE INDEX outbox_chat ON outbox (chat_id);

-- The sender of an update (the platform's user id, no name), so one person's flood is served
-- in turn with everyone else; tries, and when a poison update was set aside.
ALTER TABLE update_journal ADD COLUMN sender TEXT;
ALTER TABLE update_journal ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE update_journal ADD COLUMN set_aside_at TEXT;
DROP INDEX update_journal_pending;
CREATE INDEX update_journal_pending ON update_journal (sender, update_id)
    WHERE handled_at IS NULL AND set_aside_at IS NULL;

-- A role taken back (a coordinator removed the volunteer, or the centre closed) stays revoked:
-- re-opening the centre does not bring its former volunteers back.
ALTER TABLE roles ADD COLUMN revoked_at TEXT;
ALTER TABLE roles ADD COLUMN revoked_reason TEXT
    CHECK (revoked_reason IS NULL OR revoked_reason IN ('removed', 'centre_closed'));

-- Who closed a centre: one an admin closed stays closed after a restart, even if the
-- configuration still lists it.
ALTER TABLE centres ADD COLUMN removed_by TEXT
    CHECK (removed_by IS NULL OR removed_by IN ('admin', 'config'));
UPDATE centres SET removed_by = 'config' WHERE removed_at IS NOT NULL;

-- The version of the consent notice a person agreed to, and when.
ALTER TABLE persons ADD COLUMN consent_version TEXT;
ALTER TABLE persons ADD COLUMN consent_at TEXT;

-- The audit log gains actions (a phone shown, an erasure, a volunteer removed, a data export)
-- and a NULL actor (the retention purge). SQLite cannot change a CHECK: rebuild the table.
CREATE TABLE audit_log_new (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER,  -- NULL: Relais itself (the retention purge)
    subject_id INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (
        action IN ('profile', 'cv', 'phone', 'erased', 'purged', 'team_removed', 'export')
    ),
    at TEXT NOT NULL
);
INSERT INTO audit_log_new (id, actor_id, subject_id, action, at)
    SELECT id, actor_id, subject_id, action, at FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_subject ON audit_log (subject_id);
CREATE INDEX audit_log_at ON audit_log (at);
