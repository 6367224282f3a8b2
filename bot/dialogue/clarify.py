"""A close call: when the two best intents are near, ask which one was meant with two buttons."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from bot.content import catalog
from bot.content.model import Content

logger = logging.getLogger(__name__)

CLARIFY_RESPONSE = "utter_clarify"
# The second intent is this close to the first (in confidence): asking beats guessing.
# Chosen on cross-validation over intents/ (`python -m bot eval`): see README.
CLOSE_CALL = 0.25


def close_call(message: Mapping[str, Any]) -> tuple[str, str] | None:
    """The two topics to ask about, when the message's intent ranking has them close together."""
    ranking = message.get("intent_ranking") or []
    if len(ranking) < 2:
        return None
    (first, p1), (second, p2) = ((r.get("name"), r.get("confidence") or 0.0) for r in ranking[:2])
    topics = set(catalog.KNOWLEDGE_INTENTS)
    if first in topics and second in topics and p1 - p2 < CLOSE_CALL:
        return str(first), str(second)
    return None


def choice_buttons(content: Content, pair: tuple[str, str], site: str | None,
                   slots: Mapping[str, Any]) -> list[dict[str, str]]:
    """The two buttons, titled as the clarify response titles them in the chat's language, carrying
    the site named."""
    titles = {b.payload: b.title for b in content.response(CLARIFY_RESPONSE).pick(slots).buttons}
    extra = json.dumps({"site": site}, separators=(",", ":")) if site else ""
    return [{"title": titles[f"/{intent}"], "payload": f"/{intent}{extra}"} for intent in pair]
