"""The language detector on every English and Spanish text we have, on other languages, and its time.

English and Spanish: the held-out sets, the training examples (intents, symptom reports, severity) and the
reports and lookalikes of the red-flag and safety corpora 5 to 8 (the newer blind sets are left out:
nobody may tune on them). None should be read as another language. Other languages: every message of
tests/data/other_languages.yml; at least 90% should be. Prints the counts, each miss, and the mean
time per message (the text already in the forms the engine has).

Run: .venv/bin/python benchmarks/language_bench.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import PROJECT_ROOT  # noqa: E402
from bot.content.loader import load_content  # noqa: E402
from bot.evaluation.languages import ours, report  # noqa: E402
from bot.understanding.language import detect  # noqa: E402
from bot.understanding.normalize import for_matching, readable  # noqa: E402
from bot.understanding.text import simplify  # noqa: E402

DATA = ROOT / "tests" / "data"


def main() -> None:
    content = load_content(PROJECT_ROOT)
    for line in report(content, DATA):
        print(line)
    texts = [readable(text) for texts in ours(content, DATA).values() for text in texts]
    prepared = [(text, simplify(for_matching(text))) for text in texts]
    began = time.perf_counter()
    for written, simplified in prepared:
        detect(written, simplified)
    print(f"time per message: {(time.perf_counter() - began) / len(prepared) * 1e6:.1f} µs (mean, "
          f"{len(prepared)} messages)")


if __name__ == "__main__":
    main()
