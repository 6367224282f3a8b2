"""The commands as a user runs them: chat with piped input, classify, check."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.config import PROJECT_ROOT
from bot.store.schema import latest_version


def _run(args: list[str], stdin: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
                   "TELEGRAM_BOT_TOKEN": "", "CARE_TEAM_PHONE": "555-0100", **env}
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, text=True,
                          capture_output=True, cwd=tmp_path, env=environment, timeout=60)


def test_piped_chat_answers_each_line_and_exits(tmp_path: Path) -> None:
    result = _run(["chat"], "hi\nwhat is cryoablation\nwhat are the side effects of prostate cryo\n",
                  tmp_path)
    assert result.returncode == 0, result.stderr
    replies = [line for line in result.stdout.splitlines() if line.startswith("bot> ")]
    assert len(replies) == 3
    assert "bot" in replies[0]
    assert "nci-cryosurgery" in result.stdout
    assert "prostate" in replies[2].lower()


def test_chat_shows_the_nurse_alert_line(tmp_path: Path) -> None:
    result = _run(["chat"], "i have a fever\n102.4\n", tmp_path)
    assert "Call your care team now: 555-0100" in result.stdout
    assert "[alert #1 sent to the nurses]" in result.stdout
    assert "URGENT: Terminal user" in result.stdout


def test_run_without_token_opens_the_terminal_chat(tmp_path: Path) -> None:
    result = _run(["run"], "hello\n", tmp_path)
    assert result.returncode == 0
    assert "terminal chat" in result.stderr
    assert result.stdout.startswith("bot> ")


def test_classify_writes_one_json_object_per_line(tmp_path: Path) -> None:
    result = _run(["classify"], "what is cryo\nmy temp is 39.2C\nno fever\n"
                  "how long does it take and will i be asleep?\ntengo 39,2 de fiebre\n"
                  "everything is spinning and i ended up on the kitchen floor\n", tmp_path)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in records][:3] == ["what is cryo", "my temp is 39.2C", "no fever"]
    assert set(records[0]) == {"text", "lang", "intent", "confidence", "intents", "triage", "red_flags",
                               "entities"}
    assert [r["lang"] for r in records] == ["en", "en", "en", "en", "es", "en"]
    assert (records[4]["triage"], records[4]["red_flags"]) == ("urgent", ["fever"])
    # Every triage layer: the severity model raises what the lexicon has no words for.
    assert (records[5]["triage"], records[5]["red_flags"]) == ("emergency", ["unlisted"])
    assert (records[0]["intent"], records[0]["intents"]) == ("what_is_cryotherapy", ["what_is_cryotherapy"])
    assert (records[3]["intent"], records[3]["intents"]) == ("duration", ["duration", "anesthesia_pain"])
    assert (records[1]["triage"], records[1]["red_flags"]) == ("urgent", ["fever"])
    assert records[2]["triage"] == "none"


def test_check_passes_on_shipped_content(tmp_path: Path) -> None:
    result = _run(["check"], "", tmp_path, CONTENT_DIR=str(PROJECT_ROOT))
    assert result.returncode == 0, result.stdout


def test_broken_content_stops_the_bot_with_file_and_line(tmp_path: Path, content_copy: Path) -> None:
    (content_copy / "responses" / "safety.yml").write_text("responses:\n  utter_x:\n    - text: [\n")
    result = _run(["chat"], "hi\n", tmp_path, CONTENT_DIR=str(content_copy))
    assert result.returncode == 1
    assert "responses/safety.yml:" in result.stderr


def test_migrate_brings_the_database_to_the_latest_version(tmp_path: Path, database_url: str) -> None:
    backend = "sqlite" if database_url.startswith("sqlite") else "postgres"
    first = _run(["migrate"], "", tmp_path, DATABASE_URL=database_url)
    again = _run(["migrate"], "", tmp_path, DATABASE_URL=database_url)
    assert first.returncode == again.returncode == 0, first.stderr + again.stderr
    assert first.stdout == again.stdout == f"database schema at version {latest_version(backend)}\n"


def test_migrate_names_an_unusable_database_without_its_password(tmp_path: Path) -> None:
    result = _run(["migrate"], "", tmp_path, DATABASE_URL="postgresql://bot:s3cret@127.0.0.1:1/test")
    assert result.returncode == 1
    assert "cannot use the database at postgresql://bot:***@127.0.0.1:1/test" in result.stderr
    assert "s3cret" not in result.stderr and "Traceback" not in result.stderr


def test_run_says_clearly_when_the_bot_api_cannot_be_reached(tmp_path: Path) -> None:
    result = _run(["run"], "", tmp_path, TELEGRAM_BOT_TOKEN="123:abc", NURSE_CHAT_ID="-100",
                  TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot")
    assert result.returncode == 1
    assert "Cannot start on the Bot API at http://127.0.0.1:9/bot" in result.stderr
    assert "Traceback" not in result.stderr


def test_piped_chat_stops_quietly_when_its_reader_goes_away(tmp_path: Path) -> None:
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
                   "TELEGRAM_BOT_TOKEN": ""}
    chat = subprocess.Popen([sys.executable, "-m", "bot", "chat"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=environment)
    assert chat.stdout is not None and chat.stdin is not None
    chat.stdin.write(b"hi\n" * 50)
    chat.stdin.close()
    chat.stdout.readline()
    chat.stdout.close()  # like `| head -1`
    assert chat.wait(timeout=60) == 0
    assert chat.stderr is not None and b"Traceback" not in chat.stderr.read()


def test_sources_report_lists_what_rests_on_each_page(tmp_path: Path) -> None:
    result = _run(["sources", "--report"], "", tmp_path)
    assert result.returncode == 0, result.stderr
    blocks = {block.split(":", 1)[0]: block for block in result.stdout.split("\n\n")}
    cancer_center = blocks["cancer-center-cryotherapy"]
    # A clinic re-reading the cancer center's page after a change finds the eye answer,
    # with the sections it takes from the page, and the red flags resting on it.
    assert "utter_side_effects [site=eye] responses/knowledge.yml:" in cancer_center
    assert "sections risks; reviewed 2026-12-06" in cancer_center
    assert "    eye_changes (urgent) intents/red_flags.yml:" in cancer_center
    emergencies = blocks["medlineplus-emergency"]
    assert "    chest_pain (emergency) intents/red_flags.yml:" in emergencies
    assert "utter_urgent responses/safety.yml:" in emergencies
    assert "utter_catheter" not in emergencies


def test_sources_without_report_lists_the_registry(tmp_path: Path) -> None:
    result = _run(["sources"], "", tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(yaml.safe_load((PROJECT_ROOT / "seeds" / "sources.yml").read_text())["sources"])
    assert any(line.startswith("medlineplus-seizures: Seizures") for line in lines)
    assert lines[0].startswith("nci-cryosurgery: Cryosurgery to Treat Cancer (National Cancer "
                               "Institute), reviewed 2025-12-30, re-read every 91 days https://")


def test_piped_chat_survives_odd_digits_and_invalid_utf8(tmp_path: Path) -> None:
    lines = ["hi", "\u00b2", "9" * 6000, "\u0661", "1"]
    stdin = "\n".join(lines).encode() + b"\nI have a fever of 104 \xff\xfe\xed\xa0\x80\n"
    result = subprocess.run([sys.executable, "-m", "bot", "chat"], input=stdin, capture_output=True,
                            cwd=tmp_path, timeout=60,
                            env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
                                 "TELEGRAM_BOT_TOKEN": "", "PYTHONUTF8": "0"})
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert b"Traceback" not in result.stderr
    out = result.stdout.decode()
    assert out.count("bot> ") >= len(lines) + 1
    assert "[alert #1 sent to the nurses]" in out and "fever of 104 \ufffd" in out


@pytest.mark.parametrize(("url", "says"), [
    ("sqlite:///", "DATABASE_URL sqlite:/// names no file"),
    ("mysql://bot:pw@db/cryo", "DATABASE_URL scheme 'mysql' is not supported"),
    ("postgresql://u:pw@[::1", "DATABASE_URL is not a valid PostgreSQL URL"),
    ("postgresql://u:pw@db:port/cryo", "DATABASE_URL is not a valid PostgreSQL URL"),
])
def test_a_bad_database_url_gets_one_clear_line(tmp_path: Path, url: str, says: str) -> None:
    for command in ("migrate", "chat"):
        result = _run([command], "hi\n", tmp_path, DATABASE_URL=url)
        assert result.returncode == 1, (command, result.stdout)
        assert result.stderr.strip().splitlines() == [result.stderr.strip()] and says in result.stderr
        assert "pw" not in result.stderr


def test_a_damaged_sqlite_file_is_refused_at_start(tmp_path: Path) -> None:
    database = tmp_path / "damaged.db"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE filler (x TEXT)")
        db.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,)] * 200)
    data = bytearray(database.read_bytes())
    data[4096 * 5:4096 * 5 + 200] = b"\xff" * 200  # a page in the middle, the header intact
    database.write_bytes(bytes(data))
    result = _run(["chat"], "I have a fever of 104\n", tmp_path, DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode == 1
    assert "is damaged" in result.stderr and "Traceback" not in result.stderr
    (garbage := tmp_path / "garbage.db").write_bytes(b"this is not a database" * 100)
    result = _run(["migrate"], "", tmp_path, DATABASE_URL=f"sqlite:///{garbage}")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"DATABASE_URL: cannot use the SQLite file {garbage}" in result.stderr


def test_train_fits_the_models_that_every_later_start_reads(tmp_path: Path) -> None:
    content = tmp_path / "content"
    for folder in ("intents", "responses", "seeds"):
        shutil.copytree(PROJECT_ROOT / folder, content / folder)
    trained = _run(["train"], "", tmp_path, CONTENT_DIR=str(content))
    assert trained.returncode == 0, trained.stderr
    models = sorted((content / ".cache").glob("*.npz"))
    assert [path.name for path in models] == ["intents.npz", "severity.npz"]
    assert (content / ".cache" / "openings.json").exists()  # the lexicon's, read by every start
    written = [path.stat().st_mtime_ns for path in models]
    result = _run(["classify"], "tengo 39,2 de fiebre\n", tmp_path, CONTENT_DIR=str(content))
    assert json.loads(result.stdout)["triage"] == "urgent"
    assert [path.stat().st_mtime_ns for path in models] == written  # read, not fitted again


def test_eval_names_the_option_a_file_needs(tmp_path: Path) -> None:
    safety = str(PROJECT_ROOT / "tests" / "data" / "dialogues_dev.yml")
    wrong = _run(["eval", "--held-out", safety], "", tmp_path)
    assert wrong.returncode == 2 and f"run it with --set {safety}" in wrong.stderr
    missing = _run(["eval", "--set", str(tmp_path / "nope.yml")], "", tmp_path)
    assert missing.returncode == 2 and "cannot be read" in missing.stderr


@pytest.mark.parametrize("folds", ["0", "1", "-3", "five"])
def test_eval_refuses_folds_it_cannot_cross_validate_with(folds: str, tmp_path: Path) -> None:
    result = _run(["eval", "--folds", folds], "", tmp_path)
    assert result.returncode == 2
    assert "--folds: needs a whole number of 2 or more" in result.stderr
    assert "Traceback" not in result.stderr
