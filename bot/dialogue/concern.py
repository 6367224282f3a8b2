"""An open concern: what a patient has reported in this chat and not said is over, judged as one story."""

from __future__ import annotations

import re

from bot.content.model import RedFlag, TriageLexicon
from bot.understanding.text import simplify
from bot.understanding.triage import Triage, Triager

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

# A free-text answer to the checklist ("the bleeding one", "lo del sangrado") names its sign with one of
# these words; the checklist's order is the gravest first. A longer message is a report, triaged as written;
# a fever named is not one over the line, so the triage asks for the reading.
_NAMING = {
    "breathing": r"breath\w*|respir\w*|aire|ahog\w*",
    "chest_pain": r"chest|pecho",
    "bleeding": r"bleed\w*|blood|sangr\w*",
    "fainting": r"faint\w*|confus\w*|desmay\w*|passed out",
    "pus": r"pus|cloudy|turbi\w*",
}
_NAMED = {sign: re.compile(rf"\b(?:{words})\b") for sign, words in _NAMING.items()}
_ANSWER_WORDS = 6
# "none of those", "ninguno", "nada de eso": the checklist's last button, typed.
_NONE_OF_THEM = re.compile(r"^(?:no|nope|none|ninguno|ninguna|nada)\b(?:,? (?:of (?:those|these|them)"
                           r"|de (?:esos|esas|eso|esto)|ninguno|ninguna|none|at all|para nada|thanks"
                           r"|gracias))*"
                           r"\W*$")
_DENIED = re.compile(r"\b(?:no|not|sin|ni|nada|none|nor|ningun\w*)\b(?: \w+){0,2} ?$")
# "none, he's just sleepy", "ninguno de esos, solo cansancio": an answer that opens by choosing the last
# button, then tells more (a bare "no" may open a sign: "no puedo respirar").
_OPENS_WITH_NONE = re.compile(r"^(?:(?:none|nope|nah|ninguno|ninguna|ningunos|ningunas)\b"
                              r"|nada de (?:eso|esos|esas|esto)\b"
                              r"|no(?:[,.]| (?:nada|none|ninguno|ninguna|de esos)\b))")


# What a symptom is told about: a short follow-up that names none of these ("it's gone bright red with
# clots", "nada, ni una gota desde hace 4 horas") is about the last one the story named.
_SUBJECT = re.compile(
    r"\b(?P<named>(?:(?:the|my|his|her|el|la|los|las|mi|su) )?(?:pee|urine|wee|orina|pis|pipi|catheter|bag"
    r"|sonda|cateter|bolsa|drain|drenaje|wound|site|incision|scar|herida|cicatriz|dressing|gauze|bandage|pad|gasa"
    r"|venda|aposito|leg|arm|calf|pierna|brazo|pantorrilla|eye|ojo|skin|piel|redness|rojez|lo rojo|swelling"
    r"|hinchazon|pus|vomit|vomito|poop|stool|heces|caca))s?\b"
    r"(?! (?:cryo|crio|freez\w*|procedure|surgery|treatment|operation|cirugia|operacion|tratamiento)\b)")


def names_a_subject(text: str) -> bool:
    """The message names what a symptom may be about (the urine, the catheter, the wound, a leg)."""
    return _SUBJECT.search(simplify(text)) is not None


def with_subject(story: str, text: str) -> str:
    """`text` after the thing the story named last, when it names no such thing itself: what a short
    follow-up is about ("pee's clear" / "it's gone bright red with clots")."""
    named = list(_SUBJECT.finditer(simplify(story)))
    return f"{named[-1]['named']} {simplify(text)}" if named and not names_a_subject(text) else text


def read_together(triager: Triager, story: str, text: str, reported: bool) -> Triage:
    """The lexicon's verdict on the story and the message together (the model learned single messages,
    not stories). A report that names nothing ("it's gone bright red with clots") is read as a sentence of
    its own about what the story named last ("pee's clear, no blood")."""
    about = with_subject(story, text) if reported else text
    if about == text:
        return triager.assess(with_message(story, text))
    return triager.assess(f"{story.rstrip(' .!?')}. {about}")


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


def opens_with_none(text: str) -> bool:
    """The answer opens by saying none of the checklist's signs is happening."""
    return _OPENS_WITH_NONE.match(simplify(text).strip()) is not None


def named_sign(text: str) -> str | None:
    """The checklist sign a short free-text answer names, the gravest when it names several ("none" for
    "none of those"); None when it names none, only denies them ("no bleeding") or is longer than an
    answer."""
    simple = simplify(text)
    if len(simple.split()) > _ANSWER_WORDS:
        return None
    if _NONE_OF_THEM.match(simple.strip()):
        return "none"
    for sign, naming in _NAMED.items():
        if any(not _DENIED.search(simple[:m.start()]) for m in naming.finditer(simple)):
            return sign
    return None
