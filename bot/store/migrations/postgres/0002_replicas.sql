-- An update is claimed with a lease before it is handled, and marked handled only once
-- its replies went out: the claim of a replica that died lapses and the update is retried.
ALTER TABLE handled_updates RENAME TO updates;
ALTER INDEX handled_updates_pkey RENAME TO updates_pkey;
ALTER TABLE updates ALTER COLUMN handled_at DROP NOT NULL, ADD COLUMN claimed_until TIMESTAMPTZ;
UPDATE updates SET claimed_until = handled_at;
ALTER TABLE updates ALTER COLUMN claimed_until SET NOT NULL;

-- revision counts the reports merged into an alert; claimed_revision is the one being sent,
-- so a report merged while the alert was on its way is sent as an update, not lost.
ALTER TABLE alerts
    ADD COLUMN revision INTEGER NOT NULL DEFAULT 1,
    ADD COLUMN claimed_revision INTEGER NOT NULL DEFAULT 1;
