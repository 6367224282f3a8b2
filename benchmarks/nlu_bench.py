"""Classify + triage in-process: messages per second, latency per message, cold start, peak memory.

Latency and cold start are wall time; the CPU time spent is printed beside them, since on a busy
machine the wall time also counts the turns other processes had (on an idle one, the two agree).
Memory is this serving process's peak, and apart from it the peak of the short-lived process that
fits the model.

Run: .venv/bin/python benchmarks/nlu_bench.py [--rounds N] [--fit-early]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import statistics
import sys
import time
from pathlib import Path

START, START_CPU = time.perf_counter(), time.process_time()

import yaml  # noqa: E402

from bot.config import PROJECT_ROOT, load_settings  # noqa: E402
from bot.content import load_content  # noqa: E402
from bot.nlu import Classifier, Fitter  # noqa: E402
from bot.triage import Triager  # noqa: E402

IMPORTED = time.perf_counter()
DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def messages() -> list[str]:
    """Patient wording the model never trained on: the held-out set and the red-flag corpora."""
    texts = [m["text"] for m in yaml.safe_load((DATA / "heldout.yml").read_text())]
    for corpus in sorted(DATA.glob("red_flags*.yml")):
        data = yaml.safe_load(corpus.read_text())
        texts += [m["text"] for part in ("reports", "lookalikes") for m in data[part]]
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the messages (3)")
    parser.add_argument("--fit-early", action="store_true",
                        help="start the fitting process before loading the content, as an entry point may")
    args = parser.parse_args()
    rounds = args.rounds
    with Fitter() if args.fit_early else contextlib.nullcontext() as fitter:
        settings = load_settings()
        loaded = time.perf_counter()
        content = load_content(PROJECT_ROOT)
        classifier = Classifier(content, settings.nlu_threshold, fitter=fitter)
    triager = Triager(content.triage, settings.fever_line_f)
    ready, ready_cpu = time.perf_counter(), time.process_time() + _cpu_seconds(resource.RUSAGE_CHILDREN)

    texts = messages()
    latencies, cpu_times = [], []
    for _ in range(rounds):
        triager = Triager(content.triage, settings.fever_line_f)  # its sentence caches start cold
        for text in texts:
            began, began_cpu = time.perf_counter(), time.thread_time()
            parse = classifier.parse(text)
            triager.assess(text, parse.normalized)
            latencies.append(time.perf_counter() - began)
            cpu_times.append(time.thread_time() - began_cpu)
    cuts, cpu_cuts = statistics.quantiles(latencies, n=100), statistics.quantiles(cpu_times, n=100)
    print(f"messages             {len(latencies)} ({len(texts)} distinct x {rounds} rounds)")
    print(f"throughput           {len(latencies) / sum(latencies):,.0f} messages/s (one core, sequential)")
    print(f"latency p50          {cuts[49] * 1000:.3f} ms (CPU {cpu_cuts[49] * 1000:.3f} ms)")
    print(f"latency p99          {cuts[98] * 1000:.3f} ms (CPU {cpu_cuts[98] * 1000:.3f} ms)")
    print(f"cold start           {ready - START:.2f} s (imports {IMPORTED - START:.2f} s, "
          f"load content + train {ready - loaded:.2f} s; CPU {ready_cpu - START_CPU:.2f} s)")
    print(f"peak memory (RSS)    {_peak_mb(resource.RUSAGE_SELF):.0f} MB serving, "
          f"{_peak_mb(resource.RUSAGE_CHILDREN):.0f} MB fitting apart "
          f"(scikit-learn loaded here: {'sklearn' in sys.modules})")
    print(f"load average         {' '.join(f'{load:.2f}' for load in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")
    print(f"python               {sys.version.split()[0]}")


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
