"""The clickbait classifier scored on the held-out part of its fixed-seed split."""

from __future__ import annotations

from pathlib import Path

from newstrace.assess.clickbait import ClickbaitModel
from newstrace.datasets.clickbait import SEED, TEST_SHARE, split_dataset
from newstrace.evaluate.metrics import prf


def evaluate_clickbait(folder: Path) -> dict[str, object]:
    """Accuracy, precision, recall and F1 (clickbait as the positive class) on the held-out headlines."""
    _, test_headlines, _, test_labels = split_dataset(folder)
    predicted = [p >= 0.5 for p in ClickbaitModel().probabilities(test_headlines)]
    truth = [label == 1 for label in test_labels]
    tp = sum(p and t for p, t in zip(predicted, truth, strict=True))
    fp = sum(p and not t for p, t in zip(predicted, truth, strict=True))
    fn = sum(t and not p for p, t in zip(predicted, truth, strict=True))
    correct = sum(p == t for p, t in zip(predicted, truth, strict=True))
    precision, recall, f1 = prf(tp, tp + fp, tp, tp + fn)
    return {
        "dataset": str(folder),
        "split": f"stratified, seed {SEED}, {TEST_SHARE:.0%} held out",
        "headlines": len(truth),
        "accuracy": round(correct / len(truth), 4),
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }
