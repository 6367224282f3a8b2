"""Logging set-up: no patient text and no bot token in the logs unless DEBUG is asked for."""

from __future__ import annotations

import logging
import sys

# At INFO, httpx logs every request URL, and the Bot API's URLs carry the bot token.
_CHATTY = ("httpx", "httpcore", "telegram.ext", "apscheduler")


def configure(level: str, commands_quiet: bool = False) -> None:
    """Log to stderr at `level`; one-shot commands only warn; libraries' chatter stays out."""
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        numeric = logging.INFO
    if commands_quiet:
        numeric = max(numeric, logging.WARNING)
    logging.basicConfig(level=numeric, stream=sys.stderr, force=True,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in _CHATTY:
        logging.getLogger(name).setLevel(numeric if numeric <= logging.DEBUG else logging.WARNING)
