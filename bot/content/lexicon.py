"""Loads the red-flag lexicon (intents/red_flags.yml): signs, levels, sources, patterns and cues."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.content import catalog
from bot.content.model import RED_FLAGS_FILE, RedFlag, Source, TriageLexicon
from bot.content.yamlfile import Collector, Where, line_of

# The calm kinds triage reads by name (bot/understanding/context.py). `not_body` applies to temperatures
# only, and never when the sentence says the reading is the body's ("102 outside" is weather; "my temp is
# 102 and it is hot outside" is a fever).
NOT_BODY = "not_body"
BODY = "body"
EXPECTED = "expected"
# Treated already (antibiotics started): a nurse saw it, but only the signs of an infection are calmed
# (`calms_only:`); "they gave me an antibiotic and my lips are swelling" is an allergic reaction.
TREATED = "treated"
IMPROVING = "improving"
HABIT = "habit"
# Calms only the sign words it takes in: "dying to know" is no wish to die, but "not dying to know, I just
# want to die" still is one.
FIGURE = "figure_of_speech"
# How little it is ("apenas me duele"), an animal's illness, worry with no symptom, an ordinary after-effect
# or errand: they calm the message (the severity model does not raise it), never a sign the lexicon finds (a
# little chest pain is chest pain, and walking the dog is no reason to faint).
MESSAGE_ONLY = frozenset({"mild", "animal", "worry", "ordinary"})
# Not calm kinds: a habit named beside it is not what this is; a sign a nurse called expected has changed
# since ("the nurse said pink pee was normal, but now it's dark red with clots").
DENIED_HABIT = "denied_habit"
CHANGED = "changed"
# A kind renamed in the file would silently become a plain calm kind, which calms every sign: each must
# be there.
NAMED_KINDS = frozenset({NOT_BODY, BODY, EXPECTED, TREATED, IMPROVING, HABIT, FIGURE, DENIED_HABIT, CHANGED,
                         *MESSAGE_ONLY})

# A gap of words in a red-flag pattern, `(\w+ ){0,3}` or `(\w+,? ){0,3}`, never steps over a negation or a
# sign going away: "dressing is dry, no discharge" is not "dressing ... discharge", nor "swelling has gone
# down a lot" "swelling ... a lot", nor "la hinchazón no está dura" "hinchazón ... dura".
_GAP = re.compile(r"\(\\w\+(,\?)? \)(\{\d*,\d*\})")
_GAP_STOPS = ("no|not|without|never|nothing|none|nor|arent|isnt|wasnt|werent|dont|doesnt|didnt|havent|hasnt"
              "|sin|nunca|nada|ni"
              "|gone down|went down|come down|came down|going down|getting better|got better|shrunk|shrinking"
              "|subsided|subsiding|ha bajado|esta bajando|disminu[a-z]*|mejorando")
_GAP_WITHOUT_STOP = rf"(?:(?!(?:{_GAP_STOPS})\\b)\\w+\1 )\2"


def _compile(patterns: Any, file: str, line: int, problems: Collector,
             gaps_stop_at_negation: bool = False) -> tuple[re.Pattern[str], ...]:
    if not isinstance(patterns, list) or not patterns:
        problems.add(file, line, "expected a non-empty list of patterns")
        return ()
    compiled = []
    for index, pattern in enumerate(patterns):
        item_line = patterns.item_lines[index] if hasattr(patterns, "item_lines") else line
        if gaps_stop_at_negation and isinstance(pattern, str):
            pattern = _GAP.sub(_GAP_WITHOUT_STOP, pattern)
        try:
            compiled.append(re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE))
        except (re.error, TypeError) as error:
            problems.add(file, item_line, f"pattern {pattern!r} does not compile: {error}")
    return tuple(compiled)


def load_triage(root: Path, problems: Collector, sources: Mapping[str, Source]) -> TriageLexicon:
    file = f"intents/{RED_FLAGS_FILE}"
    data = problems.read(root / file)
    empty = TriageLexicon((), (), (), (), (), (), ())
    if data is None:
        return empty
    if not isinstance(data, dict) or not isinstance(data.get("red_flags"), list):
        problems.add(file, line_of(data), "expected `cues:` and a `red_flags:` list")
        return empty
    cues = data.get("cues") if isinstance(data.get("cues"), dict) else {}
    cue_line = line_of(cues, line_of(data))

    def cue(name: str) -> tuple[re.Pattern[str], ...]:
        return _compile(cues.get(name), file, cue_line, problems)

    flags = tuple(
        flag for flag in (_load_flag(item, file, problems, sources) for item in data["red_flags"])
        if flag is not None
    )
    names = [flag.name for flag in flags]
    for flag in flags:
        if names.count(flag.name) > 1:
            problems.add(file, flag.where.line, f"red flag {flag.name!r} is defined twice")
        for unknown in set(flag.heavier_form_of) - set(names):
            problems.add(file, flag.where.line, f"{flag.name!r} is a heavier form of an unknown red flag "
                         f"{unknown!r}")
    return TriageLexicon(
        red_flags=flags,
        negation_before=cue("negation_before"),
        negation_after=cue("negation_after"),
        hypothetical=cue("hypothetical"),
        unrelated=cue("unrelated"),
        report_markers=cue("report_markers"),
        temperature_words=cue("temperature_words"),
        feeling_unwell=cue("feeling_unwell"),
        playing_down=cue("playing_down"),
        list_of_signs=cue("list_of_signs"),
        has_it=cue("has_it"),
        context=_load_context(data.get("context"), file, line_of(data), problems),
        calms_only=_load_calms_only(data.get("calms_only"), file, line_of(data), names, data.get("context"),
                                    problems),
    )


def _load_calms_only(spec: Any, file: str, line: int, names: list[str], kinds: Any,
                     problems: Collector) -> Mapping[str, frozenset[str]]:
    """`calms_only: {kind: [red flag names]}`: the calm kinds that are about some signs only."""
    if spec is None:
        return {}
    if not isinstance(spec, dict) or not all(isinstance(flags, list) for flags in spec.values()):
        problems.add(file, line, "`calms_only:` must map a calm kind to a list of red flag names")
        return {}
    for kind, flags in spec.items():
        if not isinstance(kinds, dict) or kind not in kinds:
            problems.add(file, line_of(flags, line), f"`calms_only:` names an unknown calm kind {kind!r}")
        for unknown in sorted(set(map(str, flags)) - set(names)):
            problems.add(file, line_of(flags, line), f"calm kind {kind!r}: unknown red flag {unknown!r}")
    return {str(kind): frozenset(map(str, flags)) for kind, flags in spec.items()}


def _load_context(
    kinds: Any, file: str, line: int, problems: Collector
) -> Mapping[str, tuple[re.Pattern[str], ...]]:
    """The calm contexts: a mapping of kind to patterns."""
    if kinds is None:
        return {}
    if not isinstance(kinds, dict):
        problems.add(file, line, "`context:` must map each kind of calm context to its patterns")
        return {}
    for missing in sorted(NAMED_KINDS - {str(kind) for kind in kinds}):
        problems.add(file, line, f"`context:` has no kind {missing!r}, which triage reads by name")
    return {str(kind): _compile(patterns, file, line_of(patterns, line), problems)
            for kind, patterns in kinds.items()}


def _load_flag(
    item: Any, file: str, problems: Collector, sources: Mapping[str, Source]
) -> RedFlag | None:
    line = line_of(item)
    if not isinstance(item, dict) or not item.get("name") or not item.get("label"):
        problems.add(file, line, "a red flag needs name, level, label, sources and patterns")
        return None
    level = item.get("level")
    if level not in catalog.ALERT_LEVELS and level != "check":
        problems.add(file, line, f"level {level!r} must be urgent, emergency or check")
    flag_sources = tuple(str(s) for s in item.get("sources") or ())
    if not flag_sources:
        problems.add(file, line, f"red flag {item['name']!r} has no source; cite the pages that "
                     "name this sign (seeds/sources.yml)")
    _check_source_ids(flag_sources, sources, file, line, problems)
    # Each list compiled once: `patterns` (English) first, then one list per other language.
    by_key = {key: _compile(item.get(key), file, line, problems, gaps_stop_at_negation=True)
              for key in _pattern_keys(item)}
    # A pattern in another language's list is read with that language only: one in both is lost to English.
    for twice in sorted(set(map(str, item.get("patterns") or ())) & {
            str(p) for key in _pattern_keys(item) if key != "patterns" for p in item.get(key) or ()}):
        problems.add(file, line, f"pattern {twice!r} is in `patterns` and another language's list")
    return RedFlag(
        name=str(item["name"]),
        level=str(level),
        label=str(item["label"]),
        sources=flag_sources,
        patterns=tuple(pattern for compiled in by_key.values() for pattern in compiled),
        needs_temperature=bool(item.get("needs_temperature", False)),
        even_if_over=bool(item.get("even_if_over", False)),
        even_if_asked=bool(item.get("even_if_asked", False)),
        other_languages={key.removeprefix("patterns_"): compiled
                         for key, compiled in by_key.items() if key != "patterns"},
        where=Where(file, line),
        **_asked_if_vague(item.get("asked_if_vague"), file, line, problems),
        **_heavier_form_of(item.get("heavier_form_of"), file, line, problems),
    )


def _asked_if_vague(spec: Any, file: str, line: int, problems: Collector) -> dict[str, Any]:
    """`asked_if_vague: {vague: [...], detailed: [...]}`, compiled; nothing when the flag has none."""
    if spec is None:
        return {}
    if not isinstance(spec, dict) or set(spec) != {"vague", "detailed"}:
        problems.add(file, line, "asked_if_vague needs `vague:` and `detailed:` lists of patterns")
        return {}
    return {key: _compile(spec[key], file, line, problems) for key in ("vague", "detailed")}


def _heavier_form_of(spec: Any, file: str, line: int, problems: Collector) -> dict[str, Any]:
    """`heavier_form_of: {signs: [...], told_by: [...]}`: the signs this one is a heavier form of, and
    the words that make it so (how much, how suddenly); nothing when the flag has none."""
    if spec is None:
        return {}
    if not isinstance(spec, dict) or set(spec) != {"signs", "told_by"} or not isinstance(spec["signs"], list):
        problems.add(file, line, "heavier_form_of needs `signs:` (red flag names) and `told_by:` (patterns)")
        return {}
    return {"heavier_form_of": tuple(str(name) for name in spec["signs"]),
            "told_by": _compile(spec["told_by"], file, line, problems)}


def _pattern_keys(item: dict[str, Any]) -> list[str]:
    """`patterns` (English) and one `patterns_<language>` per other language, e.g. `patterns_es`."""
    return ["patterns", *sorted(k for k in item if str(k).startswith("patterns_"))]


def _check_source_ids(
    ids: tuple[str, ...], sources: Mapping[str, Source], file: str, line: int, problems: Collector
) -> None:
    for source_id in ids:
        if source_id not in sources:
            problems.add(file, line, f"unknown source id {source_id!r}")


