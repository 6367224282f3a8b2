"""A Spanish-speaking patient's whole conversation over the local Bot API, and a message in French."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.content.model import Content
from bot.understanding.nlu import Classifier
from tests.conftest import PHONE
from tests.telegram.world import NURSES, buttons, running_bot, texts

ANA, LUC = 2001, 2002


async def test_a_spanish_speaker_from_link_to_checkin_is_answered_in_spanish_and_the_nurses_in_english(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        world.server.add_user(ANA, "Ana", "López", language_code="es-MX")
        # The world's clock is 2026-11-21 09:00: this link's procedure is today, its day-1 check-in tomorrow.
        (welcome,) = await world.say(ANA, "/start kidney_20261121")
        assert welcome["text"].startswith("Hola") and PHONE in welcome["text"]

        (answer, *_) = await world.say(ANA, "¿cuánto tiempo dura la recuperación?")
        assert "se van a casa el mismo día" in answer["text"] and "Fuentes:" in answer["text"]
        assert "Cuándo llamar" in buttons(answer)

        (urgent,) = await world.say(ANA, "tengo 39,2 de fiebre y escalofríos")
        assert urgent["text"].startswith("Llame ahora a su equipo de atención") and PHONE in urgent["text"]
        assert "Ya avisé a las enfermeras" in urgent["text"]
        (alert,) = await world.alerts(1)
        assert alert["text"].startswith("URGENT: Ana López")
        assert "a fever (39.2°C)" in alert["text"]
        assert "tengo 39,2 de fiebre y escalofríos [written in Spanish]" in alert["text"]

        world.clock.now += dt.timedelta(days=1)
        checkin = (await world.server.wait_for_messages(ANA, 4))[3]
        assert checkin["text"].startswith("Día 1 después de su crioterapia: ¿cómo se siente hoy?")
        assert buttons(checkin) == ["Estoy bien", "No tan bien", "Tengo una pregunta"]
        (fine,) = await world.press(ANA, checkin, "Estoy bien")
        assert fine["text"].startswith("Qué bueno.")


async def test_a_french_message_over_telegram_gets_the_note_in_english_and_spanish(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        world.server.add_user(LUC, "Luc", "Martin", language_code="fr")
        (note,) = texts(await world.say(LUC, "Bonjour, est-ce que je peux prendre une douche ?"))
        assert note.startswith("Sorry, I can only read English and Spanish.")
        assert "Lo siento, solo puedo leer inglés y español." in note
        assert note.count(PHONE) == 2 and note.count("911") == 2
        assert world.server.sent(NURSES) == []  # no alert: nothing to triage
