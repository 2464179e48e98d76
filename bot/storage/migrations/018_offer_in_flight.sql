-- Relais schema, version 18: how many of a broadcast's messages were being sent when a sender
-- crashed (its outbox leases taken back at the next start). Those may reach their person a
-- second time (the Bot API has no idempotency key); the volunteer's report says how many at most.
ALTER TABLE offer_broadcasts ADD COLUMN in_flight INTEGER NOT NULL DEFAULT 0;
