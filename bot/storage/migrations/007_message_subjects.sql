-- Relais schema, version 7: the people a queued message shows.
--
-- A volunteer's list (/people, /team, /audit) names several people; outbox.subject_id holds
-- one. Each person a queued message shows gets a row here, so that erasing them deletes the
-- message before it is sent.
CREATE TABLE outbox_about (
    outbox_id INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL,
    PRIMARY KEY (person_id, outbox_id)
);

CREATE INDEX outbox_about_outbox ON outbox_about (outbox_id);
