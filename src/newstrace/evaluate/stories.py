"""Story clustering scored on FNC-1: gold stories are bodies linked through the headlines they relate to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from itertools import combinations
from pathlib import Path

from newstrace.corpus import content_words
from newstrace.corpus.story_index import StoryDoc, StoryIndex, StorySettings, TermStatistics
from newstrace.datasets.fnc1 import body_order, gold_stories, in_tuning_part
from newstrace.embed import LedeEncoder
from newstrace.evaluate.metrics import prf_dict

__all__ = ["bcubed", "evaluate_stories", "gold_stories", "newstrace_clusters", "pairwise", "tfidf_baseline"]

BASELINE_THRESHOLD = 0.8  # cosine distance; the threshold ../shared/README.md measured the baseline at


def bcubed(
    gold: dict[str, str], predicted: dict[str, str], skipped: AbstractSet[tuple[str, str]] = frozenset()
) -> dict[str, float]:
    """B-cubed precision, recall and F1 (Bagga and Baldwin 1998): per item, averaged over the items of ``gold``; an
    item's ``skipped`` partners (pairs judged neither right nor wrong) count in neither its cluster nor its story."""
    by_gold: defaultdict[str, set[str]] = defaultdict(set)
    by_predicted: defaultdict[str, set[str]] = defaultdict(set)
    for item, label in gold.items():
        by_gold[label].add(item)
        by_predicted[predicted[item]].add(item)
    partners: defaultdict[str, set[str]] = defaultdict(set)
    for a, b in skipped:
        partners[a].add(b)
        partners[b].add(a)
    precision = recall = 0.0
    for item in gold:
        cluster = by_predicted[predicted[item]] - partners[item]
        truth = by_gold[gold[item]] - partners[item]
        shared = len(cluster & truth)
        precision += shared / len(cluster)
        recall += shared / len(truth)
    n = len(gold)
    return prf_dict(round(precision * 1_000_000), n * 1_000_000, round(recall * 1_000_000), n * 1_000_000)


def pairwise(gold: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    """Pairwise precision, recall and F1: over pairs of items put in one cluster."""
    same_predicted = _pairs(predicted, gold)
    same_gold = _pairs(gold, gold)
    both = len(same_predicted & same_gold)
    return prf_dict(both, len(same_predicted), both, len(same_gold))


def _pairs(
    labels: dict[str, str], items: Iterable[str], skipped: AbstractSet[tuple[str, str]] = frozenset()
) -> set[tuple[str, str]]:
    """The (sorted) pairs of ``items`` that ``labels`` put together, the ``skipped`` ones left out."""
    groups: defaultdict[str, list[str]] = defaultdict(list)
    for item in items:
        groups[labels[item]].append(item)
    return {pair for group in groups.values() for pair in combinations(sorted(group), 2) if pair not in skipped}


def newstrace_clusters(
    bodies: dict[str, str],
    settings: StorySettings | None = None,
    progress: Callable[[list[str]], Iterable[str]] | None = None,
    lede_vectors: bool = True,
) -> dict[str, str]:
    """Each body's story from :class:`StoryIndex`, bodies added one at a time in id order.

    Word statistics are counted over all bodies first, as a store holding them would have them; each body's lede
    vector is made as the pipeline's ``lede_vector`` stage makes it (``lede_vectors=False``: words alone).
    """
    statistics = TermStatistics()
    for text in bodies.values():
        statistics.add(content_words(text))
    index = StoryIndex(settings, statistics)
    encoder = LedeEncoder() if lede_vectors else None
    order = sorted(bodies, key=body_order)
    for body_id in progress(order) if progress else order:
        text = bodies[body_id]
        index.add(StoryDoc(body_id, text, lede_vector=encoder.packed(text) if encoder else None))
    return index.labels()


def tfidf_baseline(bodies: dict[str, str], threshold: float = BASELINE_THRESHOLD) -> dict[str, str]:
    """TF-IDF (sublinear, English stop words) + cosine average-link agglomerative clustering."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids = sorted(bodies, key=body_order)
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([bodies[i] for i in ids])
    clustering = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    )
    labels = clustering.fit_predict(matrix.toarray())
    return {body_id: f"c{label}" for body_id, label in zip(ids, labels, strict=True)}


def _scores(gold: dict[str, str], predicted: dict[str, str], items: Sequence[str]) -> dict[str, object]:
    part_gold = {item: gold[item] for item in items}
    return {
        "bodies": len(items),
        "gold_stories": len(set(part_gold.values())),
        "clusters": len({predicted[item] for item in items}),
        "bcubed": bcubed(part_gold, predicted),
        "pairwise": pairwise(part_gold, predicted),
    }


def evaluate_stories(
    stances_csv: Path,
    bodies_csv: Path,
    with_baseline: bool = True,
    progress: Callable[[list[str]], Iterable[str]] | None = None,
) -> dict[str, object]:
    """Scores of newstrace (and the baseline, same run) on all bodies, the tuning half of stories and the rest.

    A part's scores restrict gold and predictions to its bodies: clusters mixing parts count only within a part.
    """
    bodies, gold = gold_stories(stances_csv, bodies_csv)
    systems = {"newstrace": newstrace_clusters(bodies, progress=progress)}
    if with_baseline:
        systems[f"tfidf-average-link-{BASELINE_THRESHOLD}"] = tfidf_baseline(bodies)
    parts = {
        "all": sorted(bodies, key=body_order),
        "tuning": [b for b in sorted(bodies, key=body_order) if in_tuning_part(gold[b])],
        "rest": [b for b in sorted(bodies, key=body_order) if not in_tuning_part(gold[b])],
    }
    return {
        "stances": str(stances_csv),
        "bodies": str(bodies_csv),
        "systems": {
            name: {part: _scores(gold, predicted, items) for part, items in parts.items()}
            for name, predicted in systems.items()
        },
    }
