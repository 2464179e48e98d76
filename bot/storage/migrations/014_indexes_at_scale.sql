-- Relais schema, version 14: indexes for a deployment of 100,000 people.
--
-- Every column that names a person has an index starting with it. Erasing someone deletes or
-- empties the rows naming them (ON DELETE CASCADE / SET NULL): without an index, each erasure
-- read every row of each such table (the retention purge of 1,000 people among 100,000 took
-- a minute instead of a fraction of a second). tests/test_query_plans.py checks that a new
-- column referencing persons gets one too.
CREATE INDEX invites_created_by ON invites (created_by);
CREATE INDEX invites_used_by ON invites (used_by);
CREATE INDEX followup_cv_checked_by ON followup (cv_checked_by);
CREATE INDEX followup_cv_sent_back_by ON followup (cv_sent_back_by);
-- help_requests_open holds only the open requests: an erasure also finds the taken ones
CREATE INDEX help_requests_person ON help_requests (person_id);
CREATE INDEX help_requests_taken_by ON help_requests (taken_by);
CREATE INDEX outcomes_person ON outcomes (person_id);
CREATE INDEX outcomes_recorded_by ON outcomes (recorded_by);
CREATE INDEX exchange_messages_author ON exchange_messages (author_id);

-- An erasure drops the updates of that person set aside for the operator (a handful in all):
-- update_journal_pending holds only the pending ones.
CREATE INDEX update_journal_set_aside ON update_journal (channel, sender)
    WHERE set_aside_at IS NOT NULL;

-- The hourly purge drops handled updates and finished sends older than a week: a range of
-- these, not a read of the week's rows.
CREATE INDEX update_journal_handled ON update_journal (handled_at) WHERE handled_at IS NOT NULL;
CREATE INDEX outbox_finished ON outbox (updated_at) WHERE state <> 'queued';

-- A volunteer's list of the people of a centre, newest activity first, and how many they are:
-- a range of one centre's people, in the list's order.
CREATE INDEX persons_centre ON persons (centre, consent, last_seen_at);

-- The admins are named by their platform id, whatever the channel (the first column of the
-- (channel, external_id) key).
CREATE INDEX persons_external_id ON persons (external_id);

-- The hourly purge drops delivered messages Relais started whose buttons no longer work.
CREATE INDEX started_finished ON started_messages (expires_at)
    WHERE state <> 'queued' AND dedupe_key IS NULL;

-- The help requests no volunteer took yet, of a centre, oldest first: the volunteer menu counts
-- them, /requests lists them.
CREATE INDEX help_requests_waiting ON help_requests (centre, created_at) WHERE taken_at IS NULL;
