-- Relais schema, version 15: appointments between a beneficiary and a volunteer of their centre.
--
-- A volunteer books an appointment for a person of their centre; the person gets a confirmation
-- with a calendar file, then reminders (messages Relais starts: started_messages rows, one per
-- appointment, version and offset, by dedupe key), and answers with one tap. Kept with the
-- person's follow-up: erased with the person, in their data export.
CREATE TABLE appointments (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    centre TEXT NOT NULL,  -- the person's centre when it was booked (statistics survive a move)
    starts_at TEXT NOT NULL,  -- UTC, as every moment stored
    minutes INTEGER NOT NULL DEFAULT 60 CHECK (minutes BETWEEN 5 AND 1440),
    place TEXT NOT NULL CHECK (place IN ('centre', 'address', 'phone')),
    address TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    volunteer_id INTEGER REFERENCES persons (id) ON DELETE SET NULL,  -- who will be there
    booked_by INTEGER REFERENCES persons (id) ON DELETE SET NULL,
    state TEXT NOT NULL DEFAULT 'planned'
        CHECK (state IN ('planned', 'cancelled', 'attended', 'missed')),
    answer TEXT NOT NULL DEFAULT '' CHECK (answer IN ('', 'coming', 'cannot', 'change')),
    version INTEGER NOT NULL DEFAULT 1,  -- grows with each change: older reminders are void
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX appointments_person ON appointments (person_id, starts_at);
-- a centre's agenda and statistics: a range of time within one centre
CREATE INDEX appointments_centre ON appointments (centre, starts_at);
CREATE INDEX appointments_volunteer ON appointments (volunteer_id);
CREATE INDEX appointments_booked_by ON appointments (booked_by);

-- A beneficiary may ask for an appointment from the main menu: the centre's team is told as for
-- a request to talk to a volunteer, and the request says which it is.
ALTER TABLE help_requests ADD COLUMN about TEXT NOT NULL DEFAULT 'talk'
    CHECK (about IN ('talk', 'appointment'));
