-- Chat state, the alert outbox and the Telegram updates already answered.
CREATE TABLE chats (
    chat_id TEXT PRIMARY KEY,
    slots JSONB NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE alerts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chat_id TEXT NOT NULL,
    patient TEXT NOT NULL,
    level TEXT NOT NULL,
    red_flags TEXT[] NOT NULL,
    message TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    status TEXT NOT NULL,
    due_at TIMESTAMPTZ NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    nurse_message_id BIGINT,
    acknowledged_by TEXT,
    acknowledged_at TIMESTAMPTZ
);

CREATE TABLE handled_updates (
    update_id BIGINT PRIMARY KEY,
    handled_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX alerts_due ON alerts (status, due_at);
CREATE INDEX alerts_chat ON alerts (chat_id, created_at);
