"""What the patient is told for a triage verdict: the escalation replies, the fever follow-up, the signs."""

from __future__ import annotations

from bot.understanding.severity import LEARNED_EMERGENCY, learned_only
from bot.understanding.triage import Triage


def escalation(verdict: Triage) -> list[str]:
    """What the patient is told, in order: the emergency number first when the body is in danger too
    ("I can't breathe" with thoughts of self-harm), then the crisis line."""
    crisis = ["utter_self_harm"] if "self_harm" in verdict.red_flags else []
    if crisis and set(verdict.red_flags) <= {"self_harm", LEARNED_EMERGENCY}:
        return crisis
    response = "utter_emergency" if verdict.level == "emergency" else "utter_urgent"
    # The lexicon named no sign: the reply cannot say which one it heard.
    return [f"{response}_unlisted" if learned_only(verdict) else response, *crisis]


def follow_up(verdict: Triage) -> tuple[str, str | None] | None:
    """The question or advice for a fever with a missing or low temperature."""
    if verdict.needs_temperature:
        return "utter_ask_temperature", "temperature"
    if verdict.remeasure:
        return "utter_measure_again", "temperature"
    if verdict.below_line:
        return "utter_temperature_below_line", None
    return None


def labels(verdict: Triage) -> tuple[str, ...]:
    """The signs in plain words; a fever names the temperature given."""
    reading = verdict.reading
    return tuple(
        f"{label} ({reading.display()})" if name == "fever" and reading else label
        for name, label in zip(verdict.red_flags, verdict.labels, strict=True)
    )
