-- Relais schema, version 2: the volunteer side.
--
-- Centres, volunteers' roles and invitations, the follow-up of each beneficiary (checked CV,
-- actively searching, first contact), help requests, outcomes, the audit log of profile
-- reads, and notices waiting for delivery to a person.

-- Centres from the configuration (synced at start-up) or added by an admin. A removed centre
-- keeps its row so old outcomes still name it; its people are asked to choose another one.
CREATE TABLE centres (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL CHECK (source IN ('config', 'admin')),
    removed_at TEXT
);

-- A volunteer or coordinator of one centre (one row per centre they belong to). Admins are
-- named in the configuration, not here.
CREATE TABLE roles (
    person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    centre TEXT NOT NULL REFERENCES centres (id),
    role TEXT NOT NULL CHECK (role IN ('volunteer', 'coordinator')),
    granted_at TEXT NOT NULL,
    PRIMARY KEY (person_id, centre)
);

CREATE INDEX roles_centre ON roles (centre);

-- One-time invitation codes. Only a hash of the code is kept: a copy of the database does not
-- give working codes.
CREATE TABLE invites (
    id INTEGER PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    centre TEXT NOT NULL REFERENCES centres (id),
    role TEXT NOT NULL CHECK (role IN ('volunteer', 'coordinator')),
    created_by INTEGER REFERENCES persons (id) ON DELETE SET NULL,  -- NULL: the command line
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by INTEGER REFERENCES persons (id) ON DELETE SET NULL
);

-- Where a beneficiary stands with the volunteers of their centre.
CREATE TABLE followup (
    person_id INTEGER PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
    cv_status TEXT NOT NULL DEFAULT 'none'
        CHECK (cv_status IN ('none', 'to_check', 'checked', 'to_fix')),
    cv_note TEXT,  -- what to fix, as the volunteer wrote it
    cv_checked_by INTEGER REFERENCES persons (id) ON DELETE SET NULL,
    cv_checked_at TEXT,
    searching INTEGER NOT NULL DEFAULT 0 CHECK (searching IN (0, 1)),
    first_contact_at TEXT,
    assessment_done_at TEXT,
    cv_done_at TEXT,
    updated_at TEXT NOT NULL
);

-- "I would like to talk to a volunteer": open until a volunteer takes it.
CREATE TABLE help_requests (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    centre TEXT NOT NULL,
    created_at TEXT NOT NULL,
    taken_by INTEGER REFERENCES persons (id) ON DELETE SET NULL,
    taken_at TEXT
);

CREATE INDEX help_requests_open ON help_requests (person_id) WHERE taken_at IS NULL;

-- What became of a person: recorded by a volunteer, or reported by the person and confirmed
-- by a volunteer. The centre is the one at the time, so statistics survive a move.
CREATE TABLE outcomes (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    centre TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('job', 'training', 'french_class', 'stopped', 'moved')),
    contract TEXT CHECK (contract IN ('cdi', 'cdd', 'interim', 'iae', 'unknown')),
    happened_on TEXT NOT NULL,  -- YYYY-MM-DD
    recorded_by INTEGER REFERENCES persons (id) ON DELETE SET NULL,
    confirmed INTEGER NOT NULL CHECK (confirmed IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE INDEX outcomes_centre ON outcomes (centre, happened_on);

-- Every read of a profile or a CV by a volunteer: who, whom, when. Ids only.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER NOT NULL,
    subject_id INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('profile', 'cv')),
    at TEXT NOT NULL
);

-- Messages for a person that another person's action caused (a help request for volunteers,
-- a note on a CV for a beneficiary), waiting for that person's channel to deliver them.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    message TEXT NOT NULL,  -- JSON: text, buttons, rtl
    created_at TEXT NOT NULL,
    delivered_at TEXT
);

CREATE INDEX notices_pending ON notices (person_id) WHERE delivered_at IS NULL;
