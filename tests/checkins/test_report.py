"""`python -m bot report`: what the bot could not answer, grouped by the closest intent, without who asked."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from bot.checkins.report import unanswered_report
from bot.config import Settings
from bot.content.model import Content
from bot.engine import Engine, Incoming
from bot.store.connect import SqliteStore
from bot.understanding.nlu import Classifier
from tests.conftest import Clock

QUESTIONS = ["Pat Doe here, what is the wifi password in the waiting room",
             "what is the wifi password in the waiting room", "recommend a good pizza place",
             "what is the wifi password in the waiting room"]


async def test_questions_the_bot_could_not_answer_are_kept_without_chat_or_name_and_grouped(
        tmp_path: Path, content: Content, settings: Settings, classifier: Classifier, clock: Clock) -> None:
    store = SqliteStore(str(tmp_path / "bot.db"))
    try:
        engine = Engine(content, settings, store, classifier, clock)
        for text in [*QUESTIONS, "I have a fever of 103", "what is cryoablation"]:
            await engine.handle(Incoming("chat-42", text=text, patient="Pat Doe"))
        report = await unanswered_report(store, clock.now - dt.timedelta(days=1))
    finally:
        await store.close()
    lines = report.splitlines()
    assert lines[0] == "Questions the bot could not answer since 2026-11-20 09:00 UTC: 4"
    assert lines[1:4] == ["", "out_of_scope: 4", "  2 x what is the wifi password in the waiting room"]
    assert set(lines[4:]) == {"  1 x [name] [name] here, what is the wifi password in the waiting room",
                              "  1 x recommend a good pizza place"}
    assert "fever" not in report and "cryoablation" not in report
    assert "Pat" not in report and "chat-42" not in report


def test_python_m_bot_report_prints_it(tmp_path: Path) -> None:
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "TELEGRAM_BOT_TOKEN": ""}
    chat = subprocess.run([sys.executable, "-m", "bot", "chat"], input="what is the capital of France\n",
                          text=True, capture_output=True, cwd=tmp_path, env=environment, timeout=60)
    assert chat.returncode == 0, chat.stderr
    result = subprocess.run([sys.executable, "-m", "bot", "report", "--days", "1"], text=True,
                            capture_output=True, cwd=tmp_path, env=environment, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Questions the bot could not answer since ")
    assert "out_of_scope: 1\n  1 x what is the capital of France" in result.stdout
