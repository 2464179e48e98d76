-- Relais schema, version 13: a volunteer corrects a CV (its draft, its audit lines), and
-- downloads it as JSON Resume.
--
-- A volunteer corrects a person's CV with the review screens of "Mon CV", in the volunteer's
-- own session. That session keeps only where the volunteer is (ids, steps, screen numbers);
-- the values of the entry being changed (typed, ticked, and the entry as it was) wait here
-- between two messages, one row per volunteer, and go with either person.
CREATE TABLE correction_drafts (
    volunteer_id INTEGER PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
    subject_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    data TEXT NOT NULL, -- JSON: the correction in progress (its entry, values, the values before)
    updated_at TEXT NOT NULL
);
CREATE INDEX correction_drafts_subject ON correction_drafts (subject_id);

-- The audit log gains a volunteer's download of a CV as JSON Resume, and the corrections of a
-- CV, one line per field changed, named by field only (never its value):
-- "cv_edit:qualities", "cv_edit:cv_experiences.1.exp_task1" (the first job's first task),
-- "cv_add:cv_languages", "cv_delete:cv_education.2" (versions 10 and 12's actions kept).
-- SQLite cannot change a CHECK: rebuild.
CREATE TABLE audit_log_new (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER,  -- NULL: Relais itself (the retention purge)
    subject_id INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (
        action IN (
            'profile', 'cv', 'cv_json', 'phone', 'erased', 'purged', 'team_removed', 'export',
            'message', 'job_confirmed', 'job_declined'
        )
        OR action GLOB 'cv_edit:[a-z]*'
        OR action GLOB 'cv_add:[a-z]*'
        OR action GLOB 'cv_delete:[a-z]*'
    ),
    at TEXT NOT NULL
);
INSERT INTO audit_log_new (id, actor_id, subject_id, action, at)
    SELECT id, actor_id, subject_id, action, at FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_subject ON audit_log (subject_id);
CREATE INDEX audit_log_at ON audit_log (at);
