"""Trained models (and the triage's pattern openings) kept on disk, keyed by a hash of all they are
computed from: a restart skips training and parsing."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from bot.understanding import patterns
from bot.understanding.linear import FeatureSet, LinearModel

logger = logging.getLogger(__name__)

# Under the content's folder: one file per model, overwritten when what it is trained from changes.
CACHE_FOLDER = ".cache"
# The code that turns examples into a model: any change to it retrains.
_CODE = Path(__file__).resolve().parent
_UNREADABLE = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)


def cached_model(folder: Path, name: str, inputs: Sequence[object], train: Callable[[], LinearModel]
                 ) -> LinearModel:
    """The model `train` fits from `inputs` (plain JSON data), read from `folder` when the file there
    was fitted from the same inputs by the same code; else trained and stored for the next start."""
    key = fingerprint(inputs)
    path = folder / CACHE_FOLDER / f"{name}.npz"
    model = _read(path, key)
    if model is not None:
        logger.info("model %s read from %s", name, path)
    else:
        model = train()
        _write(path, key, model)
    return model


@contextmanager
def openings_kept(folder: Path | None) -> Iterator[None]:
    """Patterns indexed inside read their openings from `folder`'s cache when the same code worked them
    out; when any was new, what they needed is stored for the next start (no folder: nothing kept)."""
    if folder is None:
        yield
        return
    path, key = folder / CACHE_FOLDER / "openings.json", fingerprint([])
    known = _read_openings(path, key)
    patterns.remember_openings(known)
    yield
    needed = patterns.openings_looked_up()
    if needed.keys() - known.keys():
        stored = json.dumps({"key": key, "openings": needed}).encode()
        _write_atomically(path, lambda file: file.write(stored), "pattern openings")


def _read_openings(path: Path, key: str) -> dict[str, list[str] | None]:
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        logger.warning("pattern openings cache %s is unreadable (%s): ignored", path, error)
        return {}
    openings = stored.get("openings") if isinstance(stored, dict) and stored.get("key") == key else None
    if not isinstance(openings, dict):
        return {}
    # An entry of another shape (a file edited by hand) is worked out again, not trusted.
    return {pattern: found for pattern, found in openings.items()
            if found is None or (isinstance(found, list) and all(isinstance(text, str) for text in found))}


def fingerprint(inputs: Sequence[object]) -> str:
    """A hash of the inputs, the understanding code and the versions of what computes the model."""
    digest = hashlib.sha256(json.dumps(list(inputs), ensure_ascii=False).encode())
    for source in sorted(_CODE.glob("*.py")):
        digest.update(source.read_bytes())
    digest.update(f"{sys.version} numpy {np.__version__}".encode())
    return digest.hexdigest()


def _read(path: Path, key: str) -> LinearModel | None:
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as arrays:
            if str(arrays["key"]) != key:
                logger.info("model cache %s is for other examples or code: training", path)
                return None
            features = {part: FeatureSet(_vocabulary(arrays[f"{part}_vocabulary"]), arrays[f"{part}_idf"],
                                         int(arrays[f"{part}_offset"]))
                        for part in ("words", "chars")}
            return LinearModel(arrays["classes"], features, arrays["weights"], arrays["intercept"])
    except _UNREADABLE as error:
        logger.warning("model cache %s is unreadable (%s): ignored, training", path, error)
        return None


def _vocabulary(grams: np.ndarray) -> dict[str, int]:
    return {gram: column for column, gram in enumerate(grams.tolist())}


def _write(path: Path, key: str, model: LinearModel) -> None:
    """Stores the model atomically (a half-written file is never read); a folder that cannot be
    written only costs the next start its training."""
    arrays = {"key": np.array(key), "classes": model.classes, "weights": model.weights,
              "intercept": model.intercept}
    for part, features in model.features.items():
        in_column_order = sorted(features.vocabulary, key=features.vocabulary.__getitem__)
        arrays[f"{part}_vocabulary"] = np.array(in_column_order)
        arrays[f"{part}_idf"] = features.idf
        arrays[f"{part}_offset"] = np.array(features.offset)
    _write_atomically(path, lambda file: np.savez(file, **arrays), f"model {path.stem}")


def _write_atomically(path: Path, write: Callable[[Any], object], what: str) -> None:
    """Stores a file atomically (a half-written file is never read); a folder that cannot be written
    only costs the next start its work."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as file:
            temporary = Path(file.name)
            write(file)
        os.replace(temporary, path)
    except OSError as error:
        logger.warning("cache of the %s, %s, cannot be written (%s): the next start works it out again",
                       what, path, error)
        if temporary is not None:
            temporary.unlink(missing_ok=True)
