"""Search and speaker-query latency on a store of synthetic articles, in-process, with the stored size per article.

Articles are generated with a fixed seed: Zipf-distributed words from a 20,000-word vocabulary
(so "said", "the" and a few others are in nearly every article), ~420 words each (about 2.8 KB,
the mean text length of the ScrapingHub pages), with entities, mentions and statements by a
pool of 2,000 speakers. The store is built once (write speed reported), then each query runs
``--repeat`` times; latencies are wall-clock milliseconds of ``Store.search`` /
``Store.statements`` in this process. The speaker queries ("Person 42": the 11 speakers with a word
that "42" begins; "Person": every speaker) are timed at ``--quotes-at`` articles (10,000 by default)
and again at the full size, each after one run that warms its pages.

    python bench/search.py [--articles 100000] [--db PATH [--reuse]] [--repeat 5] [--quotes-at 10000]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from newstrace.model import Article, Entity, Mention, Quote, Span, Speaker
from newstrace.store import Store

COMMON = ["the", "said", "of", "to", "and", "a", "in", "on", "for", "that", "was", "with", "by", "he", "it"]
QUERIES = [
    "said",
    "the",
    "said minister",
    '"the minister said"',
    "government OR parliament",
    "talks NOT ceasefire",
    "minist*",
    "negot*",
    "harbour fishing quotas",
    '"joint patrol"',
    "(Minsk OR Kiev) troops",
    "w1234",
    "w19999",
    "w40 w41",
    "said -the",
    "border* OR frontier*",
    "election commission",
    '"said on Saturday"',
    "troops said",
    "w7 OR w8 OR w9",
]
# Fixed filter cases beside the plain queries: (query, filters).
FILTERED: list[tuple[str, dict[str, str]]] = [
    ("said", {"since": "2024-06-01", "until": "2024-06-30"}),
    ("said", {"site": "site17.example"}),
    ("minister", {"speaker": "Person 42"}),
]
TOPICAL = [
    "minister",
    "government",
    "parliament",
    "talks",
    "ceasefire",
    "negotiations",
    "harbour",
    "fishing",
    "quotas",
    "joint",
    "patrol",
    "Minsk",
    "Kiev",
    "troops",
    "border",
    "frontier",
    "election",
    "commission",
    "Saturday",
    "negotiator",
]


def vocabulary(size: int) -> tuple[list[str], list[float]]:
    """Common words first, then topical ones, then ``w<n>``; weights by Zipf's law."""
    words = COMMON + TOPICAL + [f"w{n}" for n in range(size - len(COMMON) - len(TOPICAL))]
    weights = [1.0 / (rank + 1) for rank in range(len(words))]
    return words, weights


def make_article(number: int, rng: random.Random, words: list[str], weights: list[float]) -> Article:
    """One synthetic article with two entities and three statements, every span cut from its text."""
    body = rng.choices(words, weights, k=420)
    speaker = f"Person {rng.randrange(2000)}"
    parts = [" ".join(body[:140]), f"{speaker} said the minister said on Saturday.", " ".join(body[140:])]
    text = " ".join(parts) + "."
    start = text.index(speaker)
    name = Span(start, start + len(speaker), speaker)
    cue_at = start + len(speaker) + 1
    content_at = cue_at + len("said ")
    content = Span(content_at, content_at + len("the minister said on Saturday."), "the minister said on Saturday.")
    article = Article(
        id=f"{number:064x}",
        source=f"synthetic/{number}.html",
        source_hash=f"{number:064x}",
        media_type="text/html",
        text=text,
        site=f"site{number % 50}.example",
        headline=" ".join(rng.choices(words, weights, k=8)),
        published=f"2024-{number % 12 + 1:02}-{number % 28 + 1:02}",
        reference_date=f"2024-{number % 12 + 1:02}-{number % 28 + 1:02}",
        language="en",
    )
    article.paragraphs = [Span(0, len(text), text)]
    article.entities_index = [Entity("e1", speaker, "PERSON", [speaker.split()[-1]], ["minister"])]
    article.entities = [Mention(speaker, "PERSON", name.start, name.end, "e1")]
    cue = Span(cue_at, cue_at + 4, "said")
    said_by = Speaker(name, "e1", speaker, "named")
    confidence = 0.5 + (number % 5) / 10
    article.quotes = [
        Quote("indirect", content, cue, "say", said_by, None, article.published, "reference", confidence)
        for _ in range(3)
    ]
    assert article.provenance_errors() == []
    return article


