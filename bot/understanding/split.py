"""A message into its questions: at sentence ends and line breaks, and at "and", "also" or a comma
when a new question starts there."""

from __future__ import annotations

import logging
import re

logger = logging.getLogger(__name__)

# Words a question starts with; a joint ("and", "also", a comma) before one of them starts a new question.
_QUESTION_START = (
    r"(?:what|whats|how|hows|when|where|why|who|which|will|would|can|cant|could|should|shall"
    r"|is|isnt|are|am|do|does|did|was|were|have|has|may|might|any|must|need)\b"
)
# Sentence ends (a full stop only before a space or the end, so "38.5" and "e.g." stay whole),
# line breaks, semicolons.
_SENTENCE_END = r"[?!;\n]+|\.(?=\s|$)"
# A joint that starts a new question: ", and also what…", "and how…", "also can…", ", is…".
_BOUNDARY = re.compile(rf"{_SENTENCE_END}"
                       rf"|(?:,\s*|\s+)(?:and|also|plus|but)\s+(?:also\s+)?(?={_QUESTION_START})"
                       rf"|,\s*(?={_QUESTION_START})", re.IGNORECASE)
# A follow-up opens with a joint or "what about", and says little more: a fragment of a question.
_FOLLOW_UP = re.compile(r"(?:(?:ok|okay|and|so|but|or|then|also)\b\s*)+(?:(?:what|how) about\b\s*)?"
                        r"(?:(?:for|with|in|on|of)\b\s*)?(?:(?:the|my|a|your)\b\s*)?"
                        r"|(?:what|how) about\b\s*(?:(?:for|with|in|on|of)\b\s*)?(?:(?:the|my|a|your)\b\s*)?")
_FOLLOW_UP_WORDS = 7
# A part needs a letter to be a question at all ("??", "…", "2." are not).
_WORDY = re.compile(r"[^\W\d_]", re.UNICODE)


def split_questions(text: str) -> list[str]:
    """The parts of `text` that may each be a question, in order; the whole text when it has one."""
    parts = [part.strip(" ,") for part in _BOUNDARY.split(text) if part]
    parts = [part for part in parts if _WORDY.search(part)]
    return parts or [text]


def follow_up(normalized: str) -> str | None:
    """What follows the opening of a short follow-up ("and after" -> "after", "what about for the liver"
    -> "liver", "so no driving" -> "no driving"); None when the text does not open like one."""
    if len(normalized.split()) > _FOLLOW_UP_WORDS:
        return None
    match = _FOLLOW_UP.match(normalized)
    return normalized[match.end():].strip() if match else None
