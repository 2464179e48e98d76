-- Relais schema, version 9: messages Relais starts (notices, warnings, later reminders).
--
-- One row per message: its recipient, a kind and the kind's parameters (JSON), rendered when
-- delivered in the recipient's language of that moment. `dedupe_key` makes queueing the same
-- message twice a no-op; `lease_owner`/`lease_until` let one sender take a row so that another
-- on the same database never delivers it too. A delivered row with buttons stays ('sent')
-- until it is answered or expires, so that a press can be checked (right person, once);
-- `token` is the unguessable part of its buttons' data.
CREATE TABLE started_messages (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    params TEXT NOT NULL,  -- JSON object
    priority INTEGER NOT NULL DEFAULT 1,
    not_before TEXT NOT NULL DEFAULT '',  -- '': due as soon as queued (sorts before any time)
    dedupe_key TEXT UNIQUE,
    subject_id INTEGER,  -- the person it is about: erased with them
    token TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'answered')),
    lease_owner TEXT,
    lease_until TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    expires_at TEXT,  -- its buttons stop working then
    answered_at TEXT
);

-- the sweep reads each priority's due rows in order (a range of this index) and stops after
-- one batch, however many rows wait
CREATE INDEX started_due ON started_messages (priority, not_before, id) WHERE state = 'queued';
CREATE INDEX started_person ON started_messages (person_id);
CREATE INDEX started_subject ON started_messages (subject_id) WHERE subject_id IS NOT NULL;
CREATE INDEX started_created ON started_messages (created_at);

-- notices an older version left undelivered: the same text, delivered by the new path
INSERT INTO started_messages (person_id, kind, params, priority, not_before, subject_id, token,
    created_at)
SELECT person_id, 'rendered', json_object('message', json(message)), 1, '', subject_id,
    lower(hex(randomblob(6))), created_at
FROM notices WHERE delivered_at IS NULL;

DROP TABLE notices;
