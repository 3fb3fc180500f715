"""Headline stance scored as FNC-1 scores it, with the confusion matrix and per-class F1."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from newstrace.assess.headline import HeadlineChecker
from newstrace.assess.stance import LABELS, Pair, StanceModel
from newstrace.datasets.fnc1 import read_fnc, split_pairs
from newstrace.evaluate._ledes import body_lede_vectors
from newstrace.evaluate.metrics import prf

RELATED = ("agree", "disagree", "discuss")
SPLIT_NAMES = {
    None: "all pairs",
    "bodies": "held-out development bodies",
    "stories": "held-out stories",
    "stories-validation": "validation stories inside training",
}


def fnc_score(gold: list[str], predicted: list[str]) -> tuple[float, float]:
    """The official FNC-1 score and its maximum: +0.25 for related/unrelated right; +0.75 more for the right
    agree/disagree/discuss of a related pair."""
    score = 0.0
    for g, p in zip(gold, predicted, strict=True):
        if g == p:
            score += 0.25
            if g != "unrelated":
                score += 0.50
        if g in RELATED and p in RELATED:
            score += 0.25
    best = sum(1.0 if g in RELATED else 0.25 for g in gold)
    return score, best


def held_out_pairs(stances_csv: Path, bodies_csv: Path, split: str | None) -> list[Pair]:
    """Every scored pair of the files, or only ``split``'s held-out part (``bodies``, ``stories``...)."""
    pairs = read_fnc(stances_csv, bodies_csv)
    if split:
        pairs = split_pairs(pairs, split)[1]
    if not pairs or any(p.stance is None for p in pairs):
        raise FileNotFoundError(f"{stances_csv}: no gold Stance column to score against")
    return pairs


def stance_scores(gold: list[str], predicted: list[str]) -> dict[str, object]:
    """The FNC-1 score (% of the maximum), macro-F1, per-class F1 and the confusion matrix."""
    score, best = fnc_score(gold, predicted)
    matrix = {g: {p: 0 for p in LABELS} for g in LABELS}
    for g, p in zip(gold, predicted, strict=True):
        matrix[g][p] += 1
    per_class = {}
    for label in LABELS:
        tp = matrix[label][label]
        fp = sum(matrix[g][label] for g in LABELS) - tp
        fn = sum(matrix[label].values()) - tp
        per_class[label] = prf(tp, tp + fp, tp, tp + fn)[2]
    return {
        "fnc_score": round(100 * score / best, 2),
        "macro_f1": round(sum(per_class.values()) / len(LABELS), 4),
        "f1": per_class,
        "confusion": matrix,
    }


def evaluate_stance(
    stances_csv: Path,
    bodies_csv: Path,
    dev_split: bool = False,
    headline_check: bool = False,
    progress: Callable[[list[Pair]], Iterable[Pair]] | None = None,
    split: str | None = None,
    model: Path | None = None,
) -> dict[str, object]:
    """Score the shipped model (or ``model``) on every pair, or on ``split``'s held-out part.

    ``dev_split`` is ``split="bodies"``. With ``headline_check`` the prediction is the full headline check's
    overall stance (claims split, explicit denials applied) rather than the bare model's.
    """
    split = split or ("bodies" if dev_split else None)
    pairs = held_out_pairs(stances_csv, bodies_csv, split)
    stance_model = StanceModel(model) if model else StanceModel()
    if headline_check:
        checker = HeadlineChecker(stance_model)
        ledes = body_lede_vectors(pairs)
        predicted = [
            checker.check(p.headline, p.body, lede_vector=ledes[p.body_id]).stance for p in (progress or iter)(pairs)
        ]
    else:
        probabilities = stance_model.predict(pairs)
        predicted = [max(row, key=lambda label: row[label]) for row in probabilities]
    return {
        "pairs": len(pairs),
        "split": SPLIT_NAMES[split],
        "predictor": "headline check" if headline_check else "stance model",
        **stance_scores([str(p.stance) for p in pairs], predicted),
    }
