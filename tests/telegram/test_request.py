"""PTB's calls over our aiohttp transport: answers, errors and timeouts as PTB's own transport gives them."""

from __future__ import annotations

import socket

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.telegram.request import AiohttpRequest
from tests.conftest import USER
from tests.telegram.botapi import BotApiServer


def _bot(server: BotApiServer, **timeouts: float) -> Bot:
    return Bot(server.token, base_url=server.base_url, request=AiohttpRequest(8, **timeouts),
               get_updates_request=AiohttpRequest(**timeouts))


async def test_calls_and_their_fields_arrive_as_with_httpx(server: BotApiServer) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Aftercare", callback_data="/aftercare")]])
    async with _bot(server) as bot:
        assert (await bot.get_me()).username == "cryo_test_bot"
        sent = await bot.send_message(USER, "<b>Hi</b> &amp; bye", parse_mode="HTML", reply_markup=keyboard)
        server.message(USER, "hello")
        (update,) = await bot.get_updates(timeout=1)
    (message,) = server.sent(USER)
    assert (sent.text, message["text"]) == ("Hi & bye", "Hi & bye")
    assert message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "/aftercare"
    assert update.message.text == "hello"


async def test_an_error_answer_is_ptbs_error(server: BotApiServer) -> None:
    async with _bot(server) as bot:
        with pytest.raises(BadRequest):
            await bot.send_message(USER, "")


async def test_a_server_that_does_not_answer_in_time_is_timed_out(server: BotApiServer) -> None:
    held = server.hold("sendMessage", USER)
    async with _bot(server, read_timeout=0.3) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(USER, "anyone there?")
    held.release(deliver=False)


async def test_no_server_is_a_network_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bot = Bot("1:x", base_url=f"http://127.0.0.1:{port}/bot", request=AiohttpRequest())
    with pytest.raises(NetworkError):
        await bot.initialize()  # its first call, getMe
    await bot.shutdown()


async def test_calls_before_initialize_or_after_shutdown_are_refused() -> None:
    request = AiohttpRequest()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/x", "POST")
    await request.initialize()
    await request.shutdown()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/x", "POST")
    assert request.read_timeout == 5.0


async def test_files_go_up_as_multipart_beside_the_fields() -> None:
    received: dict[str, object] = {}

    async def upload(request: web.Request) -> web.Response:
        form = await request.post()
        document = form["document"]
        received.update(chat_id=form["chat_id"], name=document.filename, body=document.file.read())
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/upload", upload)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    data = RequestData([RequestParameter.from_input("chat_id", USER),
                        RequestParameter.from_input("document", InputFile(b"\x89PNG...", filename="qr.png"))])
    try:
        async with AiohttpRequest() as request:
            assert await request.post(f"http://127.0.0.1:{port}/upload", data) is True
    finally:
        await runner.cleanup()
    assert received == {"chat_id": str(USER), "name": "qr.png", "body": b"\x89PNG..."}
