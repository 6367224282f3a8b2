"""An open concern: what a patient has reported in this chat and not said is over, judged as one story."""

from __future__ import annotations

from bot.content.model import RedFlag, TriageLexicon
from bot.understanding.triage import Triage

# The story kept per chat: enough for several messages, and for the nurses to read.
MAX_STORY_CHARS = 600
# The emergency checklist's buttons, each the red flag its tap reports ("none": none of these).
CHECKLIST: dict[str, str] = {
    "breathing": "breathing_trouble",
    "chest_pain": "chest_pain",
    "bleeding": "heavy_bleeding",
    "fainting": "fainting",
    "fever": "fever",
    "pus": "pus_discharge",
    "none": "",
}


def with_message(story: str | None, text: str) -> str:
    """The story with one more message, its oldest words dropped past the limit."""
    joined = f"{story.rstrip(' .!?')} {text}" if story else text
    return joined[-MAX_STORY_CHARS:]


def checklist_flag(lexicon: TriageLexicon, sign: str) -> RedFlag | None:
    """The red flag a checklist tap reports (None for "none of these" or an unknown sign)."""
    name = CHECKLIST.get(sign)
    return next((f for f in lexicon.red_flags if f.name == name), None)


def any_emergency(lexicon: TriageLexicon, names: tuple[str, ...]) -> bool:
    """True when one of these red flags is an emergency sign."""
    return any(flag.level == "emergency" for flag in lexicon.red_flags if flag.name in names)


def tapped(flag: RedFlag) -> Triage:
    """The verdict of a checklist tap: the sign the patient says they have, at its level."""
    return Triage(level=flag.level, red_flags=(flag.name,), labels=(flag.label,))
