-- Check-ins after the procedure: one row per chat and day, each sent inside its window
-- [due_at, closes_at), claimed with a lease (claimed_until) like the alerts.
CREATE TABLE checkins (
    chat_id TEXT NOT NULL,
    day INTEGER NOT NULL,
    site TEXT NOT NULL,
    patient TEXT NOT NULL,
    due_at TIMESTAMPTZ NOT NULL,
    closes_at TIMESTAMPTZ NOT NULL,
    status TEXT NOT NULL,
    claimed_until TIMESTAMPTZ,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at TIMESTAMPTZ,
    answered_at TIMESTAMPTZ,
    answer TEXT,
    flagged BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (chat_id, day)
);
CREATE INDEX checkins_due ON checkins (status, due_at);
CREATE INDEX checkins_sent ON checkins (sent_at);

-- An alert nobody acknowledged is sent again: reminders counts them (the nurses' group, then
-- the on-call chat); reminder_claimed_until leases the next one to one sender.
ALTER TABLE alerts
    ADD COLUMN reminders INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN reminded_at TIMESTAMPTZ,
    ADD COLUMN reminder_claimed_until TIMESTAMPTZ;

-- Questions the bot could not answer, for the content owners: no chat id, no name.
CREATE TABLE unanswered (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    asked_at TIMESTAMPTZ NOT NULL,
    closest TEXT NOT NULL,
    confidence REAL NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX unanswered_asked ON unanswered (asked_at);

-- One nurses' digest a day, sent by whichever replica stores its row first.
CREATE TABLE digests (
    day TEXT PRIMARY KEY,
    sent_at TIMESTAMPTZ NOT NULL
);
