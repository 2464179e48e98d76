-- Relais schema, version 10: messages between a volunteer and a person, through Relais.
--
-- A volunteer of the person's centre writes to them from their page; the person reads it as a
-- message from the centre (never the volunteer's name) and answers with "Répondre"; the answer
-- goes back to that volunteer. An exchange is one such conversation, until either side ends
-- it. Kept like the rest of the follow-up: erased with the person, in their data export.
CREATE TABLE exchanges (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,  -- the person helped
    centre TEXT NOT NULL,  -- the person's centre when it started
    volunteer_id INTEGER REFERENCES persons (id) ON DELETE SET NULL,  -- who writes for the centre
    started_at TEXT NOT NULL,
    ended_at TEXT,
    ended_by TEXT CHECK (ended_by IS NULL OR ended_by IN ('person', 'volunteer'))
);

CREATE INDEX exchanges_person ON exchanges (person_id);
CREATE INDEX exchanges_volunteer ON exchanges (volunteer_id);

-- Each message of an exchange, as written. `from_person`: 1 the person, 0 the centre (then
-- `author_id` is the volunteer who wrote it; never shown to the person).
CREATE TABLE exchange_messages (
    id INTEGER PRIMARY KEY,
    exchange_id INTEGER NOT NULL REFERENCES exchanges (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    from_person INTEGER NOT NULL CHECK (from_person IN (0, 1)),
    author_id INTEGER REFERENCES persons (id) ON DELETE SET NULL,
    text TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE INDEX exchange_messages_exchange ON exchange_messages (exchange_id);
CREATE INDEX exchange_messages_person ON exchange_messages (person_id);

-- A volunteer writing to a person is audited ('message'), like opening their page. SQLite
-- cannot change a CHECK: rebuild the table (as version 3 did).
CREATE TABLE audit_log_new (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER,  -- NULL: Relais itself (the retention purge)
    subject_id INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (
        action IN ('profile', 'cv', 'phone', 'erased', 'purged', 'team_removed', 'export',
            'message')
    ),
    at TEXT NOT NULL
);
INSERT INTO audit_log_new (id, actor_id, subject_id, action, at)
    SELECT id, actor_id, subject_id, action, at FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_subject ON audit_log (subject_id);
CREATE INDEX audit_log_at ON audit_log (at);
