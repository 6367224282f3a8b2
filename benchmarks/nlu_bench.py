"""Read (split, spell, classify) + triage in-process: messages per second, latency per message,
cold start, peak memory.

Triage is every layer the engine runs on a message: the lexicon with its context filters, the
severity model and the symptom-report detector; its own median is printed apart.

Latency and cold start are wall time; the CPU time spent is printed beside them, since on a busy
machine the wall time also counts the turns other processes had (on an idle one, the two agree).
Cold start is from this script's first line to a trained classifier and triager, as the bot starts:
its models read from the cache of trained models (`.cache/` in the content folder) when they are
there. The first-ever start, with no cache, is measured in a second process with an empty cache.
Memory is the peak of each process.

Run: .venv/bin/python benchmarks/nlu_bench.py [--rounds N]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

START, START_CPU = time.perf_counter(), time.process_time()

import yaml  # noqa: E402

from bot.config import PROJECT_ROOT, load_settings  # noqa: E402
from bot.content.loader import load_content  # noqa: E402
from bot.understanding.modelcache import CACHE_FOLDER  # noqa: E402
from bot.understanding.nlu import Classifier  # noqa: E402
from bot.understanding.questions import read  # noqa: E402
from bot.understanding.reports import SymptomDetector  # noqa: E402
from bot.understanding.severity import SeverityModel  # noqa: E402
from bot.understanding.triage import Triager  # noqa: E402

IMPORTED = time.perf_counter()
DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def messages() -> list[str]:
    """Patient wording the model never trained on: the held-out sets and the red-flag corpora."""
    texts = [m["text"] for path in sorted(DATA.glob("heldout*.yml"))
             for m in yaml.safe_load(path.read_text())]
    for corpus in [*sorted(DATA.glob("red_flags*.yml")), *sorted(DATA.glob("safety_blind*.yml"))]:
        data = yaml.safe_load(corpus.read_text())
        texts += [m["text"] for part in ("reports", "lookalikes") for m in data[part]]
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the messages (3)")
    parser.add_argument("--start-only", metavar="CACHE", help="only start, with the cache in CACHE; "
                        "print the start-up figures (how the first-ever start is measured)")
    args = parser.parse_args()
    rounds = args.rounds
    settings = load_settings()
    loaded = time.perf_counter()
    models = sorted((PROJECT_ROOT / CACHE_FOLDER).glob("*.npz"))
    cached = {path: path.stat().st_mtime_ns for path in models}
    content = load_content(PROJECT_ROOT)
    if args.start_only:
        content = dataclasses.replace(content, root=Path(args.start_only))
    classifier = Classifier(content, settings.nlu_threshold)
    triager = Triager(content.triage, settings.fever_line_f, content.root)
    severity = SeverityModel(content, classifier.normalize)
    detector = SymptomDetector(severity)
    ready, ready_cpu = time.perf_counter(), time.process_time()
    start = (f"{ready - START:.2f} s (imports {IMPORTED - START:.2f} s, load content + models "
             f"{ready - loaded:.2f} s; CPU {ready_cpu - START_CPU:.2f} s), peak memory {_peak_mb():.0f} MB")
    if args.start_only:
        print(start)
        return
    trained = len(models) < 2 or any(path.stat().st_mtime_ns != cached[path] for path in models)

    texts = messages()
    latencies, cpu_times, triage_cpu, beyond_cpu = [], [], [], []
    for _ in range(rounds):
        triager = Triager(content.triage, settings.fever_line_f)  # its sentence caches start cold
        for text in texts:
            began, began_cpu = time.perf_counter(), time.thread_time()
            reading = read(classifier, text)  # split into questions, spelling mended, each classified
            classified_cpu = time.thread_time()
            verdict = triager.assess(text, reading.whole.normalized)
            lexicon_cpu = time.thread_time()
            # As the engine does: the calm check only for a calm verdict, the detector only when no alert.
            calm = verdict.level == "none" and triager.calm(text)
            if not severity.weigh(verdict, reading.whole.normalized, calm).alerts:
                detector.reports(reading.whole.normalized)
            latencies.append(time.perf_counter() - began)
            cpu_times.append(time.thread_time() - began_cpu)
            triage_cpu.append(time.thread_time() - classified_cpu)
            beyond_cpu.append(time.thread_time() - lexicon_cpu)
    cuts, cpu_cuts = statistics.quantiles(latencies, n=100), statistics.quantiles(cpu_times, n=100)
    print(f"messages             {len(latencies)} ({len(texts)} distinct x {rounds} rounds)")
    print(f"throughput           {len(latencies) / sum(latencies):,.0f} messages/s (one core, sequential)")
    print(f"latency p50          {cuts[49] * 1000:.3f} ms (CPU {cpu_cuts[49] * 1000:.3f} ms)")
    print(f"triage layers p50    CPU {statistics.median(triage_cpu) * 1000:.3f} ms "
          "(lexicon, context filters, severity model, symptom-report detector)")
    print(f"  beyond the lexicon CPU {statistics.median(beyond_cpu) * 1000:.3f} ms "
          "(context check, severity model, detector: what the layered triage adds)")
    pasted = "3, 4, " * 300  # a pasted list of lab numbers: the worst case for the triage's cues
    began = time.thread_time()
    triager.assess(pasted, classifier.normalize(pasted))
    print(f"worst case           CPU {(time.thread_time() - began) * 1000:.1f} ms "
          f"(triage of {len(pasted):,} characters of numbers and commas)")
    print(f"latency p99          {cuts[98] * 1000:.3f} ms (CPU {cpu_cuts[98] * 1000:.3f} ms)")
    how = "models trained: there was no cache to read; run again" if trained else "models read from the cache"
    print(f"cold start           {start}, {how}")
    print(f"first-ever start     {_first_start()}, no cache: the models trained (what `python -m bot "
          "train` does once, at install and in the image)")
    print(f"peak memory (RSS)    {_peak_mb():.0f} MB, this process "
          f"(scikit-learn loaded: {'sklearn' in sys.modules}; liblinear: {'liblinear' in sys.modules})")
    print(f"load average         {' '.join(f'{load:.2f}' for load in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")
    print(f"python               {sys.version.split()[0]}")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _first_start() -> str:
    """The start-up figures of a process that finds no cache of trained models."""
    with tempfile.TemporaryDirectory() as empty:
        run = subprocess.run([sys.executable, __file__, "--start-only", empty],
                             capture_output=True, text=True, check=True)
    return run.stdout.strip()


if __name__ == "__main__":
    main()
