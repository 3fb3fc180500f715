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

    python bench/stories.py [--sizes 1000,10000,100000] [--probes 200] [--one-story 300]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
from collections.abc import Iterator

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from newstrace.corpus import StoryDoc, StoryIndex
from newstrace.embed import pack

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
    cursor = 0
    for day, story_number, n in pending:
        own = story_words.setdefault(story_number, rng.sample(vocabulary[5_000:], 15))
        ledes = story_ledes.setdefault(story_number, _lede_vectors(vectors))
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


def main() -> None:
    """Grow the index to each size, timing the next probes' assignment there."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument("--one-story", type=int, default=0, help="grow one story to this many members instead")
    args = parser.parse_args()
    if args.one_story:
        one_story(args.one_story)
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
    docs = [index._entries[index._by_id[article_id]].doc for article_id in index.labels()]
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
