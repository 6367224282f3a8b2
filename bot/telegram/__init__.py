"""Telegram channel: PTB application, patient and nurse handlers, rendering, transport, limits, webhook."""
