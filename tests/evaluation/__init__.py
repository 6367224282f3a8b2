"""Tests of bot/evaluation: the figures of held-out corpora run through the whole bot."""
