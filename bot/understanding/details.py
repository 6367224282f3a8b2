"""The details that change a sign's verdict: said only vaguely (ask), or told by how much or how
suddenly (heavier)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from bot.content.model import RedFlag

# A word or two after a denial: "no smell", "not thick", "hasn't grown all day", "sin olor".
_DENIED = re.compile(r"\b(?:no|not|without|never|hasnt|isnt|wasnt|doesnt|sin|ni|nada)(?: \w+)? $")
_DENIAL_REACH = 30


def vague(flag: RedFlag, text: str) -> bool:
    """The message says only a little or only vaguely what this sign is, and nothing gives the deciding
    detail (it goes on; it is thick and yellow): ask, do not alert. A detail denied ("clear, no smell",
    "hasn't grown all day") gives none."""
    return any(p.search(text) for p in flag.vague) and not _told(flag.detailed, text)


def heavier(found: Mapping[str, RedFlag], forms: Iterable[RedFlag], text: str) -> list[RedFlag]:
    """Of `forms` (the flags that are heavier forms of others), those a found sign becomes when the message
    tells what makes it heavier (bleeding that fills a pad every half hour: heavy bleeding; an arm gone
    weak all of a sudden: a stroke), however the sign itself was worded."""
    return [flag for flag in forms if flag.name not in found
            and any(name in found for name in flag.heavier_form_of) and _told(flag.told_by, text)]


def _told(patterns: Iterable[re.Pattern[str]], text: str) -> bool:
    """Some pattern matches `text` where no denial stands just before it."""
    return any(not _DENIED.search(text, max(0, m.start() - _DENIAL_REACH), m.start())
               for p in patterns for m in p.finditer(text))
