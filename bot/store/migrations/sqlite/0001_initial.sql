-- Chat state, the alert outbox and the Telegram updates already answered.
-- IF NOT EXISTS: a file made before versioned migrations has these tables and is adopted as it is.
CREATE TABLE IF NOT EXISTS chats (
    chat_id TEXT PRIMARY KEY,
    slots TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id TEXT NOT NULL,
    patient TEXT NOT NULL,
    level TEXT NOT NULL,
    red_flags TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    status TEXT NOT NULL,
    due_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    nurse_message_id INTEGER,
    acknowledged_by TEXT,
    acknowledged_at TEXT
);

CREATE TABLE IF NOT EXISTS handled_updates (
    update_id INTEGER PRIMARY KEY,
    handled_at TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS alerts_due ON alerts (status, due_at);
CREATE INDEX IF NOT EXISTS alerts_chat ON alerts (chat_id, created_at);
