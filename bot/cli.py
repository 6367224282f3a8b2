"""Command line: `python -m bot COMMAND`, one function per command (see COMMANDS)."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings, SettingsError, load_settings
from bot.logs import configure as configure_logging

if TYPE_CHECKING:
    from bot.engine import Engine

logger = logging.getLogger(__name__)


async def _engine(settings: Settings) -> Engine:
    from bot.engine import Engine
    from bot.store.connect import connect_store
    from bot.understanding.nlu import load_understanding

    content, classifier = load_understanding(settings.content_dir, settings.nlu_threshold)
    return Engine(content, settings, await connect_store(settings.database_url), classifier)


def cmd_check(settings: Settings, args: argparse.Namespace) -> int:
    from bot.content.check import main

    return main(Path(args.content or settings.content_dir))


def cmd_sources(settings: Settings, args: argparse.Namespace) -> int:
    from bot.content.loader import load_content
    from bot.content.report import registry, report

    content = load_content(settings.content_dir)
    print(report(content) if args.report else registry(content))
    return 0


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.terminal import chat

    # Bytes that are not UTF-8 arrive as lone surrogates, which the engine replaces, instead of
    # stopping the chat with a UnicodeDecodeError.
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="surrogateescape")

    async def run() -> None:
        engine = await _engine(settings)
        try:
            await chat(engine)
        finally:
            await engine.store.close()

    asyncio.run(run())
    return 0


def cmd_classify(settings: Settings, args: argparse.Namespace) -> int:
    from bot.understanding.language import detect
    from bot.understanding.nlu import load_understanding
    from bot.understanding.normalize import for_matching
    from bot.understanding.questions import read
    from bot.understanding.severity import SeverityModel
    from bot.understanding.text import simplify
    from bot.understanding.triage import Triager

    content, classifier = load_understanding(settings.content_dir, settings.nlu_threshold)
    triager = Triager(content.triage, settings.fever_line_f, content.root)
    severity = SeverityModel(content, classifier.normalize)
    for line in sys.stdin:
        text = line.rstrip("\n")
        reading = read(classifier, text)
        parse = reading.main
        verdict = severity.assess(triager, text, parse.normalized)
        record = {"text": text, "lang": detect(text, simplify(for_matching(text))),
                  "intent": parse.intent, "confidence": round(parse.confidence, 4),
                  "intents": reading.intents, "triage": verdict.level,
                  "red_flags": list(verdict.red_flags), "entities": list(reading.whole.entities)}
        sys.stdout.write(json.dumps(record) + "\n")
        sys.stdout.flush()
    return 0


def cmd_train(settings: Settings, args: argparse.Namespace) -> int:
    from bot.understanding.modelcache import CACHE_FOLDER
    from bot.understanding.nlu import load_understanding
    from bot.understanding.severity import SeverityModel
    from bot.understanding.triage import Triager

    # Every start then reads its models and the lexicon's openings instead of working them out (about
    # 2 s and 90 MB more): the install and the image run this, as `rasa train` comes before `rasa run`.
    began = time.perf_counter()
    content, classifier = load_understanding(settings.content_dir, settings.nlu_threshold)
    SeverityModel(content, classifier.normalize)
    Triager(content.triage, settings.fever_line_f, content.root)
    print(f"models ready in {content.root / CACHE_FOLDER} ({time.perf_counter() - began:.1f} s)")
    return 0


def cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    from bot.content.loader import load_content
    from bot.understanding.evaluate import main

    if args.set:
        sets = [Path(path) for path in args.set]
        if problem := _misfiled(sets, safety=True):
            print(problem, file=sys.stderr)
            return 2
        return asyncio.run(_eval_sets(settings, sets, args.misses))

    from bot.evaluation.understanding import is_sectioned

    held_out = [Path(path) for path in args.held_out or []] or sorted(
        (settings.content_dir / "tests" / "data").glob("heldout*.yml"))
    if problem := _misfiled(held_out, safety=False):
        print(problem, file=sys.stderr)
        return 2
    sectioned = [path for path in held_out if is_sectioned(path)]
    plain = [path for path in held_out if path not in sectioned]
    main(load_content(settings.content_dir), settings.nlu_threshold, plain, args.folds)
    return asyncio.run(_eval_sectioned(settings, sectioned)) if sectioned else 0


def _misfiled(paths: list[Path], safety: bool) -> str | None:
    """Why one of these files cannot be read as asked (missing, not YAML, or the other kind), or None."""
    import yaml

    from bot.evaluation.safety import is_safety_corpus

    for path in paths:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            return f"{path}: cannot be read ({error})"
        if is_safety_corpus(data) != safety:
            kind, option = (("labelled or sectioned messages", "--held-out") if safety
                            else ("a safety corpus (reports, lookalikes, dialogues)", "--set"))
            return f"{path}: this is {kind}; run it with {option} {path}"
    return None


async def _eval_sectioned(settings: Settings, paths: list[Path]) -> int:
    """Understanding figures of files in sections (single, multi-question, follow-ups), ours and baseline."""
    from bot.evaluation.understanding import evaluate
    from bot.understanding.nlu import load_understanding

    content, classifier = load_understanding(settings.content_dir, settings.nlu_threshold)
    for path in paths:
        print()
        print(await evaluate(path, content, settings, classifier))
    return 0


async def _eval_sets(settings: Settings, paths: list[Path], misses: bool) -> int:
    """The safety figures of each corpus, run through the whole engine."""
    from bot.evaluation.safety import evaluate, report
    from bot.understanding.nlu import load_understanding

    content, classifier = load_understanding(settings.content_dir, settings.nlu_threshold)
    for path in paths:
        print(report(path.name, await evaluate(path, content, settings, classifier), misses))
    return 0


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.telegram_bot_token:
        print("TELEGRAM_BOT_TOKEN is not set: starting the terminal chat.", file=sys.stderr)
        return cmd_chat(settings, args)
    from telegram.error import InvalidToken, NetworkError

    from bot.telegram.app import serve

    try:
        asyncio.run(serve(settings))
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    except (InvalidToken, NetworkError) as error:
        print(f"Cannot start on the Bot API at {settings.telegram_api_base_url}: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_link(settings: Settings, args: argparse.Namespace) -> int:
    from bot.enrollment.link import main

    return main(args, settings.telegram_bot_username or asyncio.run(_ask_username(settings)))


async def _ask_username(settings: Settings) -> str:
    """The bot's username, asked of the Bot API when the token is set ("" otherwise)."""
    if not settings.telegram_bot_token:
        return ""
    from bot.telegram.app import api_bot

    async with api_bot(settings) as bot:
        return bot.username


