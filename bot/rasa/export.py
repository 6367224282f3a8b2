"""Our content as a Rasa 3.x project whose rules call our actions (`python -m bot export-rasa DIR`)."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.config import Settings
from bot.content.model import NOT_NLU_FILES, Content, Variant, button_intent
from bot.dialogue.actions import SLOTS, action_names
from bot.dialogue.respond import Responder

logger = logging.getLogger(__name__)

RASA_FORMAT = "3.1"
DEFAULT_ACTION_URL = "http://localhost:5055/webhook"
DEFAULT_EPOCHS = 100
# Rasa's intent for a message its NLU is unsure of; our actions answer it as out_of_scope.
RASA_FALLBACK_INTENT = "nlu_fallback"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def export(
    content: Content, settings: Settings, target: Path,
    action_url: str = DEFAULT_ACTION_URL, epochs: int = DEFAULT_EPOCHS,
) -> list[Path]:
    """Write the Rasa project into `target`; returns the files written."""
    files = {
        "config.yml": config(settings, epochs),
        "domain.yml": domain(content, settings),
        "data/nlu.yml": nlu_data(content),
        "data/rules.yml": rules(content),
        "endpoints.yml": {"action_endpoint": {"url": action_url}},
        "credentials.yml": {"rest": None},
    }
    written = []
    for name, data in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_dump(data), encoding="utf-8")
        written.append(path)
    logger.info("wrote the Rasa project to %s", target)
    return written


def config(settings: Settings, epochs: int = DEFAULT_EPOCHS) -> dict[str, Any]:
    """A pipeline for our data (intents and the site entity) and the rule policy."""
    return {
        "recipe": "default.v1",
        "assistant_id": "cryo-companion",
        "language": "en",
        "pipeline": [
            {"name": "WhitespaceTokenizer"},
            {"name": "RegexFeaturizer"},
            {"name": "LexicalSyntacticFeaturizer"},
            {"name": "CountVectorsFeaturizer"},
            {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
            {"name": "DIETClassifier", "epochs": epochs, "constrain_similarities": True},
            {"name": "EntitySynonymMapper"},
            # Below our threshold Rasa says nlu_fallback, which our actions answer as out_of_scope.
            {"name": "FallbackClassifier", "threshold": settings.nlu_threshold},
        ],
        "policies": [{"name": "RulePolicy"}],
    }


def domain(content: Content, settings: Settings) -> dict[str, Any]:
    """Intents, entities, slots, responses (as our renderer would say them) and our actions."""
    responder = Responder(content, settings)
    clinic = settings.placeholders()
    return {
        "version": RASA_FORMAT,
        "intents": list(content.intents),
        "entities": entities(content),
        # Only the actions set the slots (custom mappings), and no rule depends on them.
        "slots": {
            name: {"type": kind, "influence_conversation": False, "mappings": [{"type": "custom"}]}
            for name, kind in SLOTS.items()
        },
        "responses": {
            response.name: [_variant(v, clinic, responder) for v in response.variants]
            for response in content.responses.values()
        },
        "actions": action_names(),
        "session_config": {"session_expiration_time": 60, "carry_over_slots_to_new_session": True},
    }


def entities(content: Content) -> list[str]:
    """The entities the training examples annotate and the buttons' payloads carry."""
    annotated = (e.entity for i in content.intents.values() for x in i.examples for e in x.entities)
    payloads = (button_intent(b.payload) for r in content.responses.values()
                for v in r.variants for b in v.buttons)
    carried = (name for target in payloads if target for name in target[1])
    return sorted({*annotated, *carried})


def _variant(variant: Variant, clinic: Mapping[str, str], responder: Responder) -> dict[str, Any]:
    """A response variant with what our renderer adds: clinic settings, then the citation."""
    # The other placeholders stay: Rasa fills them from what the action passes.
    text = _PLACEHOLDER.sub(lambda m: clinic.get(m[1], m[0]), variant.text)
    if variant.sources:
        text = f"{text}\n\n{responder.citation(variant.sources, variant.condition.get('lang') == 'es')}"
    exported: dict[str, Any] = {"text": text}
    if variant.buttons:
        exported["buttons"] = [{"title": b.title, "payload": b.payload} for b in variant.buttons]
    if variant.condition:
        exported["condition"] = [{"type": "slot", "name": name, "value": value}
                                 for name, value in variant.condition.items()]
    if variant.sources:
        exported["metadata"] = {"sources": list(variant.sources)}
    return exported


def nlu_data(content: Content) -> dict[str, Any]:
    """intents/ is Rasa NLU data already: its items (not the red-flag lexicon) in one file."""
    items: list[Any] = []
    for path in sorted((content.root / "intents").glob("*.yml")):
        if path.name not in NOT_NLU_FILES:
            items.extend(yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"])
    return {"version": RASA_FORMAT, "nlu": items}


def rules(content: Content) -> dict[str, Any]:
    """For every intent, and for Rasa's fallback, the turn the engine takes: triage, then answer."""
    steps = [{"action": name} for name in action_names()]
    return {
        "version": RASA_FORMAT,
        "rules": [
            {"rule": f"{intent}: triage, then answer", "steps": [{"intent": intent}, *steps]}
            for intent in [*content.intents, RASA_FALLBACK_INTENT]
        ],
    }


class _Dumper(yaml.SafeDumper):
    """Writes multi-line text as literal blocks, the way Rasa's own files look, and no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _dump(data: Mapping[str, Any]) -> str:
    return yaml.dump(dict(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
