"""The content loader: the shipped content is whole, and broken files name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import catalog
from bot.content.loader import load_content
from bot.content.model import Content, button_intent, normalize_example
from bot.content.yamlfile import ContentError


def test_every_catalog_intent_is_defined_and_answered(content: Content) -> None:
    for intent in catalog.ALL_INTENTS:
        assert intent in content.intents
        assert catalog.utter_name(intent) in content.responses


def test_knowledge_intents_have_at_least_twenty_examples(content: Content) -> None:
    for intent in catalog.KNOWLEDGE_INTENTS:
        assert len(content.intents[intent].examples) >= 20, intent


def test_no_example_in_two_intents(content: Content) -> None:
    seen: dict[str, str] = {}
    for intent in content.intents.values():
        for example in intent.examples:
            key = normalize_example(example.text)
            assert seen.setdefault(key, intent.name) == intent.name, example.text


def test_every_knowledge_answer_cites_registered_sources(content: Content) -> None:
    for intent in catalog.KNOWLEDGE_INTENTS:
        for variant in content.responses[catalog.utter_name(intent)].variants:
            assert variant.sources
            assert set(variant.sources) <= set(content.sources)


def test_side_effects_differ_by_treated_site(content: Content) -> None:
    response = content.responses["utter_side_effects"]
    texts = {site: response.pick({"site": site}).text for site in ("prostate", "liver", "skin")}
    assert len(set(texts.values())) == 3
    assert "prostate" in texts["prostate"].lower()


def test_site_annotations_become_entities(content: Content) -> None:
    annotated = [e for i in content.intents.values() for x in i.examples for e in x.entities]
    assert {e.value for e in annotated if e.entity == "site"} >= {"prostate", "liver", "lung"}


def test_examples_keep_their_line_numbers(content: Content) -> None:
    example = content.intents["greet"].examples[0]
    lines = (content.root / example.where.file).read_text().splitlines()
    assert example.text in lines[example.where.line - 1]


def test_sources_registry_has_the_four_pages_and_the_public_safety_pages(content: Content) -> None:
    assert {"nci-cryosurgery", "cleveland-cryoablation", "cancer-center-cryotherapy",
            "mesothelioma-cryotherapy"} <= set(content.sources)
    assert {"nhs-stroke", "nhs-anaphylaxis", "medlineplus-emergency", "medlineplus-collapsed-lung",
            "medlineplus-fractures", "cdc-chemo-infections", "lifeline-988"} <= set(content.sources)
    assert content.sources["nci-cryosurgery"].reviewed.isoformat() == "2025-12-30"
    assert "side-effects" in content.sources["nci-cryosurgery"].sections
    assert "side_effects" in content.sources["cleveland-cryoablation"].topics


def _problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as error:
        load_content(root)
    return [str(p) for p in error.value.problems]


def test_yaml_syntax_error_names_file_and_line(content_copy: Path) -> None:
    path = content_copy / "intents" / "conversation.yml"
    lines = path.read_text().splitlines()
    lines[5] = "  examples: : : ["
    path.write_text("\n".join(lines))
    problems = _problems(content_copy)
    assert any(p.startswith("intents/conversation.yml:6") and "YAML syntax" in p for p in problems)


def test_duplicate_example_across_intents(content_copy: Path) -> None:
    path = content_copy / "intents" / "conversation.yml"
    text = path.read_text().replace("examples: |\n", "examples: |\n    - What Is Cryotherapy??\n", 1)
    path.write_text(text)
    (content_copy / "intents" / "extra.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet2\n  examples: |\n    - what is cryotherapy\n')
    problems = _problems(content_copy)
    assert any("duplicate example" in p and p.startswith("intents/") for p in problems)


def test_missing_catalog_intent_is_reported(content_copy: Path) -> None:
    path = content_copy / "intents" / "knowledge.yml"
    path.write_text(path.read_text().replace("- intent: catheter", "- intent: catheter_x"))
    problems = _problems(content_copy)
    assert any("'catheter' from the catalog is not defined" in p for p in problems)
    assert any("catheter_x" in p and "has no response" in p for p in problems)


def test_unknown_source_and_placeholder_name_the_line(content_copy: Path) -> None:
    path = content_copy / "responses" / "conversation.yml"
    path.write_text(path.read_text() + (
        "  utter_extra:\n"
        "    - text: Call {nurse_phone} now.\n"
        "      metadata:\n"
        "        sources: [made-up-source]\n"))
    problems = _problems(content_copy)
    line = len(path.read_text().splitlines()) - 2
    assert f"responses/conversation.yml:{line}: utter_extra: unknown placeholder {{nurse_phone}}" \
        in problems
    assert any("unknown source id 'made-up-source'" in p for p in problems)


def test_button_payload_over_64_bytes(content_copy: Path) -> None:
    path = content_copy / "responses" / "conversation.yml"
    path.write_text(path.read_text().replace('payload: "/affirm"', f'payload: "/affirm{"x" * 70}"'))
    assert any("over Telegram's 64 bytes" in p for p in _problems(content_copy))


def test_red_flag_pattern_that_does_not_compile(content_copy: Path) -> None:
    path = content_copy / "intents" / "red_flags.yml"
    path.write_text(path.read_text().replace("      - choking\n", "      - (choking\n"))
    problems = _problems(content_copy)
    assert any(p.startswith("intents/red_flags.yml:") and "does not compile" in p
               for p in problems)


def test_a_spanish_pattern_that_does_not_compile_names_its_line(content_copy: Path) -> None:
    path = content_copy / "intents" / "red_flags.yml"
    text = path.read_text()
    line = text.splitlines().index("      - ictericia") + 1
    path.write_text(text.replace("      - ictericia\n", "      - (ictericia\n"))
    assert any(p.startswith(f"intents/red_flags.yml:{line}:") and "does not compile" in p
               for p in _problems(content_copy))


def test_calm_contexts_must_map_kinds_to_patterns(content_copy: Path) -> None:
    path = content_copy / "intents" / "red_flags.yml"
    path.write_text(path.read_text().replace("\ncontext:\n  not_body:\n", "\ncontext:\n- not_body:\n", 1))
    assert any("`context:` must map each kind" in p for p in _problems(content_copy))


def test_a_calm_kind_triage_reads_by_name_must_be_there(content_copy: Path) -> None:
    # Renamed, "mild" would become a plain calm kind and calm the signs it only softens.
    path = content_copy / "intents" / "red_flags.yml"
    path.write_text(path.read_text().replace("\n  mild:\n", "\n  mildness:\n", 1))
    assert any(p.startswith("intents/red_flags.yml:") and "no kind 'mild'" in p
               for p in _problems(content_copy))


@pytest.mark.parametrize(("scope", "problem"), [
    ("  hot_flash: [fever, fevr]\n", "unknown red flag 'fevr'"),
    ("  not_blod: [bleeding]\n", "unknown calm kind 'not_blod'"),
])
def test_a_calm_kind_is_scoped_to_known_signs_only(content_copy: Path, scope: str, problem: str) -> None:
    path = content_copy / "intents" / "red_flags.yml"
    text = path.read_text()
    path.write_text(text.replace("\ncalms_only:\n", f"\ncalms_only:\n{scope}", 1))
    assert any(p.startswith("intents/red_flags.yml:") and problem in p for p in _problems(content_copy))


def test_a_pattern_in_both_languages_lists_is_refused(content_copy: Path) -> None:
    # Read with Spanish alone, a pattern copied into `patterns_es` would be lost to English messages.
    path = content_copy / "intents" / "red_flags.yml"
    text = path.read_text()
    path.write_text(text.replace("      - '(fistula)'\n", "      - fistula\n", 1))
    assert any("is in `patterns` and another language's list" in p for p in _problems(content_copy))


def test_the_symptom_report_corpus_needs_both_blocks(content_copy: Path) -> None:
    path = content_copy / "intents" / "symptom_reports.yml"
    path.write_text(path.read_text().replace("not_reports: |", "others: |"))
    assert any(p.startswith("intents/symptom_reports.yml:") and "not_reports" in p
               for p in _problems(content_copy))


def test_the_severity_corpus_needs_its_three_levels(content_copy: Path) -> None:
    path = content_copy / "intents" / "severity.yml"
    path.write_text(path.read_text().replace("\nurgent: |", "\nurgnet: |"))
    assert any(p.startswith("intents/severity.yml:") and "`urgent: |`" in p for p in _problems(content_copy))


def test_a_bad_severity_line_names_its_line(content_copy: Path) -> None:
    path = content_copy / "intents" / "severity.yml"
    lines = path.read_text().splitlines()
    line = lines.index("calm: |") + 2
    lines[line] = "  just some words without the dash"
    path.write_text("\n".join(lines) + "\n")
    assert any(p.startswith(f"intents/severity.yml:{line + 1}:") and "must start with '- '" in p
               for p in _problems(content_copy))


def test_a_vague_report_rule_needs_both_lists(content_copy: Path) -> None:
    path = content_copy / "intents" / "red_flags.yml"
    path.write_text(path.read_text().replace("      detailed:\n", "      detail:\n", 1))
    assert any(p.startswith("intents/red_flags.yml:") and "asked_if_vague needs" in p
               for p in _problems(content_copy))


def test_a_heavier_form_names_signs_that_exist(content_copy: Path) -> None:
    path = content_copy / "intents" / "red_flags.yml"
    path.write_text(path.read_text().replace("signs: [bleeding,", "signs: [bleedin,", 1))
    assert any(p.startswith("intents/red_flags.yml:") and "unknown red flag 'bleedin'" in p
               for p in _problems(content_copy))


def test_unknown_site_in_an_annotation(content_copy: Path) -> None:
    path = content_copy / "intents" / "knowledge.yml"
    path.write_text(path.read_text().replace("[prostate](site)", "[pancreas](site)", 1))
    assert any("unknown site 'pancreas'" in p for p in _problems(content_copy))


@pytest.mark.parametrize(("payload", "expected"), [
    ("/side_effects", ("side_effects", {})),
    ('/report_symptom{"thermometer":"none"}', ("report_symptom", {"thermometer": "none"})),
    ("side_effects", None),
    ('/x{"a": [1]}', None),
    ("/x{not json}", None),
])
def test_button_payloads_are_parsed_strictly(payload: str, expected: object) -> None:
    assert button_intent(payload) == expected


def test_a_bad_spanish_pattern_is_reported_once(content_copy: Path) -> None:
    path = content_copy / "intents" / "red_flags.yml"
    path.write_text(path.read_text().replace("      - ictericia\n", "      - (ictericia\n"))
    assert sum("(ictericia" in p for p in _problems(content_copy)) == 1
