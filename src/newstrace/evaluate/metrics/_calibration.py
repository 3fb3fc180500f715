"""Calibration of a confidence: equal-width bins, expected calibration error, and AUROC."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]

BINS = 10


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    """One of the equal-width confidence bins: its statements, their mean confidence and right share."""

    low: float
    high: float
    n: int
    right: int
    mean_confidence: float

    @property
    def accuracy(self) -> float:
        """Share of the bin's statements whose speaker is right."""
        return self.right / self.n

    def to_dict(self) -> Json:
        """The bin as JSON (the reference scorer's keys)."""
        return {
            "lo": self.low,
            "hi": self.high,
            "n": self.n,
            "right": self.right,
            "mean_conf": self.mean_confidence,
            "accuracy": self.accuracy,
        }


def _bin_index(confidence: float) -> int:
    return min(int(confidence * BINS), BINS - 1)


def calibration_bins(confidences: Sequence[float], right: Sequence[bool]) -> list[CalibrationBin]:
    """The non-empty equal-width bins over [0, 1] (confidences clipped into it)."""
    members: list[list[tuple[float, bool]]] = [[] for _ in range(BINS)]
    for confidence, is_right in zip(confidences, right, strict=True):
        clipped = min(max(float(confidence), 0.0), 1.0)
        members[_bin_index(clipped)].append((clipped, is_right))
    bins = []
    for index, items in enumerate(members):
        if items:
            total = 0.0
            for clipped, _ in items:
                total += clipped
            right_count = sum(is_right for _, is_right in items)
            bins.append(CalibrationBin(index / BINS, (index + 1) / BINS, len(items), right_count, total / len(items)))
    return bins


def expected_calibration_error(bins: Sequence[CalibrationBin]) -> float | None:
    """Sum over bins of the bin's share of statements times |mean confidence - right share| (None when empty)."""
    count = sum(b.n for b in bins)
    if not count:
        return None
    error = 0.0
    for b in bins:
        error += b.n / count * abs(b.mean_confidence - b.accuracy)
    return error


def auroc(confidences: Sequence[float], right: Sequence[bool]) -> float | None:
    """Chance that a right statement has the higher confidence than a wrong one, ties counting half.

    The Mann–Whitney U over average ranks; None when only one class is present (it is undefined).
    """
    positives = sum(right)
    negatives = len(right) - positives
    if not positives or not negatives:
        return None
    order = sorted(range(len(confidences)), key=lambda i: confidences[i])
    ranks = [0.0] * len(order)
    first = 0
    while first < len(order):
        last = first
        while last + 1 < len(order) and confidences[order[last + 1]] == confidences[order[first]]:
            last += 1
        shared_rank = (first + last) / 2 + 1  # tied values share the mean of their 1-based ranks
        for position in range(first, last + 1):
            ranks[order[position]] = shared_rank
        first = last + 1
    rank_sum = sum(rank for rank, is_right in zip(ranks, right, strict=True) if is_right)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)
