"""The local Bot API server, driven by PTB's own Bot over HTTP: it must answer like Telegram."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter

from tests.conftest import USER
from tests.telegram.botapi import BotApiServer


@pytest.fixture
async def bot(server: BotApiServer) -> AsyncIterator[Bot]:
    async with Bot(server.token, base_url=server.base_url) as client:
        yield client


async def test_get_me_names_the_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "cryo_test_bot", True)


async def test_wrong_token_is_unauthorized(server: BotApiServer) -> None:
    stranger = Bot("999:WRONG", base_url=server.base_url)
    with pytest.raises(InvalidToken, match="rejected"):
        await stranger.initialize()
    await stranger.shutdown()


async def test_get_updates_offset_confirms_what_came_before(server: BotApiServer, bot: Bot) -> None:
    first = server.message(USER, "hello")
    second = server.message(USER, "/start prostate")
    updates = await bot.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [first, second]
    assert updates[1].message.text == "/start prostate"
    assert updates[1].message.entities[0].type == "bot_command"
    again = await bot.get_updates(offset=second, timeout=0)
    assert [u.update_id for u in again] == [second]
    assert await bot.get_updates(offset=second + 1, timeout=0) == ()


async def test_long_poll_returns_as_soon_as_an_update_arrives(server: BotApiServer, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await server.wait_for(lambda: len(server.calls_to("getUpdates")) == 1)
    assert not poll.done()
    update_id = server.message(USER, "are you there?")
    updates = await asyncio.wait_for(poll, 10)
    assert [u.update_id for u in updates] == [update_id]


async def test_long_poll_ends_empty_after_its_timeout(bot: Bot) -> None:
    assert await bot.get_updates(timeout=1) == ()


async def test_a_second_poller_ends_the_first_with_conflict(server: BotApiServer, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=30))
    await server.wait_for(lambda: len(server.calls_to("getUpdates")) == 1)
    async with Bot(server.token, base_url=server.base_url) as other_instance:
        second = asyncio.create_task(other_instance.get_updates(timeout=30))
        with pytest.raises(Conflict):
            await asyncio.wait_for(first, 10)
        server.message(USER, "hi")
        assert len(await asyncio.wait_for(second, 10)) == 1


async def test_send_message_html_is_parsed_and_recorded(server: BotApiServer, bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Side effects", callback_data="/side_effects")]])
    sent = await bot.send_message(USER, "<b>Fever</b> &lt;101&gt;", parse_mode="HTML",
                                  reply_markup=keyboard)
    assert sent.text == "Fever <101>"
    (message,) = server.sent(USER)
    assert message["html"] == "<b>Fever</b> &lt;101&gt;"
    assert message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "/side_effects"


@pytest.mark.parametrize(("text", "error"), [
    ("a < b", "can't parse entities"),
    ("<script>x</script>", "Unsupported start tag"),
    ("<b>open", "Can't find end tag"),
    ("   ", "message text is empty"),
    ("x" * 4097, "message is too long"),
    ("\N{GRINNING FACE}" * 2049, "message is too long"),
])
async def test_send_message_refuses_what_telegram_refuses(bot: Bot, text: str, error: str) -> None:
    with pytest.raises(BadRequest, match=f"(?i){error}"):
        await bot.send_message(USER, text, parse_mode="HTML")


async def test_callback_data_over_64_bytes_is_refused(bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(USER, "pick", reply_markup=keyboard)


async def test_unknown_chat_and_blocked_user(server: BotApiServer, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(4242, "hello")
    server.block(USER)
    with pytest.raises(Forbidden):
        await bot.send_message(USER, "hello")


async def test_edit_message_text_changes_the_message(server: BotApiServer, bot: Bot) -> None:
    sent = await bot.send_message(USER, "first", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("ok", callback_data="ok")]]))
    edited = await bot.edit_message_text("second", chat_id=USER, message_id=sent.message_id)
    assert edited.text == "second"
    (message,) = server.sent(USER)
    assert message["text"] == "second" and "reply_markup" not in message
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("second", chat_id=USER, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("third", chat_id=USER, message_id=999)


async def test_answer_callback_query_once(server: BotApiServer, bot: Bot) -> None:
    sent = await bot.send_message(USER, "pick", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("ok", callback_data="ok")]]))
    server.press(USER, server.sent(USER)[0], "ok")
    (update,) = await bot.get_updates(timeout=0)
    query = update.callback_query
    assert (query.data, query.message.message_id) == ("ok", sent.message_id)
    assert await bot.answer_callback_query(query.id, text="Noted")
    assert server.callback_answers[query.id]["text"] == "Noted"
    with pytest.raises(BadRequest, match=r"(?i)query"):
        await bot.answer_callback_query(query.id)
    with pytest.raises(BadRequest, match=r"(?i)query ID is invalid"):
        await bot.answer_callback_query("999")


async def test_user_actions_arrive_as_telegram_updates(server: BotApiServer, bot: Bot) -> None:
    sent_id = server.message(USER, "I had a fever")
    server.media(USER, "photo", caption="my wound")
    server.media(USER, "voice")
    server.edit(USER, 1, "I had a fever of 102")
    updates = await bot.get_updates(timeout=0)
    assert updates[0].update_id == sent_id
    assert updates[1].message.photo and updates[1].message.caption == "my wound"
    assert updates[2].message.voice
    assert updates[3].edited_message.text == "I had a fever of 102"
    assert updates[3].edited_message.from_user.full_name == "Pat Doe"


async def test_get_chat_member_for_the_nurse_group(server: BotApiServer, bot: Bot) -> None:
    server.add_group(-100, "Nurses", {7: "administrator", 8: "member", 9: "creator", 10: "kicked"})
    statuses = [(await bot.get_chat_member(-100, user)).status for user in (7, 8, 9, 10, 11)]
    assert statuses == ["administrator", "member", "creator", "kicked", "left"]


async def test_429_with_retry_after_on_demand(server: BotApiServer, bot: Bot) -> None:
    server.fail("sendMessage", chat_id=USER, status=429, retry_after=7)
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(USER, "hello")
    assert "Retry in 7 seconds" in str(raised.value)
    assert (await bot.send_message(USER, "hello")).text == "hello"
    assert [c.status for c in server.calls_to("sendMessage")] == [429, 200]


async def test_500_on_demand_for_one_chat_only(server: BotApiServer, bot: Bot) -> None:
    server.add_user(2002, "Sam")
    server.fail("sendMessage", chat_id=USER, status=500, times=2)
    assert (await bot.send_message(2002, "other chat")).text == "other chat"
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.send_message(USER, "hello")
    assert (await bot.send_message(USER, "hello")).text == "hello"


async def test_a_held_request_waits_for_release(server: BotApiServer, bot: Bot) -> None:
    held = server.hold("sendMessage", chat_id=USER)
    sending = asyncio.create_task(bot.send_message(USER, "alert"))
    await asyncio.wait_for(held.arrived.wait(), 10)
    assert server.sent(USER) == [] and not sending.done()
    held.release()
    assert (await asyncio.wait_for(sending, 10)).text == "alert"
    assert server.texts(USER) == ["alert"]


async def test_a_held_request_can_be_dropped(server: BotApiServer, bot: Bot) -> None:
    held = server.hold("sendMessage", chat_id=USER)
    sending = asyncio.create_task(bot.send_message(USER, "alert"))
    await asyncio.wait_for(held.arrived.wait(), 10)
    held.release(deliver=False)
    with pytest.raises(NetworkError):
        await sending
    assert server.sent(USER) == []


class Receiver:
    """A webhook endpoint that answers with the statuses it is told, and keeps what arrived."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.received: list[tuple[int, str | None]] = []

    async def handle(self, request: web.Request) -> web.Response:
        update = await request.json()
        self.received.append((update["update_id"], request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    app = web.Application()
    endpoint = Receiver([500])
    app.router.add_post("/hook", endpoint.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = site._server.sockets[0].getsockname()[:2]  # type: ignore[union-attr]
    yield endpoint, f"http://{host}:{port}/hook"
    await runner.cleanup()


async def test_webhook_delivery_with_secret_and_redelivery(
        server: BotApiServer, bot: Bot, receiver: tuple[Receiver, str]) -> None:
    endpoint, url = receiver
    assert await bot.set_webhook(url, secret_token="s3cret-token_1")
    with pytest.raises(Conflict):
        await bot.get_updates(timeout=0)
    update_id = server.message(USER, "hello")
    await server.wait_for(lambda: not server.pending)
    assert endpoint.received == [(update_id, "s3cret-token_1"), (update_id, "s3cret-token_1")]
    assert server.webhook_deliveries == [(update_id, 500), (update_id, 200)]
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == (url, 0)
    assert "500" in (info.last_error_message or "")


async def test_webhook_keeps_order_within_a_chat(
        server: BotApiServer, bot: Bot, receiver: tuple[Receiver, str]) -> None:
    endpoint, url = receiver
    endpoint.statuses = [500, 500]
    ids = [server.message(USER, f"message {n}") for n in range(3)]
    await bot.set_webhook(url)
    await server.wait_for(lambda: not server.pending)
    delivered = [update_id for update_id, _ in endpoint.received]
    assert delivered == [ids[0], ids[0], ids[0], ids[1], ids[2]]


async def test_delete_webhook_returns_to_polling(
        server: BotApiServer, bot: Bot, receiver: tuple[Receiver, str]) -> None:
    _, url = receiver
    await bot.set_webhook(url)
    assert await bot.delete_webhook()
    update_id = server.message(USER, "polling again")
    assert [u.update_id for u in await bot.get_updates(timeout=0)] == [update_id]


async def test_bad_secret_token_is_refused(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)secret token"):
        await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="has space")
