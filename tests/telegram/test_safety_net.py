"""The safety net over the local Bot API: a symptom with no known flag, the checklist, a tap, the nurses."""

from __future__ import annotations

from pathlib import Path

from bot.content.model import Content
from bot.understanding.nlu import Classifier
from tests.telegram.world import PATIENT, buttons, running_bot


async def test_the_checklist_walked_on_telegram(tmp_path: Path, content: Content,
                                                classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        (checklist,) = await world.say(PATIENT, "something feels wrong with my husband tonight")
        assert checklist["text"].startswith("I am a bot, so I cannot tell how serious this is.")
        assert buttons(checklist) == ["Trouble breathing", "Chest pain", "Heavy bleeding",
                                      "Fainting or confusion", "Fever over 101°F / 38.3°C",
                                      "Pus or cloudy, smelly fluid", "None of these"]
        (reply,) = await world.press(PATIENT, checklist, "Chest pain")
        assert reply["text"].startswith("Call 911 now.")
        (alert,) = await world.alerts(1)
        assert alert["text"].startswith("EMERGENCY") and "chest pain" in alert["text"]
        told = "something feels wrong with my husband tonight (checklist: chest pain)"
        assert told in alert["text"]