def cmd_actions(settings: Settings, args: argparse.Namespace) -> int:
    from bot.rasa.server import serve

    serve(settings, args.host, args.port)
    return 0


def cmd_export_rasa(settings: Settings, args: argparse.Namespace) -> int:
    from bot.content.loader import load_content
    from bot.rasa.export import export

    written = export(load_content(settings.content_dir), settings, Path(args.dir), args.action_url,
                     args.epochs)
    print("\n".join(str(path) for path in written))
    return 0


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from bot.store.connect import StoreError, migrate

    try:
        version = asyncio.run(migrate(settings.database_url))
    except StoreError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"database schema at version {version}")
    return 0


def cmd_report(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime, timedelta

    from bot.checkins.report import unanswered_report
    from bot.store.connect import StoreError, connect_store

    async def run() -> str:
        store = await connect_store(settings.database_url)
        try:
            return await unanswered_report(store, datetime.now(UTC) - timedelta(days=args.days))
        finally:
            await store.close()

    try:
        print(asyncio.run(run()))
    except StoreError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


COMMANDS = {
    "run": (cmd_run, "start the bot: Telegram if TELEGRAM_BOT_TOKEN is set, else the terminal"),
    "chat": (cmd_chat, "chat in the terminal (messages may be piped, one per line)"),
    "check": (cmd_check, "validate the content; exit 1 on any problem"),
    "sources": (cmd_sources, "list the source pages; --report: what rests on each"),
    "classify": (cmd_classify, "JSON lines of intent, confidence, triage for stdin lines"),
    "train": (cmd_train, "fit the models into the content's .cache/ so that every start reads them"),
    "eval": (cmd_eval, "accuracy of the classifier and a baseline: cross-validation and held-out"),
    "actions": (cmd_actions, "serve the actions to a Rasa server (rasa-sdk action server)"),
    "export-rasa": (cmd_export_rasa, "write a Rasa 3.x project from the content into DIR"),
    "migrate": (cmd_migrate, "apply the database migrations to DATABASE_URL and print its version"),
    "link": (cmd_link, "print a patient's enrollment link for a procedure and write its QR code"),
    "report": (cmd_report, "the questions the bot could not answer, by closest intent (no names, no chats)"),
}


def _folds(value: str) -> int:
    """A number of cross-validation folds: each needs a part to test and a part to train on."""
    if not value.isdigit() or int(value) < 2:
        raise argparse.ArgumentTypeError(f"needs a whole number of 2 or more, not {value!r}")
    return int(value)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m bot`."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (_, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text)
        if name == "check":
            command.add_argument("--content", help="content folder (default: CONTENT_DIR)")
        if name == "sources":
            command.add_argument("--report", action="store_true",
                                 help="per source, the answers and red flags that rest on it")
        if name == "eval":
            command.add_argument("--held-out", action="append",
                                 help="labelled messages, may be repeated (default: tests/data/heldout*.yml)")
            command.add_argument("--folds", type=_folds, default=5,
                                 help="cross-validation folds, 2 or more (5)")
            command.add_argument("--set", action="append",
                                 help="a safety corpus (reports, lookalikes, dialogues) to run through "
                                      "the whole bot instead; may be repeated")
            command.add_argument("--misses", action="store_true",
                                 help="with --set: list the messages handled wrongly")
        if name == "actions":
            command.add_argument("--host", default="0.0.0.0", help="address to listen on (0.0.0.0)")
            command.add_argument("--port", type=int, default=5055, help="port to listen on (5055)")
        if name == "report":
            command.add_argument("--days", type=float, default=7, help="how far back to look (7 days)")
        if name == "link":
            from bot.enrollment.link import add_arguments

            add_arguments(command)
        if name == "export-rasa":
            command.add_argument("dir", help="folder for the Rasa project (created if missing)")
            command.add_argument("--action-url", default="http://localhost:5055/webhook",
                                 help="the action server's webhook, for endpoints.yml")
            command.add_argument("--epochs", type=int, default=100, help="DIETClassifier epochs (100)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, commands_quiet=args.command not in ("run", "actions"))
    handler = COMMANDS[args.command][0]
    from bot.content.yamlfile import ContentError
    from bot.store.model import StoreError

    try:
        return handler(settings, args)
    except (ContentError, StoreError) as error:
        print(error, file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`... | head`): nothing more to say, and nothing to say it to.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
