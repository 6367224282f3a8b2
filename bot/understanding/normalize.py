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
# Letters of other scripts drawn like Latin ones ("fеver" with a Cyrillic е). They are read as
# the Latin letter they look like; the bot does not understand these scripts in any case.
_CONFUSABLES = str.maketrans(
    # Cyrillic
    "аеорсухіјѕԁһԛԝӏкɡ" "АВЕКМНОРСТХУЅІЈԚԜ"
    # Greek
    "αορνικυεχγ" "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdhqwlkg" "ABEKMHOPCTXYSIJQW"
    "aopvikuexy" "ABEZHIKMNOPTYX",
)


def readable(text: str) -> str:
    """The text as written, minus what cannot be stored or shown: kept for the nurses and the logs."""
    text = _LONE_SURROGATE.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", text)


def for_matching(text: str) -> str:
    """The text understanding and triage read: compatibility forms unified (NFKC), invisible format
    characters (zero-width spaces and joiners, soft hyphens, direction marks) dropped, look-alike
    letters read as Latin."""
    visible = "".join(c for c in readable(text) if unicodedata.category(c) != "Cf")
    return unicodedata.normalize("NFKC", visible).translate(_CONFUSABLES)
