"""Understanding figures of a sectioned held-out file, run through the whole bot beside the baseline:
single questions (`real`, `messy`, `spanish`), several questions per message (`multi`) and follow-ups
(`followups`, two turns in one chat). Only figures are printed: such files may be blind."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.config import Settings
from bot.content.model import Content
from bot.engine import Engine, Incoming, Outcome
from bot.evaluation.safety import scratch_engine
from bot.understanding.evaluate import Predict, baseline
from bot.understanding.nlu import Classifier, training_data
from bot.understanding.questions import ACCOMPANYING, HELP

SINGLE_SECTIONS = ("real", "messy", "spanish")
SECTIONS = (*SINGLE_SECTIONS, "multi", "followups")
# What only accompanies questions: a writer may list a greeting, thanks or the procedure told in passing
# among a message's intents, but the bar counts questions ("every question answered"), so a second
# figure sets these aside (the menu may be asked, so it stays).
NOT_ASKED = ACCOMPANYING - {HELP}
ASIDE = "multi, questions only"


@dataclass(frozen=True)
class SectionScore:
    """Hits of our bot and of the baseline over one section."""

    name: str
    total: int
    ours: int
    baseline: int

    def line(self) -> str:
        return (f"{self.name:<28}{self.total:>6}{self.ours / self.total:>10.1%}"
                f"{self.baseline / self.total:>11.1%}")


def is_sectioned(path: Path) -> bool:
    """True for a file of sections (real, messy, multi, followups...), not a list of {text, intent}."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return isinstance(data, dict) and bool(set(SECTIONS) & set(data))


def in_order(expected: Sequence[str], found: Sequence[str]) -> bool:
    """Every expected intent found, in this order (other answers in between do not count against; two
    questions of one intent are answered once)."""
    remaining = iter(found)
    return all(any(intent == f for f in remaining) for intent in dict.fromkeys(expected))


class _Run:
    """Each case in a chat of its own, through the whole engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._chats = itertools.count(1)

    async def outcomes(self, turns: Sequence[str]) -> list[Outcome]:
        """What the bot made of each turn of one chat."""
        chat = f"understanding-{next(self._chats)}"
        return [await self.engine.handle(Incoming(chat, text=turn)) for turn in turns]

    async def main_intent(self, turns: Sequence[str]) -> str:
        """The main intent of the last turn (the message's own, when it asks several things)."""
        parse = (await self.outcomes(turns))[-1].parse
        return parse.intent if parse else ""

    async def intents(self, text: str) -> list[str]:
        """Every question's intent, in order."""
        return [question.intent for question in (await self.outcomes([text]))[0].questions]


async def score(data: Mapping[str, list[dict[str, Any]]], engine: Engine,
                predict: Predict) -> list[SectionScore]:
    """Every section present in `data`, scored for our bot and for the baseline (which reads each
    message alone, as one question)."""
    run = _Run(engine)
    scores = []
    for name in SINGLE_SECTIONS:
        if cases := data.get(name):
            ours = [await run.main_intent([c["text"]]) == c["intent"] for c in cases]
            theirs = _hits(predict, [c["text"] for c in cases], [[c["intent"]] for c in cases])
            scores.append(SectionScore(name, len(cases), sum(ours), theirs))
    if cases := data.get("multi"):
        # Each message run once, by our bot and by the baseline, and scored twice.
        found = [await run.intents(c["text"]) for c in cases]
        guessed = [[got] for got in predict([c["text"] for c in cases])]
        as_written = [c["intents"] for c in cases]
        questions = [[intent for intent in want if intent not in NOT_ASKED] for want in as_written]
        for name, expected in (("multi (every question)", as_written), (ASIDE, questions)):
            scores.append(SectionScore(name, len(cases), _in_order(expected, found),
                                       _in_order(expected, guessed)))
    if cases := data.get("followups"):
        ours = [await run.main_intent(c["turns"]) == c["intents"][1] for c in cases]
        theirs = _hits(predict, [c["turns"][1] for c in cases], [c["intents"][1:2] for c in cases])
        scores.append(SectionScore("followups (second turn)", len(cases), sum(ours), theirs))
    return scores


def _hits(predict: Predict, texts: Sequence[str], expected: Sequence[Sequence[str]]) -> int:
    return _in_order(expected, [[got] for got in predict(texts)])


def _in_order(expected: Sequence[Sequence[str]], found: Sequence[Sequence[str]]) -> int:
    """How many messages had every expected intent found, in order."""
    return sum(in_order(want, got) for want, got in zip(expected, found, strict=True))


def report(name: str, scores: Sequence[SectionScore]) -> str:
    """The figures side by side; never the messages (the file may be blind)."""
    lines = [f"== held-out {name}", f"{'section':<28}{'n':>6}{'ours':>10}{'baseline':>11}"]
    lines += [score.line() for score in scores]
    counted = [s for s in scores if s.name != ASIDE]  # the same messages as "multi", scored again
    ours, theirs, total = (sum(getattr(s, k) for s in counted) for k in ("ours", "baseline", "total"))
    lines.append(SectionScore("all sections", total, ours, theirs).line())
    return "\n".join(lines)


async def evaluate(path: Path, content: Content, settings: Settings, classifier: Classifier) -> str:
    """The report of one sectioned file: our bot on a throwaway store, the baseline trained on intents/."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    predict = baseline(*training_data(content))
    async with scratch_engine(content, settings, classifier) as engine:
        return report(path.name, await score(data, engine, predict))
