"""Patient text at the edge: a form safe to store and show, and a form safe to match against the lexicon."""

from __future__ import annotations

import logging
import re
import unicodedata

logger = logging.getLogger(__name__)

# Half of a UTF-16 pair on its own (invalid UTF-8 read with surrogateescape, or "\ud800" in JSON):
# it cannot be encoded, so it would break the store and the network.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Control characters other than tab and newline: invisible, and they can corrupt a terminal.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Letters of other scripts drawn like Latin ones ("fever" with a Cyrillic e, U+0435). They are read
# as the Latin letter they look like; the bot does not understand these scripts in any case.
_CONFUSABLES = str.maketrans(
    # Cyrillic: a e o p c y x i j s d h q w l k g, then A B E K M H O P C T X Y S I J Q W
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501\u04bb\u051b\u051d\u04cf\u043a\u0261"
    "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0423\u0405\u0406\u0408\u051a\u051c"
    # Greek: a o p v i k u e x y, then A B E Z H I K M N O P T Y X
    "\u03b1\u03bf\u03c1\u03bd\u03b9\u03ba\u03c5\u03b5\u03c7\u03b3"
    "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7",
    "aeopcyxijsdhqwlkg" "ABEKMHOPCTXYSIJQW"
    "aopvikuexy" "ABEZHIKMNOPTYX",
)

# Long texts are triaged in passages of about this many letters (see passages()).
PASSAGE_CHARS = 300
WINDOW_WORDS = 50
_OVERLAP_WORDS = 8
_SENTENCE_END = re.compile(r"(?<=[.!?;\n])\s+")


def readable(text: str) -> str:
    """The text as written, minus what cannot be stored or shown: kept for the nurses and the logs."""
    text = _LONE_SURROGATE.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", text)


def for_matching(text: str) -> str:
    """The text understanding and triage read: compatibility forms unified (NFKC), invisible format
    characters (zero-width spaces and joiners, soft hyphens, direction marks) dropped, look-alike
    letters read as Latin."""
    visible = "".join(c for c in readable(text) if unicodedata.category(c) != "Cf")
    # NFKC reads the ordinal sign as "o"; in "39º" it is the degree sign phones put there.
    return unicodedata.normalize("NFKC", visible.replace("\u00ba", "\u00b0")).translate(_CONFUSABLES)


def passages(text: str, size: int = PASSAGE_CHARS, window: int = WINDOW_WORDS) -> list[str]:
    """A long text as short passages for triage, whose cost grows with the square of a sentence:
    whole sentences up to `size` letters together; a longer sentence as windows of `window` words,
    each overlapping the next by a few words so that no sign is cut in two."""
    found: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        if len(current) + len(sentence) > size and current:
            found.append(current)
            current = ""
        if len(sentence) <= size:
            current = f"{current} {sentence}" if current else sentence
            continue
        words = sentence.split()
        step = window - _OVERLAP_WORDS
        found.extend(" ".join(words[start:start + window])
                     for start in range(0, max(len(words) - _OVERLAP_WORDS, 1), step))
    if current:
        found.append(current)
    return found
