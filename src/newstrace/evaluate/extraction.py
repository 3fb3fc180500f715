"""Main-text extraction scored as the ScrapingHub article-extraction benchmark scores it."""

from __future__ import annotations

import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newstrace.datasets.aeb import Page, load_benchmark
from newstrace.evaluate.metrics import f1_score
from newstrace.model import Article, Document
from newstrace.pipeline import Pipeline

_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class SystemScore:
    """Mean per-page shingle precision and recall over a benchmark, and F1 from those means."""

    name: str
    precision: float
    recall: float
    f1: float
    pages: int
    failures: int
    seconds: float


@dataclass(slots=True)
class ExtractionReport:
    """Scores of newstrace and of trafilatura's default settings on the same pages."""

    path: str
    systems: list[SystemScore] = field(default_factory=list)
    located_lines: float = 0.0

    def to_dict(self) -> dict[str, object]:
        """Plain data for ``--json``."""
        return {
            "benchmark": "scrapinghub-article-extraction",
            "path": self.path,
            "metric": "mean per-page 4-gram shingle precision/recall; F1 of the means",
            "systems": {
                s.name: {k: getattr(s, k) for k in ("precision", "recall", "f1", "pages", "failures", "seconds")}
                for s in self.systems
            },
            "located_lines": self.located_lines,
        }


def shingle_match(true: str, predicted: str, n: int = 4) -> tuple[float, float, float]:
    """True positives, false positives and false negatives over word 4-gram shingles, normalised to sum 1."""
    true_shingles, predicted_shingles = _shingles(true, n), _shingles(predicted, n)
    tp = fp = fn = 0.0
    for key in true_shingles.keys() | predicted_shingles.keys():
        t, p = true_shingles.get(key, 0), predicted_shingles.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _shingles(text: str, n: int) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def _score(name: str, counts: list[tuple[float, float, float]], failures: int, seconds: float) -> SystemScore:
    precision = statistics.mean([_precision(*c) for c in counts if c[0] + c[1] > 0] or [0.0])
    recall = statistics.mean([_recall(*c) for c in counts if c[0] + c[2] > 0] or [0.0])
    f1 = f1_score(precision, recall)
    return SystemScore(
        name,
        round(precision, 4),
        round(recall, 4),
        round(f1, 4),
        len(counts),
        failures,
        round(seconds, 2),
    )


def evaluate_extraction(path: Path, progress: Callable[[list[Page]], Iterable[Page]] | None = None) -> ExtractionReport:
    """Score newstrace's clean stage and bare trafilatura (default settings) on an AEB folder."""
    import trafilatura

    pages = load_benchmark(path)
    pipeline = Pipeline(("clean",))
    ours: list[tuple[float, float, float]] = []
    theirs: list[tuple[float, float, float]] = []
    our_failures = their_failures = 0
    our_seconds = their_seconds = 0.0
    located = total_lines = 0
    for page_id, html, url, gold in progress(pages) if progress else pages:
        document = Document(source=page_id, raw=html, media_type="text/html", source_hash=page_id, url=url)
        started = time.perf_counter()
        result = pipeline.process(document)
        our_seconds += time.perf_counter() - started
        if isinstance(result, Article):
            ours.append(shingle_match(gold, result.text))
            total_lines += len(result.paragraphs)
            located += sum(1 for p in result.paragraphs if result.raw_offset(p.start) is not None)
        else:
            our_failures += 1
            ours.append(shingle_match(gold, ""))
        started = time.perf_counter()
        extracted = trafilatura.extract(html, url=url)
        their_seconds += time.perf_counter() - started
        their_failures += extracted is None
        theirs.append(shingle_match(gold, extracted or ""))
    report = ExtractionReport(str(path))
    report.systems.append(_score("newstrace", ours, our_failures, our_seconds))
    report.systems.append(_score("trafilatura (default)", theirs, their_failures, their_seconds))
    report.located_lines = round(located / total_lines, 4) if total_lines else 0.0
    return report
