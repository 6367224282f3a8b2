"""Store: chat state, the alert outbox and update claims, on SQLite or PostgreSQL, with migrations."""
