"""Precision, recall and F1, as every evaluator here reports them."""

from __future__ import annotations


def f1_score(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def prf(correct_predicted: int, predicted: int, correct_gold: int, gold: int) -> tuple[float, float, float]:
    """Precision over the predictions, recall over the gold items, and their F1, rounded to 4 places.

    The correct counts differ where matching is not one-to-one (a prediction may cover two gold items).
    """
    precision = correct_predicted / predicted if predicted else 0.0
    recall = correct_gold / gold if gold else 0.0
    return round(precision, 4), round(recall, 4), round(f1_score(precision, recall), 4)


def prf_dict(correct_predicted: int, predicted: int, correct_gold: int, gold: int) -> dict[str, float]:
    """:func:`prf` as ``{"precision": ..., "recall": ..., "f1": ...}`` for JSON reports."""
    return dict(zip(("precision", "recall", "f1"), prf(correct_predicted, predicted, correct_gold, gold), strict=True))
