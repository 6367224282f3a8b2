"""Evaluation: figures of the whole bot on labelled corpora, for people and resolving notes."""
