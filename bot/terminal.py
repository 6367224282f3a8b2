"""The terminal chat: type (or pipe) messages, read the bot's replies and the nurse alerts."""

from __future__ import annotations

import re
import sys
from datetime import timedelta
from typing import TextIO

from bot.alerts import AlertSender
from bot.engine import Engine, Incoming, Outcome
from bot.store.connect import Alert

CHAT_ID = "terminal"
_BUTTON_NUMBER = re.compile(r"[0-9]{1,3}")
PATIENT = "Terminal user"


class TerminalNurses:
    """The nurses' channel in a terminal: a visible line per alert."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    async def send_alert(self, alert: Alert, text: str) -> int | None:
        self.out.write(f"\n[alert #{alert.id} sent to the nurses]\n{text}\n\n")
        return None

    async def update_alert(self, alert: Alert, text: str) -> None:
        self.out.write(f"\n[alert #{alert.id} updated for the nurses]\n{text}\n\n")


def show(outcome: Outcome, out: TextIO) -> None:
    """Print the replies, numbering any buttons so they can be picked by number."""
    for reply in outcome.replies:
        out.write(f"bot> {reply.text}\n")
        for number, button in enumerate(reply.buttons, start=1):
            out.write(f"     [{number}] {button.title}\n")
    out.flush()


async def chat(engine: Engine, source: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """Converse until end of input; a number picks a button of the last reply."""
    sender = AlertSender(engine.store, TerminalNurses(out), engine.responder,
                         lease=timedelta(seconds=engine.settings.alert_lease_seconds))
    interactive = source.isatty()
    last = await engine.enroll(CHAT_ID, None, None, PATIENT) if interactive else None
    if last:
        show(last, out)
    while True:
        if interactive:
            out.write("you> ")
            out.flush()
        line = source.readline()
        if not line:
            break
        outcome = await engine.handle(_incoming(line.rstrip("\n"), last))
        show(outcome, out)
        await sender.deliver_due()
        last = outcome


def _incoming(line: str, last: Outcome | None) -> Incoming:
    buttons = [b for reply in (last.replies if last else ()) for b in reply.buttons]
    # ASCII digits, a few: "²" and a 6,000-digit line are text ("²".isdigit() is true; int() fails on it).
    if _BUTTON_NUMBER.fullmatch(line.strip()) and 1 <= int(line) <= len(buttons):
        return Incoming(CHAT_ID, button=buttons[int(line) - 1].payload, patient=PATIENT)
    return Incoming(CHAT_ID, text=line, patient=PATIENT)
