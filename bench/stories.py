"""Milliseconds to assign one article to its story as the index grows to 100,000 stored articles.

A synthetic corpus (seeded): a Zipf-distributed background vocabulary of 50,000 words, stories of
geometric size (mean 5) each with 15 words of its own, articles of 120 words (a quarter from their
story) arriving in date order over two years, each with a lede vector (its story's random direction
plus noise) for the split check to read, as the pipeline's ``lede_vector`` stage gives real articles.
At each checkpoint the next 200 articles are timed
one by one (CPU time of this process, one core) and the median, 95th percentile and candidates
compared are printed; for scale, the same 200 articles are also scored by brute force against every
stored article (a sparse matrix product, scikit-learn), the cost an unindexed assignment would pay.
With ``--one-story N`` it instead grows one story to N members over 2,000 background articles and
prints the join cost by story size: a joining article's similarities to every member are what a
story's split check keeps, so a large story costs more per join until ``split_max_members``.

At the largest size it then does what a new process writing to a store of that size does once
before its first write: rebuilds the index by adding the stored articles again in the order they
were stored (the store keeps no index state), and reports the rebuild's wall time, per article, and
whether the next probes land where the index that never left memory puts them.

With ``--persisted STORE`` (a SQLite path or a PostgreSQL URL) the index keeps its state in the store's tables
instead (what every writing command does): the synthetic articles are stored as article rows in transactions of
500 and assigned by the store's story keeper; at each size the next probes are each stored and assigned in a write
transaction of their own (wall time, commit included), and the writer's peak RSS and the store's size per article
are printed. Then a new process opens the store and times its first assignment (``--first``).

    python bench/stories.py [--sizes 1000,10000,100000] [--probes 200] [--one-story 300]
    python bench/stories.py --persisted /tmp/stories.db [--sizes 100000,300000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer
from sqlalchemy import insert, select

from newstrace.corpus import StoryDoc, StoryIndex
from newstrace.embed import pack
from newstrace.store import Store
from newstrace.store.schema import articles

SEED = 14


def _lede_vectors(rng: np.random.Generator) -> Iterator[str]:
    """Packed lede vectors of one synthetic story: its own direction plus each article's noise (cosine ~0.70)."""
    direction = rng.normal(size=384)
    while True:
        yield pack(direction + 0.65 * rng.normal(size=384))


def synthetic_articles(total: int) -> Iterator[StoryDoc]:
    """``total`` articles in date order, each belonging to one synthetic story."""
    rng = random.Random(SEED)
    vectors = np.random.default_rng(SEED)
    vocabulary = [f"w{i}x" for i in range(50_000)]
    weights = [1.0 / (rank + 1) for rank in range(len(vocabulary))]
    background = rng.choices(vocabulary, weights=weights, k=2_000_000)
    pending: list[tuple[float, int, int]] = []  # (day, story, n) for every article of every story
    story, count = 0, 0
    while count < total:
        size = min(int(rng.expovariate(1 / 5)) + 1, total - count)
        start = rng.uniform(0, 730)
        pending.extend((start + rng.uniform(0, 3), story, n) for n in range(size))
        story, count = story + 1, count + size
    pending.sort()
    story_words: dict[int, list[str]] = {}
    story_ledes: dict[int, Iterator[str]] = {}
    left = Counter(story_number for _, story_number, _ in pending)
    cursor = 0
    for day, story_number, n in pending:
        own = story_words.setdefault(story_number, rng.sample(vocabulary[5_000:], 15))
        ledes = story_ledes.setdefault(story_number, _lede_vectors(vectors))
        left[story_number] -= 1
        if not left[story_number]:  # the story's last article: its words and direction are not needed again
            del story_words[story_number], story_ledes[story_number], left[story_number]
        words = rng.choices(own, k=30) + background[cursor : cursor + 90]
        cursor = (cursor + 90) % (len(background) - 90)
        rng.shuffle(words)
        published = time.strftime("%Y-%m-%d", time.gmtime(1_600_000_000 + day * 86_400))
        yield StoryDoc(f"s{story_number}-{n}", " ".join(words), published=published, lede_vector=next(ledes))


