"""Tests of bot/checkins/."""
