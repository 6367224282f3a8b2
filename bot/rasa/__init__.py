"""Rasa: the action server a Rasa deployment calls, and the export of a Rasa project from the content."""
