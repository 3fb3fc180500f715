"""What the Ray runner's skip set costs: the Bloom filter it sends now against the set of hashes it sent before.

A Ray ingest sends its actors the content hashes its output holds so they pass those inputs over before any work
(issue #29). This builds both forms from N synthetic content hashes (SHA-256, hex, as the store keeps them) and prints
their sizes: the set's objects in memory (each actor unpickled its own copy) and pickled (the object store's copy per
node), the filter's bits (one copy per node, read zero-copy), the time to build the filter, and its false positives
among N hashes never added, each of which the driver asks the sink about and has run after all.

    python bench/skip_set.py --hashes 1000000
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
import time
from collections.abc import Iterable

from newstrace.run.ray_engine import SKIP_ERROR, RayRunner


def hashes(start: int, count: int) -> list[str]:
    return [hashlib.sha256(number.to_bytes(8, "little")).hexdigest() for number in range(start, start + count)]


class Held:
    """A sink holding ``values``, as the runner asks it."""

    def __init__(self, values: list[str]) -> None:
        self.values = values

    def known_sources(self, wanted: Iterable[str]) -> set[str]:
        raise NotImplementedError  # the filter is built from held_sources alone

    def held_sources(self) -> set[str]:
        return set(self.values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hashes", type=int, default=1_000_000, help="how many stored hashes (default 1,000,000)")
    parser.add_argument("--error", type=float, default=SKIP_ERROR, help=f"the filter's error rate ({SKIP_ERROR:g})")
    args = parser.parse_args()
    count = args.hashes
    held = hashes(0, count)
    before = frozenset(held)
    in_memory = sys.getsizeof(before) + sum(sys.getsizeof(value) for value in held)
    pickled = len(pickle.dumps(before, protocol=5))
    del before
    started = time.perf_counter()
    bloom = RayRunner(skip_error=args.error).skip_filter(Held(held))
    built = time.perf_counter() - started
    assert bloom is not None and all(value in bloom for value in held)
    others = hashes(count, count)
    started = time.perf_counter()
    false_positives = sum(value in bloom for value in others)
    lookup = (time.perf_counter() - started) / count
    per_10m = 10_000_000 / count
    print(f"{count:,} stored hashes")
    print(f"  before: frozenset  {in_memory / 1e6:8.1f} MB in memory per actor, {pickled / 1e6:.1f} MB pickled")
    print(f"  now:    Bloom      {bloom.nbytes / 1e6:8.2f} MB per node ({bloom.nbytes / count:.2f} bytes a hash,")
    print(f"          error {args.error:g}, {bloom.probes} probes), built in {built:.1f} s,", end=" ")
    print(f"{lookup * 1e6:.1f} µs a lookup")
    print(f"          false positives among {count:,} new hashes: {false_positives} ({false_positives / count:.1e})")
    print(f"  per 10 M hashes: {in_memory * per_10m / 1e9:.2f} GB before, {bloom.nbytes * per_10m / 1e6:.0f} MB now")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
