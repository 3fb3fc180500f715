"""Why `--workers 2` is not twice `--workers 1`: the runner without a store, and the machine's own ceiling.

Three measurements on one generated WARC (bench/scale.py's pages and records), each in a fresh process:

- **Runner alone**: ``make_runner(W).run_paths`` over the WARC with no sink, for W = 1 and 2: wall time, the
  moment of the first result, and the CPU seconds of the parent and of its worker processes. What ``ingest``
  costs beyond this is the writer.
- **Two at once**: the bare pipeline (built, warmed on 5 pages, then timed on the next ``--pages``) in one process
  alone, then in two processes at the same moment. The CPU seconds each takes for the same pages: how much slower
  one core's work gets when the other core works too (shared cache, memory bandwidth, the host), which no runner
  can win back.
- **Ceiling**: 2 / that slowdown, the most two workers can give over one on this machine.

A pool of one worker is run too: against the in-process runner it shows what the pool itself costs (pickling a page
out and its article back, the parent's feeding).

    python bench/workers.py [--records 300] [--pages 40] [--rounds 2]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale  # bench/scale.py: the same pages and WARC


def runner_alone(warc: str, workers: int) -> dict[str, float]:
    """The runner over the WARC without a store: wall, first result, parent and worker CPU seconds."""
    started = time.perf_counter()
    from newstrace.run.local import ProcessPoolRunner, make_runner

    # 0 workers: a pool of one process, the parent only feeding it (what the pool itself costs per page)
    runner = make_runner(workers) if workers else ProcessPoolRunner(workers=1)
    moments = [time.perf_counter() - started for _ in runner.run_paths([warc])]
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the pool's workers, reaped at its shutdown
    return {
        "workers": workers,
        "results": len(moments),
        "wall_s": moments[-1],
        "first_result_s": moments[0],
        "parent_cpu_s": own.ru_utime + own.ru_stime,
        "worker_cpu_s": children.ru_utime + children.ru_stime,
    }


def bare_pipeline(warc: str, pages: int) -> dict[str, float]:
    """CPU seconds of the bare pipeline over ``pages`` documents after 5 to warm it."""
    from newstrace.ingest import iter_documents
    from newstrace.model import Document
    from newstrace.pipeline import DEFAULT_STAGES, Pipeline
    from newstrace.run.local import import_stages, stage_modules

    import_stages(stage_modules(DEFAULT_STAGES))
    pipeline = Pipeline(DEFAULT_STAGES)
    documents = [item for item in itertools.islice(iter_documents([warc]), pages + 5) if isinstance(item, Document)]
    for document in documents[:5]:
        pipeline.process(document)
    began = time.process_time()
    for document in documents[5:]:
        pipeline.process(document)
    return {"cpu_s": time.process_time() - began, "pages": len(documents) - 5}


def _child(*arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, __file__, *arguments], stdout=subprocess.PIPE, text=True)


def _answer(process: subprocess.Popen[str]) -> dict[str, float]:
    output, _ = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"a measuring process failed (exit {process.returncode})")
    answer: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return answer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--pages", type=int, default=40, help="pages the two-at-once check times")
    parser.add_argument("--rounds", type=int, default=2, help="alone/two-at-once rounds of that check")
    parser.add_argument("--runner", nargs=2, metavar=("WARC", "WORKERS"), help=argparse.SUPPRESS)
    parser.add_argument("--bare", nargs=2, metavar=("WARC", "PAGES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.runner:
        print(json.dumps(runner_alone(args.runner[0], int(args.runner[1]))))
        return 0
    if args.bare:
        print(json.dumps(bare_pipeline(args.bare[0], int(args.bare[1]))))
        return 0
    html_pages, described = scale.pages(scale.DEFAULT_AEB)
    with tempfile.TemporaryDirectory() as folder:
        warc = str(Path(folder) / "bench.warc.gz")
        scale.write_warc(Path(warc), args.records, html_pages)
        print(f"WARC: {args.records} records from {described}; machine: {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.1f} at start")  # fmt: skip
        runs = {workers: _answer(_child("--runner", warc, str(workers))) for workers in (1, 0, 2)}
        for workers, run in runs.items():
            shown = f"--workers {workers}" if workers else "a pool of 1"
            print(
                f"runner alone, {shown}: wall {run['wall_s']:.1f} s (first result at "
                f"{run['first_result_s']:.1f} s), CPU {run['parent_cpu_s']:.1f} s in the parent and "
                f"{run['worker_cpu_s']:.1f} s in workers"
            )
        print(f"  by wall, 2 workers give {runs[1]['wall_s'] / runs[2]['wall_s']:.2f}x 1 (no store written)")
        slowdowns = []
        for _ in range(args.rounds):  # alternated: a shared host's load changes from minute to minute
            alone = _answer(_child("--bare", warc, str(args.pages)))
            pair = [_child("--bare", warc, str(args.pages)) for _ in range(2)]
            together = [_answer(process) for process in pair]
            slowdowns.append(sum(run["cpu_s"] for run in together) / 2 / alone["cpu_s"])
            print(
                f"bare pipeline on {alone['pages']:.0f} pages: {alone['cpu_s']:.2f} CPU s alone, "
                f"{together[0]['cpu_s']:.2f} and {together[1]['cpu_s']:.2f} with two at once ({slowdowns[-1]:.3f}x)"
            )
        print(
            f"  ceiling on this machine: two workers give at most {2 / max(slowdowns):.2f}x to "
            f"{2 / min(slowdowns):.2f}x one"
        )
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
