"""Tests of bot/dialogue: open concerns, follow-ups in context, close calls."""
