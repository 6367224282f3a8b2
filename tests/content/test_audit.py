"""`bot check`'s traceability rules, each caught on a broken copy of the content with file and line."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.content.check import check

TODAY = dt.date(2026, 12, 6)


def _problems(root: Path, today: dt.date = TODAY) -> list[str]:
    return [str(p) for p in check(root, today)]


def _line_of(path: Path, text: str, after: str = "") -> int:
    """The 1-based line of the first `text` after the first `after`."""
    lines = path.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i in range(start, len(lines)) if text in lines[i]) + 1


def _set_line(path: Path, number: int, text: str) -> None:
    lines = path.read_text().splitlines()
    lines[number - 1] = text
    path.write_text("\n".join(lines) + "\n")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_shipped_content_is_traceable_today() -> None:
    assert _problems(PROJECT_ROOT) == []


def test_an_answer_with_no_source_is_named_with_file_and_line(content_copy: Path) -> None:
    path = content_copy / "responses" / "knowledge.yml"
    line = _line_of(path, "- text: >-", after="utter_insurance_cost:")
    text = path.read_text()
    block = re.search(r"(      metadata:\n        sources: \[nci-cryosurgery\]\n(?:        .*\n)+?)"
                      r"      buttons:", text[text.index("utter_insurance_cost:"):])
    assert block
    path.write_text(text.replace(block.group(1), "", 1))
    assert f"responses/knowledge.yml:{line}: utter_insurance_cost: no source; cite the pages it " \
           "rests on (metadata.sources and claims), or say why it states no facts (no_facts)" \
           in _problems(content_copy)


def test_a_safety_response_must_cite_or_say_it_states_no_facts(content_copy: Path) -> None:
    path = content_copy / "responses" / "safety.yml"
    line = _line_of(path, "- text: >-", after="utter_measure_again:")
    _replace(path, "        no_facts: it asks for a new reading\n", "        reviewed: 2026-12-06\n")
    assert any(p.startswith(f"responses/safety.yml:{line}: utter_measure_again: no source")
               for p in _problems(content_copy))


def test_a_source_that_does_not_cover_the_topic(content_copy: Path) -> None:
    # The insurance answer rests on the NCI page alone; say the page does not cover it.
    _replace(content_copy / "seeds" / "sources.yml", "combined_treatments, insurance_cost,",
             "combined_treatments,")
    line = _line_of(content_copy / "responses" / "knowledge.yml", "- text: >-",
                    after="utter_insurance_cost:")
    assert (f"responses/knowledge.yml:{line}: utter_insurance_cost: cites 'nci-cryosurgery', "
            "whose page does not cover insurance_cost (its topics in seeds/sources.yml)"
            in _problems(content_copy))


def test_a_red_flag_with_no_source(content_copy: Path) -> None:
    path = content_copy / "intents" / "red_flags.yml"
    fever = _line_of(path, "- name: fever")
    _set_line(path, fever + 3, "    sources: []")
    assert (f"intents/red_flags.yml:{fever}: red flag 'fever' has no source; cite the pages that "
            "name this sign (seeds/sources.yml)") in _problems(content_copy)


def test_a_red_flag_citing_a_page_that_does_not_name_it(content_copy: Path) -> None:
    path = content_copy / "intents" / "red_flags.yml"
    chest = _line_of(path, "- name: chest_pain")
    _set_line(path, chest + 3, "    sources: [cleveland-cryoablation]")
    assert (f"intents/red_flags.yml:{chest}: red flag 'chest_pain' cites 'cleveland-cryoablation', "
            "whose page does not cover it (its topics in seeds/sources.yml)") in _problems(content_copy)


def test_a_review_older_than_the_source_interval(content_copy: Path) -> None:
    # The NCI page is re-read every 91 days; the Cleveland Clinic's every 365.
    later = TODAY + dt.timedelta(days=92)
    problems = _problems(content_copy, later)
    path = content_copy / "responses" / "knowledge.yml"
    line = _line_of(path, "- text: >-", after="utter_insurance_cost:")
    assert (f"responses/knowledge.yml:{line}: utter_insurance_cost: reviewed 2026-12-06, over 91 "
            "days ago for 'nci-cryosurgery' (due 2027-03-07); re-read it against the page and "
            "update reviewed") in problems
    assert not any("'cleveland-cryoablation' (due" in p for p in problems)


def test_an_answer_reviewed_before_its_page_changed(content_copy: Path) -> None:
    _replace(content_copy / "seeds" / "sources.yml", "reviewed: 2025-12-30", "reviewed: 2026-12-20")
    problems = _problems(content_copy, dt.date(2026, 12, 21))
    assert any(p.endswith("utter_insurance_cost: reviewed 2026-12-06, before 'nci-cryosurgery' "
                          "changed (2026-12-20); re-read it against the page") for p in problems)


def test_a_temperature_in_one_unit_only(content_copy: Path) -> None:
    path = content_copy / "responses" / "safety.yml"
    _replace(path, "goes above {fever_line_f}°F ({fever_line_c}°C).\n      metadata:\n"
             "        sources: [cleveland-cryoablation, cdc-chemo-infections]\n        reviewed: "
             "2026-12-06\n        claims:\n          cleveland-cryoablation#when-to-call: \"call for "
             "a fever over the line\"\n          cdc-chemo-infections#watch-fever: \"feeling",
             "goes above {fever_line_f}°F, or stays at 38 °C.\n      metadata:\n"
             "        sources: [cleveland-cryoablation, cdc-chemo-infections]\n        reviewed: "
             "2026-12-06\n        claims:\n          cleveland-cryoablation#when-to-call: \"call for "
             "a fever over the line\"\n          cdc-chemo-infections#watch-fever: \"feeling")
    line = _line_of(path, "If you feel hot or have chills", after="utter_no_thermometer:") - 1
    problems = _problems(content_copy)
    assert (f"responses/safety.yml:{line}: utter_no_thermometer: temperature '{{fever_line_f}}°F' "
            "in °F only; give both units, like {fever_line_f}°F ({fever_line_c}°C)") in problems
    assert any(p.startswith(f"responses/safety.yml:{line}: utter_no_thermometer: temperature "
                            "'38 °C' in °C only") for p in problems)


def test_a_claim_must_name_a_section_of_a_cited_source(content_copy: Path) -> None:
    path = content_copy / "responses" / "knowledge.yml"
    _replace(path, "nci-cryosurgery#drawbacks: \"long-term value",
             "nci-cryosurgery#costs: \"long-term value")
    _replace(path, "          cleveland-cryoablation#success:",
             "          mesothelioma-cryotherapy#facts: \"an extra claim\"\n"
             "          cleveland-cryoablation#success:")
    costs = _line_of(path, "nci-cryosurgery#costs")
    extra = _line_of(path, "mesothelioma-cryotherapy#facts: \"an extra claim\"")
    effectiveness = _line_of(path, "- text: >-", after="mesothelioma-cryotherapy#facts: \"an extra")
    problems = _problems(content_copy)
    assert any(p.startswith(f"responses/knowledge.yml:{costs}: utter_insurance_cost: "
                            "nci-cryosurgery has no section 'costs'") for p in problems)
    assert extra > 0 and any(
        "utter_effectiveness: a claim rests on 'mesothelioma-cryotherapy', which metadata.sources "
        "does not cite" in p for p in problems), (effectiveness, problems)
