"""The Rasa export: a consistent project whose responses say what the built-in engine says."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import Settings
from bot.content import catalog
from bot.content.model import Content, button_intent
from bot.dialogue.actions import action_names
from bot.dialogue.respond import Responder
from bot.engine import Engine, Incoming
from bot.rasa.export import RASA_FALLBACK_INTENT, export

Project = dict[str, Any]


def rasa_text(domain: Mapping[str, Any], response: str, slots: Mapping[str, Any],
              values: Mapping[str, Any]) -> str:
    """The text Rasa 3.6 shows for a response: its variant choice and {placeholder} filling.

    Mirrors rasa.core.nlg: a variant whose slot conditions all hold, else the one without
    conditions; placeholders come from the slots, overridden by what the action passed.
    """
    variants = domain["responses"][response]
    matching = [v for v in variants if v.get("condition") and all(
        slots.get(c["name"]) == c["value"] for c in v["condition"])]
    variant = (matching or [v for v in variants if not v.get("condition")])[0]
    filling = {**slots, **values}
    return re.sub(r"{([^\n{}]+?)}", lambda m: str(filling[m[1]]), variant["text"])


def read_project(folder: Path) -> Project:
    return {name: yaml.safe_load((folder / name).read_text(encoding="utf-8")) for name in
            ("config.yml", "domain.yml", "data/nlu.yml", "data/rules.yml", "endpoints.yml")}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, content: Content, settings: Settings) -> Project:
    folder = tmp_path_factory.mktemp("rasa")
    export(content, settings, folder)
    return read_project(folder)


def _example_count(examples: str) -> int:
    return sum(1 for line in examples.splitlines() if line.strip().startswith("- "))


def test_every_intent_has_its_examples_and_answer(project: Project, content: Content) -> None:
    domain, nlu = project["domain.yml"], project["data/nlu.yml"]["nlu"]
    trained = {item["intent"]: _example_count(item["examples"]) for item in nlu if "intent" in item}
    assert set(domain["intents"]) == set(trained) == set(catalog.ALL_INTENTS)
    assert trained == {name: len(intent.examples) for name, intent in content.intents.items()}
    for intent in domain["intents"]:
        assert catalog.utter_name(intent) in domain["responses"]


def test_synonyms_and_lookups_go_along_but_not_the_red_flag_lexicon(project: Project) -> None:
    kinds = {kind for item in project["data/nlu.yml"]["nlu"] for kind in item if kind != "examples"}
    assert kinds == {"intent", "synonym", "lookup"}
    assert "red_flags" not in yaml.safe_dump(project["data/nlu.yml"])


def test_every_rule_triages_then_answers_with_named_actions(project: Project) -> None:
    domain, rules = project["domain.yml"], project["data/rules.yml"]["rules"]
    assert domain["actions"] == action_names() == ["action_triage", "action_answer"]
    ruled = {}
    for rule in rules:
        intent, *actions = rule["steps"]
        ruled[intent["intent"]] = [step["action"] for step in actions]
    assert set(ruled) == {*domain["intents"], RASA_FALLBACK_INTENT}
    assert all(actions == domain["actions"] for actions in ruled.values())


def test_entities_and_slots_cover_what_data_buttons_and_actions_use(project: Project) -> None:
    domain = project["domain.yml"]
    annotated = {name for item in project["data/nlu.yml"]["nlu"] if "intent" in item
                 for name in re.findall(r"\]\((\w+)[):]", item["examples"])}
    assert annotated == {"site"}
    assert set(domain["entities"]) == {"site", "thermometer", "sign"}
    for variants in domain["responses"].values():
        for button in (b for v in variants for b in v.get("buttons", [])):
            target = button_intent(button["payload"])
            assert target is not None and target[0] in domain["intents"], button
            assert set(target[1]) <= set(domain["entities"]), button
    assert {"site", "awaiting", "triage_level", "triage_answered", "alert_id"} <= set(domain["slots"])
    assert all(slot["mappings"] == [{"type": "custom"}] for slot in domain["slots"].values())


async def test_every_slot_the_engine_keeps_is_a_domain_slot(project: Project, engine: Engine) -> None:
    outcomes = [await engine.enroll("chat-1", "prostate", "2026-11-02", "Pat Doe")]
    for text in ("I think I have a fever", "102.5", "what if there is pus at the needle site",
                 "when can I shower", "i had it on my liver"):
        outcomes.append(await engine.handle(Incoming("chat-1", text=text)))
    kept = {name for outcome in outcomes for name in outcome.slots}
    assert {"site", "patient_name", "awaiting", "triage_level", "sign_mentioned"} <= kept
    assert kept <= set(project["domain.yml"]["slots"])


def test_responses_carry_the_clinic_settings_and_leave_action_values_to_rasa(
    project: Project, settings: Settings,
) -> None:
    responses = project["domain.yml"]["responses"]
    urgent = responses["utter_urgent"][-1]["text"]  # the default (English) variant is the last
    assert urgent.startswith(f"Call your care team now: {settings.care_team_phone}.")
    assert "{red_flags}" in urgent
    left = {name for variants in responses.values() for v in variants
            for name in re.findall(r"{(\w+)}", v["text"])}
    assert left
    assert not left & set(settings.placeholders())
    assert left <= catalog.PLACEHOLDERS


def test_knowledge_answers_end_with_the_citation(project: Project, content: Content,
                                                 settings: Settings) -> None:
    responder = Responder(content, settings)
    for name in map(catalog.utter_name, catalog.KNOWLEDGE_INTENTS):
        for exported, variant in zip(project["domain.yml"]["responses"][name],
                                     content.response(name).variants, strict=True):
            spanish = variant.condition.get("lang") == "es"
            citation = responder.citation(variant.sources, spanish)
            assert citation.startswith("Fuente" if spanish else "Source")
            assert exported["text"].endswith(f"\n\n{citation}")
            assert exported["metadata"] == {"sources": list(variant.sources)}


@pytest.mark.parametrize("site", [None, *catalog.SITES])
def test_rasa_says_what_our_renderer_says_for_every_response(
    project: Project, content: Content, settings: Settings, site: str | None,
) -> None:
    responder = Responder(content, settings)
    # What the actions pass: a sample for each value they fill, and the site they answer for.
    action_values = {name: f"<{name}>" for name in catalog.PLACEHOLDERS - set(settings.placeholders())}
    values = {**action_values, "site": site or "<site>"}
    slots = {"site": site}
    for name in content.responses:
        ours = responder.render(name, slots, values).text
        assert rasa_text(project["domain.yml"], name, slots, values) == ours, name


def test_config_uses_the_clinic_threshold_and_the_rule_policy(
    tmp_path: Path, content: Content,
) -> None:
    export(content, Settings(nlu_threshold=0.45), tmp_path, "http://actions:5055/webhook", epochs=7)
    project = read_project(tmp_path)
    pipeline = {step["name"]: step for step in project["config.yml"]["pipeline"]}
    assert pipeline["FallbackClassifier"]["threshold"] == 0.45
    assert pipeline["DIETClassifier"]["epochs"] == 7
    assert project["config.yml"]["policies"] == [{"name": "RulePolicy"}]
    assert project["endpoints.yml"] == {"action_endpoint": {"url": "http://actions:5055/webhook"}}


def test_export_rasa_command_writes_the_project(tmp_path: Path) -> None:
    target = tmp_path / "rasa project"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "export-rasa", str(target)], capture_output=True, text=True,
        cwd=tmp_path, timeout=60, env={**os.environ, "CARE_TEAM_PHONE": "+1 555 0199"},
    )
    assert result.returncode == 0, result.stderr
    written = {Path(line).relative_to(target).as_posix() for line in result.stdout.splitlines()}
    assert written == {"config.yml", "domain.yml", "data/nlu.yml", "data/rules.yml",
                       "endpoints.yml", "credentials.yml"}
    domain = yaml.safe_load((target / "domain.yml").read_text(encoding="utf-8"))
    assert "+1 555 0199" in domain["responses"]["utter_call"][0]["text"]


def test_spanish_variants_are_conditioned_on_the_lang_slot(project: Project) -> None:
    (spanish, english) = project["domain.yml"]["responses"]["utter_urgent"]
    assert spanish["condition"] == [{"type": "slot", "name": "lang", "value": "es"}]
    assert spanish["text"].startswith("Llame ahora") and "Fuentes:" in spanish["text"]
    assert "condition" not in english
    assert "lang" in project["domain.yml"]["slots"]