def one_story(members: int) -> None:
    """Milliseconds per join as one synthetic story grows to ``members`` articles."""
    rng = random.Random(SEED)
    vectors = np.random.default_rng(SEED)
    vocabulary = [f"w{i}x" for i in range(50_000)]
    weights = [1.0 / (rank + 1) for rank in range(len(vocabulary))]
    index = StoryIndex()
    for n in range(2_000):
        lede = next(_lede_vectors(vectors))
        index.add(StoryDoc(f"bg{n}", " ".join(rng.choices(vocabulary, weights=weights, k=120)), lede_vector=lede))
    own = rng.sample(vocabulary[5_000:], 15)
    ledes = _lede_vectors(vectors)
    timings = []
    for n in range(members):
        words = rng.choices(own, k=30) + rng.choices(vocabulary, weights=weights, k=90)
        rng.shuffle(words)
        began = time.process_time()
        index.add(StoryDoc(f"s{n}", " ".join(words), lede_vector=next(ledes)))
        timings.append((time.process_time() - began) * 1000)
    cap = index.settings.split_max_members
    print(f"{'members':>9} {'median ms':>10} {'max ms':>8}")
    for low, high in ((1, 50), (50, cap), (cap, members)):
        part = timings[low:high]
        if part:
            print(f"{low:>4}-{high:<4} {statistics.median(part):>10.2f} {max(part):>8.2f}")
    print(f"stories the {members} articles ended in: {len({index.story_of(f's{n}') for n in range(members)})}")


def _store_and_assign(store: Store, docs: list[StoryDoc]) -> float:
    """Store these docs as article rows and assign them, in one write transaction; the assignment's wall seconds."""
    rows = [
        {
            "id": doc.id, "source": f"synthetic:{doc.id}", "headline": doc.headline, "published": doc.published,
            "text": doc.text, "data": zlib.compress(json.dumps({"removed": {"text": []}}).encode()),
            "ingested_at": "2026-12-08T00:00:00Z",
        }
        for doc in docs
    ]  # fmt: skip
    with store.engine.execution_options(newstrace_write=True).begin() as connection:
        connection.execute(insert(articles), rows)
        ids = select(articles.c.id, articles.c.pk).where(articles.c.id.in_([doc.id for doc in docs]))
        keys = {article_id: pk for article_id, pk in connection.execute(ids)}
        began = time.perf_counter()
        store.stories.add_docs(connection, [(keys[doc.id], doc) for doc in docs])
        return time.perf_counter() - began


