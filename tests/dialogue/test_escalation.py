"""What the patient is told for a verdict: the replies in order, the fever follow-up, the signs named."""

from __future__ import annotations

from bot.dialogue.escalation import escalation, follow_up, labels
from bot.understanding.temperature import find_readings
from bot.understanding.triage import Triage


def test_self_harm_alone_gets_the_crisis_line_and_with_a_body_sign_the_emergency_number_first() -> None:
    assert escalation(Triage("emergency", red_flags=("self_harm",))) == ["utter_self_harm"]
    assert escalation(Triage("emergency", red_flags=("breathing_trouble", "self_harm"))) == [
        "utter_emergency", "utter_self_harm"]
    assert escalation(Triage("urgent", red_flags=("unlisted",))) == ["utter_urgent_unlisted"]


def test_a_fever_with_no_number_asks_for_it_and_a_low_one_gets_advice() -> None:
    assert follow_up(Triage("check", needs_temperature=True)) == ("utter_ask_temperature", "temperature")
    assert follow_up(Triage("none", below_line=True)) == ("utter_temperature_below_line", None)
    assert follow_up(Triage("urgent", red_flags=("fever",))) is None


def test_a_fever_is_named_with_the_temperature_given() -> None:
    (reading,) = find_readings("39.2 c")
    verdict = Triage("urgent", red_flags=("fever",), labels=("a fever",), reading=reading)
    assert labels(verdict) == (f"a fever ({reading.display()})",)
