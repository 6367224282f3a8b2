"""The cache of trained models and pattern openings: the same as working them out, never a stale or
broken one."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from bot.content.loader import load_content
from bot.content.model import Content
from bot.understanding import patterns
from bot.understanding.linear import LinearModel
from bot.understanding.modelcache import CACHE_FOLDER, cached_model
from bot.understanding.nlu import Classifier
from bot.understanding.severity import SeverityModel
from bot.understanding.triage import Triager

TEXTS = ["how long does it take", "is it painful", "my leg is swollen", "how much does it cost"]


def _same(model: LinearModel, other: LinearModel) -> None:
    assert (model.classes == other.classes).all() and model.classes.dtype == other.classes.dtype
    assert (model.weights == other.weights).all() and (model.intercept == other.intercept).all()
    for part, features in model.features.items():
        assert features.vocabulary == other.features[part].vocabulary
        assert (features.idf == other.features[part].idf).all()
        assert features.offset == other.features[part].offset


def test_a_cached_model_is_the_trained_one(content_copy: Path, caplog: pytest.LogCaptureFixture) -> None:
    content = load_content(content_copy)
    with caplog.at_level(logging.INFO):
        trained = Classifier(content, 0.3)
        trained_severity = SeverityModel(content, trained.normalize)
    assert caplog.text.count("training on") == 2
    caplog.clear()
    with caplog.at_level(logging.INFO):
        read = Classifier(content, 0.3)
        read_severity = SeverityModel(content, read.normalize)
    assert "training on" not in caplog.text
    assert "model intents read from" in caplog.text and "model severity read from" in caplog.text
    _same(trained._model, read._model)
    for text in TEXTS:
        assert read.parse(text) == trained.parse(text)
        assert read_severity.judge(read.normalize(text)) == trained_severity.judge(trained.normalize(text))


def test_a_changed_intents_file_retrains(content_copy: Path, caplog: pytest.LogCaptureFixture) -> None:
    Classifier(load_content(content_copy), 0.3)
    conversation = content_copy / "intents" / "conversation.yml"
    added = conversation.read_text().replace("    - hello\n", "    - hello\n    - hullo there\n")
    conversation.write_text(added)
    with caplog.at_level(logging.INFO):
        changed = Classifier(load_content(content_copy), 0.3)
    assert "is for other examples or code: training" in caplog.text
    assert changed.parse("hullo there").intent == "greet"
    with caplog.at_level(logging.INFO):
        Classifier(load_content(content_copy), 0.3)
    assert "model intents read from" in caplog.text.rsplit("training on", 1)[-1]


def test_a_corrupt_cache_file_is_ignored_with_a_log_line(tmp_path: Path, content: Content,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    def train() -> LinearModel:
        return Classifier(content, 0.3)._model

    path = tmp_path / CACHE_FOLDER / "intents.npz"
    path.parent.mkdir()
    path.write_bytes(b"PK\x03\x04 not a model")
    with caplog.at_level(logging.WARNING):
        model = cached_model(tmp_path, "intents", ["inputs"], train)
    assert f"model cache {path} is unreadable" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.INFO):
        again = cached_model(tmp_path, "intents", ["inputs"], lambda: pytest.fail("trained again"))
    _same(model, again)
    assert np.load(path)["weights"].shape == model.weights.shape


def test_a_cache_folder_that_cannot_be_written_only_costs_training(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / CACHE_FOLDER).write_text("a file where the folder should be")
    model = LinearModel(np.array(["a", "b"]), {}, np.zeros((0, 2)), np.zeros(2))
    with caplog.at_level(logging.WARNING):
        assert cached_model(tmp_path, "tiny", [1], lambda: model) is model
    assert "cannot be written" in caplog.text


def _fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a new start finds it: no openings worked out in memory."""
    monkeypatch.setattr(patterns, "_worked_out", {})


def test_a_start_reads_the_openings_an_earlier_one_worked_out(
        content: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fresh_process(monkeypatch)
    first = Triager(content.triage, 101.0, tmp_path)
    assert (tmp_path / CACHE_FOLDER / "openings.json").exists()
    _fresh_process(monkeypatch)
    monkeypatch.setattr(patterns, "_parsed_openings", lambda pattern: pytest.fail("parsed again"))
    second = Triager(content.triage, 101.0, tmp_path)
    for text in ("I have a fever of 102.5", "my leg is swollen and hot", "no fever, all good", "tengo 39,2"):
        assert second.assess(text) == first.assess(text)


def test_a_broken_openings_cache_is_worked_out_again(content: Content, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    stored = tmp_path / CACHE_FOLDER / "openings.json"
    stored.parent.mkdir()
    stored.write_text("{not json")
    _fresh_process(monkeypatch)
    with caplog.at_level(logging.WARNING):
        Triager(content.triage, 101.0, tmp_path)
    assert "unreadable" in caplog.text
    written = json.loads(stored.read_text())
    a_pattern = next(iter(written["openings"]))
    written["openings"] = {a_pattern: 7}  # the right key, an entry of the wrong shape
    stored.write_text(json.dumps(written))
    _fresh_process(monkeypatch)
    triager = Triager(content.triage, 101.0, tmp_path)
    assert triager.assess("I have a fever of 102.5").level == "urgent"
    assert json.loads(stored.read_text())["openings"]


def test_a_start_after_one_without_a_cache_still_keeps_the_openings(content: Content, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _fresh_process(monkeypatch)
    Triager(content.triage, 101.0)  # in the same process, as tests and `bot eval` build them
    Triager(content.triage, 101.0, tmp_path)
    assert json.loads((tmp_path / CACHE_FOLDER / "openings.json").read_text())["openings"]
