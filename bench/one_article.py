"""One article ingested into a large store against the same into an empty one: wall time and peak RSS.

``newstrace ingest ARTICLE --db STORE --workers 1`` runs as a new process each round, alternating between a
copy of the large store and a new empty store, so both pay the same start-up and pipeline loads; the figure that
matters is the ratio. The large store is brought up to today's schema once first (a store of an older schema
builds its story index tables on its first write; that one-off cost is reported apart).

    python bench/one_article.py --store STORE.db [--rounds 3] [--article PAGE]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newstrace.store import Store

EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "newstrace" / "examples" / "wire_blog_copy.html"


def _peak_of(article: Path, store: Path) -> tuple[float, float]:
    """Wall seconds and the process's own peak RSS (MB), as GNU time reports it (NaN where it is not installed)."""
    timer = "/usr/bin/time"
    if not Path(timer).exists():
        began = time.perf_counter()
        command = [sys.executable, "-m", "newstrace", "ingest", str(article), "--db", str(store), "--workers", "1"]
        subprocess.run(command, check=True, capture_output=True)
        return time.perf_counter() - began, float("nan")
    began = time.perf_counter()
    command = [timer, "-f", "%M", sys.executable, "-m", "newstrace", "ingest", str(article), "--db", str(store)]
    done = subprocess.run([*command, "--workers", "1"], check=True, capture_output=True, text=True)
    took = time.perf_counter() - began
    return took, int(done.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    """Alternate rounds of one article into a copy of the large store and into an empty store."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a large SQLite store (copied, never written)")
    parser.add_argument("--article", type=Path, default=EXAMPLE)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newstrace-one-") as work:
        master = Path(work) / "large.db"
        shutil.copy(args.store, master)
        began = time.perf_counter()
        with Store(master) as store:
            store.stories.sync()  # today's schema, the story index's tables built: what a store is after one write
            count = store.count()
        print(f"large store: {count} articles; brought to today's schema in {time.perf_counter() - began:.1f} s")
        rows: dict[str, list[tuple[float, float]]] = {"empty": [], "large": []}
        for round_number in range(args.rounds):
            empty = Path(work) / f"empty{round_number}.db"
            large = Path(work) / f"large{round_number}.db"
            shutil.copy(master, large)
            rows["empty"].append(_peak_of(args.article, empty))
            rows["large"].append(_peak_of(args.article, large))
            empty.unlink()
            large.unlink()
        wall = {name: statistics.median(t for t, _ in found) for name, found in rows.items()}
        peak = {name: statistics.median(m for _, m in found) for name, found in rows.items()}
        print(f"{'store':>8} {'wall s':>8} {'peak RSS MB':>12}")
        for name in rows:
            print(f"{name:>8} {wall[name]:>8.2f} {peak[name]:>12.0f}")
        print(
            f"large / empty: wall {wall['large'] / wall['empty']:.2f}x, peak RSS {peak['large'] / peak['empty']:.2f}x"
        )


if __name__ == "__main__":
    main()
