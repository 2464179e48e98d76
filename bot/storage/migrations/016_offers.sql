-- Relais schema, version 16: job offers that volunteers vet and send to the people they fit.
--
-- A volunteer enters an offer for their centre (desk flow or CSV import); a coordinator (or
-- the volunteer, where the centre allows it) vets it; a broadcast queues one message Relais
-- starts per matched person (dedupe key "offer:<offer id>:<person id>") and one offer_sends
-- row, in the same transaction, so that nobody gets an offer twice whatever happens after.
CREATE TABLE offers (
    id INTEGER PRIMARY KEY,
    centre TEXT NOT NULL,
    title TEXT NOT NULL,
    employer TEXT NOT NULL,
    employer_kind TEXT NOT NULL
        CHECK (employer_kind IN ('public', 'city_hall', 'company', 'iae', 'association', 'agency')),
    source TEXT NOT NULL CHECK (source IN
        ('france_travail', 'mission_locale', 'city_hall', 'company', 'iae', 'partner', 'other')),
    town TEXT NOT NULL,
    postcode TEXT NOT NULL,
    contract TEXT NOT NULL CHECK (contract IN ('cdi', 'cdd', 'interim', 'iae', 'seasonal')),
    contract_months INTEGER CHECK (contract_months IS NULL OR contract_months BETWEEN 1 AND 36),
    time TEXT NOT NULL CHECK (time IN ('full', 'part')),
    schedule TEXT NOT NULL DEFAULT '[]',  -- JSON list among domain.SCHEDULES
    sector TEXT NOT NULL,
    french TEXT NOT NULL DEFAULT 'none' CHECK (french IN ('none', 'a_little', 'good', 'very_good')),
    licence INTEGER NOT NULL DEFAULT 0 CHECK (licence IN (0, 1)),
    experience TEXT NOT NULL DEFAULT 'none' CHECK (experience IN ('none', 'some', 'sector')),
    diploma TEXT NOT NULL DEFAULT 'none' CHECK (diploma IN ('none', 'cap_bep', 'bac', 'higher')),
    pay TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    how_to_apply TEXT NOT NULL DEFAULT '',  -- for volunteers only, never sent to beneficiaries
    expires_on TEXT NOT NULL,  -- YYYY-MM-DD, the last local day it may be sent or answered
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'vetted', 'closed', 'expired')),
    created_by INTEGER REFERENCES persons (id) ON DELETE SET NULL,
    vetted_by INTEGER REFERENCES persons (id) ON DELETE SET NULL,
    vetted_at TEXT,
    closed_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,  -- grows with each edit
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX offers_centre ON offers (centre, state, expires_on);
CREATE INDEX offers_created_by ON offers (created_by);
CREATE INDEX offers_vetted_by ON offers (vetted_by);

-- One "send" of an offer: who started it and how many people it was queued for. The progress
-- message the volunteer sees is the outbox row `progress_outbox_id` (edited as it goes).
CREATE TABLE offer_broadcasts (
    id INTEGER PRIMARY KEY,
    offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    volunteer_id INTEGER REFERENCES persons (id) ON DELETE SET NULL,
    total INTEGER NOT NULL,
    include_unchecked INTEGER NOT NULL DEFAULT 0 CHECK (include_unchecked IN (0, 1)),
    progress_outbox_id INTEGER,
    started_at TEXT NOT NULL,
    finished_at TEXT
);

CREATE INDEX offer_broadcasts_offer ON offer_broadcasts (offer_id);
CREATE INDEX offer_broadcasts_volunteer ON offer_broadcasts (volunteer_id);
CREATE INDEX offer_broadcasts_running ON offer_broadcasts (id) WHERE finished_at IS NULL;

-- Each person an offer was queued for, and what followed: their answer (and why not), the
-- relay to the employer and its result. Erased with the person.
CREATE TABLE offer_sends (
    offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    broadcast_id INTEGER NOT NULL REFERENCES offer_broadcasts (id) ON DELETE CASCADE,
    proposable INTEGER NOT NULL CHECK (proposable IN (0, 1)),  -- checked CV, searching
    delivered_at TEXT,  -- when the message left for Telegram
    answer TEXT NOT NULL DEFAULT '' CHECK (answer IN ('', 'interested', 'declined')),
    reason TEXT NOT NULL DEFAULT '' CHECK (reason IN ('', 'hours', 'distance', 'job_type')),
    answered_at TEXT,
    relayed_to INTEGER REFERENCES persons (id) ON DELETE SET NULL,  -- the volunteer told
    sent_to_employer_at TEXT,
    result TEXT NOT NULL DEFAULT '' CHECK (result IN ('', 'interview', 'hired', 'not_retained')),
    result_at TEXT,
    followed_up_at TEXT,  -- the "any news?" a week after "interested"
    created_at TEXT NOT NULL,
    PRIMARY KEY (offer_id, person_id)
);

CREATE INDEX offer_sends_person ON offer_sends (person_id);
CREATE INDEX offer_sends_broadcast ON offer_sends (broadcast_id);
CREATE INDEX offer_sends_relayed_to ON offer_sends (relayed_to);
CREATE INDEX offer_sends_interested ON offer_sends (answered_at) WHERE answer = 'interested';

-- What matching reads of each person, kept up to date from their answers whenever they are
-- written (storage.Tx.save_state, set_answers): one row, bit sets and ranks, so that one offer
-- is matched against a whole centre in one indexed pass. Built from the profile, never typed.
CREATE TABLE offer_profiles (
    person_id INTEGER PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
    sectors INTEGER NOT NULL DEFAULT 0,  -- bits of domain.SECTORS (job now and project)
    exp_sectors INTEGER NOT NULL DEFAULT 0,  -- bits of the sectors they worked in
    worked INTEGER NOT NULL DEFAULT 0,
    postcode TEXT,
    departement TEXT,
    reach INTEGER,  -- places.closeness allowed by their travel time; NULL: not said
    hours INTEGER,  -- bits of domain.SCHEDULES without the weekend; NULL: not said
    days TEXT,  -- days_available; NULL: not said
    french INTEGER NOT NULL DEFAULT 0,  -- rank of french_speaking
    licence INTEGER NOT NULL DEFAULT 0,  -- 1: licence B
    diploma INTEGER NOT NULL DEFAULT 0,  -- rank of diploma_level
    avoid_sectors INTEGER NOT NULL DEFAULT 0,  -- "not for me: job type" on offers of these
    avoid_slots INTEGER NOT NULL DEFAULT 0,  -- "not for me: hours" on offers at these times
    reach_cut INTEGER,  -- "not for me: distance": no farther than this from now on
    updated_at TEXT NOT NULL
);

-- Whether a person wants offers: no row, or receive = 1, is yes (with their consent to
-- Relais); "Stop offers" writes 0 and only they can write 1 again.
CREATE TABLE offer_choices (
    person_id INTEGER PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
    receive INTEGER NOT NULL CHECK (receive IN (0, 1)),
    updated_at TEXT NOT NULL
);


-- People who answered before this version: their offer_profiles row is made at the next
-- start (Storage.open), from their answers, then they leave this list.
CREATE TABLE offer_profiles_todo (
    person_id INTEGER PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE
);

INSERT INTO offer_profiles_todo (person_id)
SELECT DISTINCT person_id FROM profile WHERE key IN ('job_now', 'sectors_wanted');
