-- An update is claimed with a lease before it is handled, and marked handled only once
-- its replies went out: the claim of a replica that died lapses and the update is retried.
CREATE TABLE updates (
    update_id INTEGER PRIMARY KEY,
    claimed_until TEXT NOT NULL,
    handled_at TEXT
);
INSERT INTO updates (update_id, claimed_until, handled_at)
    SELECT update_id, handled_at, handled_at FROM handled_updates;
DROP TABLE handled_updates;

-- revision counts the reports merged into an alert; claimed_revision is the one being sent,
-- so a report merged while the alert was on its way is sent as an update, not lost.
ALTER TABLE alerts ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE alerts ADD COLUMN claimed_revision INTEGER NOT NULL DEFAULT 1;