CPU_MS: list[float] = []  # the CPU time of every timed call, beside its wall time


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock milliseconds of each call; its CPU milliseconds go to CPU_MS (load elsewhere does not count)."""
    times = []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - started) * 1000)
        CPU_MS.append((time.process_time() - cpu) * 1000)
    return times


def speaker_query(store: Store, repeat: int, speaker: str = "Person 42") -> tuple[list[float], int]:
    """``quotes --speaker SPEAKER`` (a page of 100): wall milliseconds of each run after one to warm the pages it
    reads (as the search queries are), at least 20 runs so that p95 is not the slowest one; and its statements."""
    found = len(store.statements(speaker=speaker, limit=100))
    return timed(lambda: store.statements(speaker=speaker, limit=100), max(repeat, 20)), found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def build(store: Store, start: int, end: int, rng: random.Random, words: list[str], weights: list[float]) -> float:
    """Write articles ``start:end``; return articles written per second (generation excluded)."""
    spent = 0.0
    for batch_start in range(start, end, 1000):
        batch = [make_article(n, rng, words, weights) for n in range(batch_start, min(end, batch_start + 1000))]
        began = time.perf_counter()
        store.write(batch)
        spent += time.perf_counter() - began
    return (end - start) / spent


def stored_bytes(path: Path) -> dict[str, int]:
    """Bytes per table and index (SQLite's dbstat), after a checkpoint."""
    import sqlite3

    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = connection.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    return {name: size for name, size in rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--quotes-at", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", type=Path, help="Keep the store here (default: a temporary folder).")
    parser.add_argument("--reuse", action="store_true", help="Query the store already at --db; build nothing.")
    args = parser.parse_args()
    rng = random.Random(13)
    words, weights = vocabulary(20_000)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        first = min(args.quotes_at, args.articles)
        if args.reuse and path.exists():
            # A store this script built before (same seed and size): the queries only, no write or 10k figures.
            store = Store(path)
            rate = rate_rest = 0.0
            quotes_small = everyone_small = ([0.0], 0)
        else:
            path.unlink(missing_ok=True)
            store = Store(path)
            rate = build(store, 0, first, rng, words, weights)
            quotes_small = speaker_query(store, args.repeat)
            everyone_small = speaker_query(store, args.repeat, "Person")
            rate_rest = build(store, first, args.articles, rng, words, weights) if args.articles > first else rate
        count = store.count()
        quotes_full = speaker_query(store, args.repeat)
        everyone_full = speaker_query(store, args.repeat, "Person")
        latencies: list[float] = []
        rows = []
        CPU_MS.clear()
        for query in QUERIES:
            hits = len(store.search(query, limit=20))  # warm the page cache for this query's pages once
            measured = timed(lambda query=query: store.search(query, limit=20), args.repeat)
            latencies += measured
            cpu_latencies = list(CPU_MS)
            rows.append((query, "", hits, statistics.median(measured), max(measured)))
        for query, filters in FILTERED:
            hits = len(store.search(query, limit=20, **filters))
            measured = timed(lambda query=query, filters=filters: store.search(query, limit=20, **filters), args.repeat)
            shown = " ".join(f"--{key} {value!r}" for key, value in filters.items())
            rows.append((query, shown, hits, statistics.median(measured), max(measured)))
        store.close()
        sizes = stored_bytes(path)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{count:,} synthetic articles; write {rate:,.0f} articles/s (first {first:,}), {rate_rest:,.0f} after")
    speaker_rows = [("Person 42", count, quotes_full), ("Person", count, everyone_full)]
    if not args.reuse:  # a reused store is queried at its full size only
        speaker_rows = [("Person 42", first, quotes_small), ("Person", first, everyone_small), *speaker_rows]
    for speaker, size, (measured, found) in speaker_rows:
        print(
            f"quotes --speaker {speaker!r} at {size:,} articles ({found} statements): median "
            f"{statistics.median(measured):.1f} ms, p95 {percentile(measured, 0.95):.1f} ms, max {max(measured):.1f} ms"
        )
    print(
        f"search over {len(QUERIES)} queries x {args.repeat}: wall p50 {percentile(latencies, 0.5):.1f} ms, "
        f"p95 {percentile(latencies, 0.95):.1f} ms, max {max(latencies):.1f} ms; CPU "
        f"p50 {percentile(cpu_latencies, 0.5):.1f} ms, p95 {percentile(cpu_latencies, 0.95):.1f} ms"
    )
    for query, filters, hits, median, worst in rows:
        print(f"  {query!r:<28} {filters:<40} {hits:>3} hits  median {median:7.1f} ms  max {worst:7.1f} ms")
    total = sum(sizes.values())
    print(f"database {total / 1e6:,.1f} MB; by table and index (KB per article):")
    for name, size in sorted(sizes.items(), key=lambda item: -item[1])[:12]:
        print(f"  {name:<32} {size / count / 1024:6.2f}")
    print(f"peak RSS {peak:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
