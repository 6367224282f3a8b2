"""Webhook mode over HTTP: Telegram's POSTs with the secret header, 403 without it, the health check."""

from __future__ import annotations

from pathlib import Path

from aiohttp import ClientSession

from bot.content import Content
from bot.nlu import Classifier
from bot.webhook import SECRET_HEADER, webhook_path
from tests.telegram_world import PATIENT, SECRET, running_bot


def test_the_path_comes_from_the_public_url() -> None:
    assert webhook_path("https://bot.example.org/telegram/hook") == "/telegram/hook"
    assert webhook_path("https://bot.example.org") == "/"


async def test_the_secret_token_is_required_and_health_answers(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier, "webhook") as world:
        url = world.settings.webhook_url
        update = {"update_id": 999, "message": {
            "message_id": 1, "date": 0, "text": "hello",
            "chat": {"id": PATIENT, "type": "private"}, "from": {"id": PATIENT, "is_bot": False,
                                                                 "first_name": "Pat"}}}
        async with ClientSession() as http:
            for headers in ({}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: SECRET + "x"}):
                async with http.post(url, json=update, headers=headers) as response:
                    assert response.status == 403
            assert world.server.sent(PATIENT) == []
            async with http.post(url, data=b"{not json", headers={SECRET_HEADER: SECRET}) as response:
                assert response.status == 400
            async with http.post(url, json=update, headers={SECRET_HEADER: SECRET}) as response:
                assert response.status == 200
            assert "bot" in world.server.texts(PATIENT)[0]
            async with http.post(url, json=update, headers={SECRET_HEADER: SECRET}) as response:
                assert response.status == 200, "a repeat is confirmed, not answered again"
            assert len(world.server.texts(PATIENT)) == 1
            health = url.replace("/telegram", "/healthz")
            async with http.get(health) as response:
                assert response.status == 200 and await response.json() == {"status": "ok"}
        assert world.server.webhook["secret_token"] == SECRET
