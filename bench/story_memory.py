"""Memory of a story index held in memory: a stored corpus replayed into it, RSS read as it grows.

An evaluation (FNC-1's stories) holds its story index in memory (``MemoryState``); a store's writer does not since
schema v9 (the index's state is in the store's tables, issue #29), and writers held one of every stored article before.
This replays a store's articles into an index in memory (`Store.story_docs`, `StoryIndex.add`) and prints, at a
quarter, half and all of them, the growth of this process's RSS since before the first article, per stored article and
as a ratio to the bytes of cleaned text the index was given.

    python bench/story_memory.py --db STORE.db
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from newstrace.corpus import StoryIndex
from newstrace.store import Store


def rss_mb() -> float:
    """This process's resident memory now, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a SQLite store (schema 6 or later)")
    args = parser.parse_args()
    with Store(args.db, create=False) as store:
        total = store.count()
        checkpoints = {max(1, total // 4), max(1, total // 2), total}
        index, text_bytes = StoryIndex(), 0
        before, started = rss_mb(), time.process_time()
        for count, doc in enumerate(store.story_docs(), 1):
            index.add(doc)
            text_bytes += len(doc.text.encode("utf-8"))
            if count in checkpoints:
                grown = rss_mb() - before
                print(
                    f"{count:>8,} articles: RSS +{grown:7.1f} MB, {grown * 1024 / count:5.1f} KB per article,"
                    f" {grown * 2**20 / text_bytes:4.1f}x the text it was given;"
                    f" {time.process_time() - started:6.1f} CPU s",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
