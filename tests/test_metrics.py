"""The shared precision/recall/F1 helper every evaluator reports with."""

from __future__ import annotations

from newstrace.evaluate.metrics import f1_score, prf, prf_dict


def test_prf_by_hand_and_empty_cases() -> None:
    assert prf(3, 4, 3, 6) == (0.75, 0.5, 0.6)
    assert prf(0, 0, 0, 5) == (0.0, 0.0, 0.0)  # nothing predicted
    assert prf(0, 3, 0, 0) == (0.0, 0.0, 0.0)  # nothing to find
    assert f1_score(0.0, 0.0) == 0.0
    assert prf_dict(1, 2, 1, 1) == {"precision": 0.5, "recall": 1.0, "f1": 0.6667}
