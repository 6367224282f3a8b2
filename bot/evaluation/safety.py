"""Safety figures of a corpus run through the whole engine: red-flag and emergency recall, false alarms,
dialogue outcomes."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.config import Settings
from bot.content.catalog import ALERT_LEVELS, rank
from bot.content.model import Content
from bot.engine import Engine, Incoming, Outcome
from bot.store.sqlite import SqliteStore
from bot.understanding.nlu import Classifier

Corpus = Mapping[str, list[dict[str, Any]]]
CHECKLIST = "utter_emergency_checklist"
# The questions that ask for a missing detail (the rubric's "check"): the checklist, the temperature.
ASKING = frozenset({CHECKLIST, "utter_ask_temperature"})


@dataclass
class Tally:
    """Hits out of a total, with the texts that missed."""

    hits: int = 0
    total: int = 0
    wrong: list[str] = field(default_factory=list)

    def add(self, hit: bool, text: str, wrong: bool | None = None) -> None:
        """Count one case; `wrong` (by default: not a hit) keeps its text for the report."""
        self.total += 1
        self.hits += hit
        if (not hit) if wrong is None else wrong:
            self.wrong.append(text)

    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else 1.0

    def line(self, name: str) -> str:
        return f"{name:<44}{self.rate:>8.1%}   ({self.hits}/{self.total})"


@dataclass
class SafetyScores:
    """The figures of one corpus, overall and per language."""

    red_flags: dict[str, Tally] = field(default_factory=dict)
    # Red flags met by an alert or by the emergency checklist (the safety net's question).
    met: dict[str, Tally] = field(default_factory=dict)
    emergencies: dict[str, Tally] = field(default_factory=dict)
    false_alarms: dict[str, Tally] = field(default_factory=dict)
    dialogues: dict[str, Tally] = field(default_factory=dict)
    # Vague reports (the deciding detail missing) asked about, with no alert yet.
    asked: dict[str, Tally] = field(default_factory=dict)

    def tallies(self) -> Iterable[tuple[str, dict[str, Tally]]]:
        yield "red-flag recall", self.red_flags
        yield "red flags met by an alert or the checklist", self.met
        yield "emergency recall", self.emergencies
        yield "false alarms (look-alikes alerted)", self.false_alarms
        yield "dialogues ending at the right level", self.dialogues
        yield "vague reports asked about, not alerted", self.asked


def highest_alert(outcomes: Iterable[Outcome]) -> str:
    """The highest level the nurses were alerted at over these outcomes ("none" without an alert)."""
    levels = [alert.level for outcome in outcomes for alert in outcome.alerts if alert.level in ALERT_LEVELS]
    return max(levels, key=rank, default="none")


async def score(corpus: Corpus, engine: Engine) -> SafetyScores:
    """Run every report, look-alike and dialogue, each in a chat of its own."""
    scores = SafetyScores()
    chats = iter(range(1, 1_000_000))

    async def outcomes(turns: Sequence[str]) -> list[Outcome]:
        chat = f"eval-{next(chats)}"
        return [await engine.handle(Incoming(chat, text=turn)) for turn in turns]

    async def run(turns: Sequence[str]) -> str:
        return highest_alert(await outcomes(turns))

    for report in corpus.get("reports", []):
        said = await outcomes([report["text"]])
        level = highest_alert(said)
        asked = any(r.response == CHECKLIST for outcome in said for r in outcome.replies)
        for key in ("all", report.get("lang", "en")):
            scores.red_flags.setdefault(key, Tally()).add(level in ALERT_LEVELS, report["text"])
            scores.met.setdefault(key, Tally()).add(level in ALERT_LEVELS or asked, report["text"])
            if report["level"] == "emergency":
                scores.emergencies.setdefault(key, Tally()).add(level == "emergency", report["text"])
    for lookalike in corpus.get("lookalikes", []):
        level = await run([lookalike["text"]])
        for key in ("all", lookalike.get("lang", "en")):
            alerted = level in ALERT_LEVELS
            scores.false_alarms.setdefault(key, Tally()).add(alerted, lookalike["text"], wrong=alerted)
    for vague in corpus.get("vague", []):
        said = await outcomes([vague["text"]])
        asked = highest_alert(said) == "none" and any(
            r.response in ASKING for outcome in said for r in outcome.replies)
        for key in ("all", vague.get("lang", "en")):
            scores.asked.setdefault(key, Tally()).add(asked, vague["text"])
    for dialogue in corpus.get("dialogues", []):
        level = await run(dialogue["turns"])
        story = " / ".join(dialogue["turns"]) + f"  (expected {dialogue['level']}, got {level})"
        for key in ("all", dialogue.get("lang", "en")):
            scores.dialogues.setdefault(key, Tally()).add(level == dialogue["level"], story)
    return scores


def report(name: str, scores: SafetyScores, show_misses: bool) -> str:
    """A plain-text table of the figures, per language, with the misses when asked."""
    lines = [f"== safety: {name}"]
    for title, tallies in scores.tallies():
        for key in sorted(tallies, key=lambda k: (k != "all", k)):
            lines.append(tallies[key].line(f"{title} [{key}]"))
    if show_misses:
        for title, tallies in scores.tallies():
            wrong = tallies.get("all", Tally()).wrong
            lines += [f"-- {title}: wrong", *(f"   {text}" for text in wrong)]
    return "\n".join(lines)


def is_safety_corpus(data: Any) -> bool:
    """True for a file of reports, look-alikes and dialogues (not a list of labelled questions)."""
    return isinstance(data, dict) and bool({"reports", "lookalikes", "dialogues", "vague"} & set(data))


@asynccontextmanager
async def scratch_engine(content: Content, settings: Settings,
                         classifier: Classifier) -> AsyncIterator[Engine]:
    """An engine on a throwaway store, for running a corpus through the whole bot."""
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(str(Path(folder) / "eval.db"))
        try:
            yield Engine(content, settings, store, classifier)
        finally:
            await store.close()


async def evaluate(path: Path, content: Content, settings: Settings, classifier: Classifier) -> SafetyScores:
    """The figures of one corpus file, on a throwaway store."""
    corpus = yaml.safe_load(path.read_text(encoding="utf-8"))
    async with scratch_engine(content, settings, classifier) as engine:
        return await score(corpus, engine)
