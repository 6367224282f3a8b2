"""Response templates to reply text: pick the variant for the chat, fill placeholders, cite."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.config import Settings
from bot.content.model import Button, Content

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reply:
    """One message for the patient (or the nurses), channel-neutral."""

    text: str
    buttons: tuple[Button, ...] = ()
    response: str = ""
    sources: tuple[str, ...] = ()


_SPANISH_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                   "septiembre", "octubre", "noviembre", "diciembre")


class _Values(dict[str, str]):
    def __missing__(self, key: str) -> str:
        logger.warning("no value for placeholder {%s}", key)
        return ""


class Responder:
    """Renders named responses with the clinic's settings and the chat's slots."""

    def __init__(self, content: Content, settings: Settings) -> None:
        self.content = content
        self._clinic = settings.placeholders()

    def render(
        self, name: str, slots: Mapping[str, Any], values: Mapping[str, Any] | None = None
    ) -> Reply:
        """The reply a response gives in this chat; `values` fill its placeholders."""
        given = {k: str(v) for k, v in (values or {}).items() if v is not None}
        chosen = {**slots, **({"site": given["site"]} if "site" in given else {})}
        variant = self.content.response(name).pick(chosen)
        text = variant.text.format_map(_Values({**self._clinic, **given}))
        if variant.sources:
            text = f"{text}\n\n{self.citation(variant.sources, chosen.get('lang') == 'es')}"
        buttons = tuple(Button(b.title.format_map(_Values(self._clinic)), b.payload) for b in variant.buttons)
        return Reply(text, buttons, name, variant.sources)

    def citation(self, source_ids: tuple[str, ...], spanish: bool = False) -> str:
        """The line that says which reviewed pages an answer rests on."""
        names = [self.content.sources[s].short_name for s in source_ids]
        label = ("Fuente" if spanish else "Source") + ("" if len(names) == 1 else "s")
        return f"{label}: {'; '.join(names)} [{', '.join(source_ids)}]"

    def sources_list(self, spanish: bool = False) -> str:
        """Every source with its publisher and review date, one per line."""
        lines = []
        for source in self.content.sources.values():
            where = f" {source.url}" if source.url else ""
            day = source.reviewed
            reviewed = (f"Revisada el {day.day} de {_SPANISH_MONTHS[day.month - 1]} de {day.year}" if spanish
                        else f"Reviewed {day:%B %-d, %Y}")
            lines.append(f"- {source.title}, {source.publisher}. {reviewed}.{where} [{source.id}]")
        return "\n".join(lines)
