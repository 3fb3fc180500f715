"""How predictions are scored against gold, below both evaluation and training.

Precision, recall and F1 as every evaluator here reports them; calibration of a confidence (bins, ECE, AUROC); and
the whosaid statement and speaker rule, which scores ``evaluate speakers`` and labels the speaker-confidence
model's training data alike.
"""

from newstrace.evaluate.metrics._calibration import (
    BINS,
    CalibrationBin,
    auroc,
    calibration_bins,
    expected_calibration_error,
)
from newstrace.evaluate.metrics._prf import f1_score, prf, prf_dict
from newstrace.evaluate.metrics._speaker_match import (
    MENTION_TYPES,
    locate,
    mention_type,
    normalise_name,
    speaker_is_right,
)
from newstrace.evaluate.metrics._speaker_scores import (
    KINDS,
    GroupScores,
    SpeakerScores,
    StatementResult,
    score_speakers,
)

__all__ = [
    "BINS",
    "KINDS",
    "MENTION_TYPES",
    "CalibrationBin",
    "GroupScores",
    "SpeakerScores",
    "StatementResult",
    "auroc",
    "calibration_bins",
    "expected_calibration_error",
    "f1_score",
    "locate",
    "mention_type",
    "normalise_name",
    "prf",
    "prf_dict",
    "score_speakers",
    "speaker_is_right",
]
