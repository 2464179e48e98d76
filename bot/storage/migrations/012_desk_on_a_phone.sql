-- Relais schema, version 12: a desk volunteers can use on a phone.
--
-- A CV sent back with a note remembers who sent it back: when the person corrects it, that
-- volunteer is told. A job a person reported can be declined ("pas confirmé"): it stays
-- unconfirmed, does not count, and is no longer waiting for a volunteer. The audit log gains
-- those two decisions (and keeps version 10's 'message').

ALTER TABLE followup ADD COLUMN cv_sent_back_by INTEGER REFERENCES persons (id) ON DELETE SET NULL;

ALTER TABLE outcomes ADD COLUMN declined_at TEXT;  -- NULL: not declined

-- SQLite cannot change a CHECK: rebuild the table (as in version 3).
CREATE TABLE audit_log_new (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER,  -- NULL: Relais itself (the retention purge)
    subject_id INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (
        action IN (
            'profile', 'cv', 'phone', 'erased', 'purged', 'team_removed', 'export',
            'message', 'job_confirmed', 'job_declined'
        )
    ),
    at TEXT NOT NULL
);
INSERT INTO audit_log_new (id, actor_id, subject_id, action, at)
    SELECT id, actor_id, subject_id, action, at FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_subject ON audit_log (subject_id);
CREATE INDEX audit_log_at ON audit_log (at);
