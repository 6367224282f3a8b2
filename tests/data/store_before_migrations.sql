-- A state file as the bot wrote it before versioned migrations, with a little in it.
CREATE TABLE chats (chat_id TEXT PRIMARY KEY, slots TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT, chat_id TEXT NOT NULL, patient TEXT NOT NULL,
    level TEXT NOT NULL, red_flags TEXT NOT NULL, message TEXT NOT NULL, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, status TEXT NOT NULL, due_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, nurse_message_id INTEGER,
    acknowledged_by TEXT, acknowledged_at TEXT
);
CREATE TABLE handled_updates (update_id INTEGER PRIMARY KEY, handled_at TEXT NOT NULL);
CREATE INDEX alerts_due ON alerts (status, due_at);
CREATE INDEX alerts_chat ON alerts (chat_id, created_at);

INSERT INTO chats VALUES ('c1', '{"site": "prostate"}', '2026-11-21T08:00:00+00:00');
INSERT INTO alerts (chat_id, patient, level, red_flags, message, created_at, updated_at, status, due_at)
    VALUES ('c1', 'Pat', 'urgent', '["fever"]', 'temp 102', '2026-11-21T08:59:00+00:00',
            '2026-11-21T08:59:00+00:00', 'pending', '2026-11-21T08:59:00+00:00');
INSERT INTO handled_updates VALUES (41, '2026-11-21T08:58:00+00:00');
