"""Webhook mode over HTTP: Telegram's POSTs with the secret header, 403 without it, the health check."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiohttp import ClientSession
from prometheus_client.parser import text_string_to_metric_families

from bot.content.model import Content
from bot.telegram.webhook import SECRET_HEADER, webhook_path
from bot.understanding.nlu import Classifier
from tests.telegram.world import NURSES, PATIENT, SECRET, free_port, running_bot


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


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


async def test_metrics_count_updates_triage_and_the_alert_outbox(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier, "webhook", metrics_token="scrape-me") as world, \
            ClientSession(headers={"Authorization": "Bearer scrape-me"}) as http:
        metrics = world.settings.webhook_url.replace("/telegram", "/metrics")
        async with http.get(metrics) as response:
            before = _samples(await response.text())
        world.server.fail("sendMessage", chat_id=NURSES, status=500, times=1000)  # alert stays pending
        await world.say(PATIENT, "what is cryoablation")
        await world.say(PATIENT, "my temp is 102.5")
        await world.server.wait_for(lambda: world.server.calls_to("sendMessage")[-1].status == 500)
        await asyncio.sleep(0.2)  # the failed send is recorded just after Telegram's answer
        async with http.get(metrics) as response:
            assert response.headers["Content-Type"].startswith("text/plain")
            after = _samples(await response.text())

    def grew(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert grew("cryo_updates_total", result="done") == 2
    assert grew("cryo_reply_latency_seconds_count") == 2
    assert grew("cryo_triage_total", level="urgent") == 1
    assert grew("cryo_triage_total", level="none") == 1
    assert after[("cryo_alerts_pending", ())] == 1
    assert grew("cryo_alerts_failed_total") >= 1


async def test_metrics_need_their_token_on_the_webhook_port_or_a_port_of_their_own(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier, "webhook") as world, ClientSession() as http, \
            http.get(world.settings.webhook_url.replace("/telegram", "/metrics")) as response:
        assert response.status == 404
    port = free_port()
    (tmp_path / "2").mkdir()
    async with running_bot(tmp_path / "2", content, classifier, "webhook", metrics_token="t0k",
                           metrics_port=port) as world, ClientSession() as http:
        public = world.settings.webhook_url.replace("/telegram", "/metrics")
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            async with http.get(public, headers=headers) as response:
                assert response.status == 401
        async with http.get(public, headers={"Authorization": "Bearer t0k"}) as response:
            assert response.status == 200 and "cryo_updates_total" in await response.text()
        async with http.get(f"http://127.0.0.1:{port}/metrics",
                            headers={"Authorization": "Bearer t0k"}) as response:
            assert response.status == 200


@pytest.mark.parametrize("body", [b"[]", b"null", b'"update"', b"42", b"{}", b'{"update_id": "7"}',
                                  b'{"update_id": 1000000000000000000000000000000}', b'{"update_id": -1}',
                                  b'{"update_id": 5, "message": 3}'])
async def test_a_body_that_is_not_an_update_gets_400(
        tmp_path: Path, content: Content, classifier: Classifier, body: bytes) -> None:
    headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
    async with running_bot(tmp_path, content, classifier, "webhook") as world, ClientSession() as http, \
            http.post(world.settings.webhook_url, data=body, headers=headers) as response:
        assert response.status == 400
