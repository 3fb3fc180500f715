"""How long a command takes to start: ``newstrace --version``, ``--help`` and a search of a small store.

Each is run as a fresh process five times and the median wall time printed, beside the same for a bare
``python -c pass`` and for ``import spacy`` (the peer a reader knows), measured in the same run. The store is made
once in a scratch folder by ``newstrace ingest`` of the bundled example (the models load for that, not timed).

    python bench/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "newstrace" / "examples" / "wire_blog_copy.txt"
CLI = [sys.executable, "-m", "newstrace"]


def median_seconds(command: list[str], runs: int) -> float:
    """The median wall time of ``runs`` fresh runs of ``command`` (each must succeed)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newstrace-startup-") as work:
        db = str(Path(work) / "small.db")
        subprocess.run([*CLI, "ingest", str(EXAMPLE), "--db", db, "--workers", "1"], check=True, capture_output=True)
        rows = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "python -c 'import spacy'": [sys.executable, "-c", "import spacy"],
            "newstrace --version": [*CLI, "--version"],
            "newstrace --help": [*CLI, "--help"],
            "newstrace search patrol (1 article)": [*CLI, "search", "patrol", "--db", db],
        }
        print(f"{'command':<40} {'median s':>9}")
        for name, command in rows.items():
            print(f"{name:<40} {median_seconds(command, args.runs):>9.3f}")


if __name__ == "__main__":
    main()
