"""Dialogue: the rasa-sdk actions that decide what to say, and the templates that turn it into replies."""