def persisted(target: str, sizes: list[int], probes: int) -> None:
    """Grow a store's story index to each size; time the next probes' write transactions there; then a new
    process's first assignment."""
    articles_in = synthetic_articles(sizes[-1] + probes * len(sizes) + 1)
    with Store(target) as store:
        print(
            f"{'stored':>8} {'assign median/p95 ms':>21} {'write median/p95 ms':>20} {'build s':>8} "
            f"{'peak RSS MB':>12} {'KB/article':>11}"
        )
        stored, started = 0, time.perf_counter()
        for size in sizes:
            while stored < size:
                batch = [next(articles_in) for _ in range(min(500, size - stored))]
                _store_and_assign(store, batch)
                stored += len(batch)
            built = time.perf_counter() - started
            timings, assigning = [], []
            for _ in range(probes):
                doc = next(articles_in)
                began = time.perf_counter()
                assigning.append(_store_and_assign(store, [doc]) * 1000)
                timings.append((time.perf_counter() - began) * 1000)
            stored += probes
            timings.sort()
            assigning.sort()
            p95 = timings[int(0.95 * (len(timings) - 1))]
            assign_p95 = assigning[int(0.95 * (len(assigning) - 1))]
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            size_kb = _store_bytes(store) / stored / 1024 if _store_bytes(store) else float("nan")
            print(
                f"{size:>8} {statistics.median(assigning):>10.2f} /{assign_p95:>8.2f} "
                f"{statistics.median(timings):>10.2f} /{p95:>7.2f} {built:>8.0f} {peak:>12.0f} {size_kb:>11.2f}",
                flush=True,
            )
        last = next(articles_in)
    # A new process: open the store, assign one article.
    import subprocess
    import sys

    first = subprocess.run(
        [sys.executable, __file__, "--first", target, "--first-text", last.text, "--first-date", last.published or ""],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    print(first.stdout.strip())


def _store_bytes(store: Store) -> int:
    """The SQLite file's size (0 for another database)."""
    if store.engine.dialect.name != "sqlite":
        return 0
    path = Path(store.name)
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def first_assignment(target: str, text: str, published: str) -> None:
    """Open the store in this new process and time the first assignment (wall, from before opening)."""
    began = time.perf_counter()
    with Store(target) as store:
        opened = time.perf_counter() - began
        _store_and_assign(store, [StoryDoc(f"first-probe-{time.time_ns()}", text, published=published or None)])
        took = time.perf_counter() - began
    # VmHWM, not ru_maxrss: Linux keeps a process's ru_maxrss across exec, so a child reads its parent's peak.
    peak = next(
        int(line.split()[1]) / 1024 for line in Path("/proc/self/status").read_text().splitlines()
        if line.startswith("VmHWM:")
    )  # fmt: skip
    print(f"new process: store opened in {opened * 1000:.0f} ms, first assignment done {took * 1000:.0f} ms after "
          f"opening began (peak RSS {peak:.0f} MB, imports included)")  # fmt: skip


def main() -> None:
    """Grow the index to each size, timing the next probes' assignment there."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument("--one-story", type=int, default=0, help="grow one story to this many members instead")
    parser.add_argument("--persisted", help="a store (SQLite path or PostgreSQL URL) that keeps the index's state")
    parser.add_argument("--first", help=argparse.SUPPRESS)
    parser.add_argument("--first-text", help=argparse.SUPPRESS)
    parser.add_argument("--first-date", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first:
        first_assignment(args.first, args.first_text, args.first_date)
        return
    if args.one_story:
        one_story(args.one_story)
        return
    if args.persisted:
        persisted(args.persisted, sorted(int(size) for size in args.sizes.split(",")), args.probes)
        return
    sizes = sorted(int(size) for size in args.sizes.split(","))
    articles = synthetic_articles(sizes[-1] + 2 * args.probes)  # the last probes test the rebuilt index
    index = StoryIndex()
    stored: list[str] = []
    hashing = HashingVectorizer(n_features=2**20, alternate_sign=False, norm="l2")
    header = f"{'candidates':>10} {'brute-force ms':>15} {'right story':>12}"
    print(f"{'stored':>8} {'median ms':>10} {'p95 ms':>8} {header}")
    for size in sizes:
        while len(index) < size:
            doc = next(articles)
            index.add(doc)
            stored.append(doc.text)
        matrix = hashing.transform(stored)
        timings, candidates, brute, right = [], [], [], 0
        for _ in range(args.probes):
            doc = next(articles)
            began = time.process_time()
            assignment = index.add(doc)
            timings.append((time.process_time() - began) * 1000)
            candidates.append(assignment.candidates)
            story, n = doc.id.split("-")
            # Right: joined its own story, or opened one as that story's first article.
            right += assignment.story_id.split("-")[0] == story and (not assignment.opened or n == "0")
            began = time.process_time()
            scores = matrix @ hashing.transform([doc.text]).T
            int(np.argmax(scores.toarray()))
            brute.append((time.process_time() - began) * 1000)
            stored.append(doc.text)
        timings.sort()
        p95 = timings[int(0.95 * (len(timings) - 1))]
        print(
            f"{size:>8} {statistics.median(timings):>10.2f} {p95:>8.2f} {statistics.median(candidates):>10.0f} "
            f"{statistics.median(brute):>15.2f} {right / args.probes:>12.1%}",
            flush=True,
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")
    rebuild(index, articles, args.probes)


def rebuild(index: StoryIndex, articles: Iterator[StoryDoc], probes: int) -> None:
    """Rebuild the index from its articles in the order they were added; time it and compare the next assignments."""
    docs = [entry.doc for entry in index._state.all_entries()]
    began = time.perf_counter()
    rebuilt = StoryIndex.rebuild(docs)
    took = time.perf_counter() - began
    same, timings = 0, []
    for _ in range(probes):
        doc = next(articles)
        expected = index.add(doc)
        began = time.process_time()
        same += rebuilt.add(doc) == expected
        timings.append((time.process_time() - began) * 1000)
    print(
        f"rebuilt the index of {len(docs)} articles in {took:.1f} s wall "
        f"({took / len(docs) * 1000:.2f} ms per article); "
        f"next {probes}: {same / probes:.1%} assigned as the in-memory index did, "
        f"median {statistics.median(timings):.2f} ms"
    )


if __name__ == "__main__":
    main()
