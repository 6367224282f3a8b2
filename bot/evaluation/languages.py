"""The language detector's figures: English and Spanish texts it must not call other, and other languages."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import yaml

from bot.content.model import Content
from bot.understanding.language import OTHER, detect
from bot.understanding.normalize import for_matching, readable
from bot.understanding.text import simplify

logger = logging.getLogger(__name__)

OTHERS_FILE = "other_languages.yml"
# The corpora whose reports and lookalikes are English or Spanish (the newer blind sets stay unread).
_CORPORA = ("red_flags*.yml", "safety_blind[5-8].yml")


def ours(content: Content, data: Path) -> dict[str, list[str]]:
    """English and Spanish texts by where they come from: the training examples (intents, symptom
    reports, severity), the held-out sets, and the reports and lookalikes of the red-flag and safety
    corpora."""
    sets = {"intents/ examples": [e.text for i in content.intents.values() for e in i.examples]
            + [text for text, _ in (*content.symptom_reports, *content.severity_examples)]}
    for path in sorted(data.glob("heldout*.yml")):
        sets[path.name] = [m["text"] for m in yaml.safe_load(path.read_text(encoding="utf-8"))]
    for path in sorted(p for pattern in _CORPORA for p in data.glob(pattern)):
        corpus = yaml.safe_load(path.read_text(encoding="utf-8"))
        sets[path.name] = [m["text"] for part in ("reports", "lookalikes") for m in corpus[part]]
    return sets


def others(data: Path) -> list[dict[str, str]]:
    """Messages in languages the bot cannot read, each with its language code."""
    return list(yaml.safe_load((data / OTHERS_FILE).read_text(encoding="utf-8"))["messages"])


def language(text: str) -> str:
    """What the engine reads a message as, from the same forms of its text."""
    written = readable(text)
    return detect(written, simplify(for_matching(written)))


def report(content: Content, data: Path) -> Iterator[str]:
    """The figures, line by line, each text read wrongly under its line."""
    flagged = total = 0
    for name, texts in ours(content, data).items():
        misread = [text for text in texts if language(text) == OTHER]
        flagged, total = flagged + len(misread), total + len(texts)
        yield f"{name:28} {len(texts):5} English/Spanish texts, {len(misread)} read as other"
        yield from (f"    {text!r}" for text in misread)
    messages = others(data)
    missed = [m for m in messages if language(m["text"]) != OTHER]
    yield f"English/Spanish read as other: {flagged} of {total}"
    yield (f"other languages caught: {len(messages) - len(missed)} of {len(messages)} "
           f"({1 - len(missed) / len(messages):.1%}) in {len({m['lang'] for m in messages})} languages")
    yield from (f"    missed ({m['lang']}): {m['text']!r}" for m in missed)
