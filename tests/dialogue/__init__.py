"""Tests of bot/dialogue: follow-ups in context, close calls."""
