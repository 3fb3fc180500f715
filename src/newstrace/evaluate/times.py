"""Time expressions scored as TempEval-3 Task A: spans strict and relaxed, type, value."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newstrace.annotate.times import find_times
from newstrace.datasets.tempeval import GoldTime, TimeMLDocument, read_timeml
from newstrace.evaluate.metrics import prf_dict

__all__ = ["GoldTime", "TimeMLDocument", "TimeScores", "canonical_value", "evaluate_times", "read_timeml"]


@dataclass(slots=True)
class TimeScores:
    """TempEval-3 Task A figures over a folder of TimeML files."""

    documents: int = 0
    gold: int = 0
    predicted: int = 0
    strict_matches: int = 0
    relaxed_matches: int = 0
    type_correct: int = 0
    value_correct: int = 0
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """The figures, as printed by ``newstrace evaluate times --json``."""
        return {
            "task": "TempEval-3 Task A (time expressions)",
            "documents": self.documents,
            "gold": self.gold,
            "predicted": self.predicted,
            "strict": self._scores(self.strict_matches),
            "relaxed": self._scores(self.relaxed_matches),
            "type_accuracy": round(self.type_correct / self.relaxed_matches, 4) if self.relaxed_matches else 0.0,
            "value": self._scores(self.value_correct),
        }

    def _scores(self, correct: int) -> dict[str, float]:
        return prf_dict(correct, self.predicted, correct, self.gold)


def canonical_value(value: str | None) -> str:
    """One spelling per TIMEX3 value: ISO week numbers with or without a leading zero ("2000-W6" = "2000-W06")."""
    return re.sub(r"-W0(\d)\b", r"-W\1", value or "")


def evaluate_times(folder: Path, progress: Callable[[list[Path]], Iterable[Path]] | None = None) -> TimeScores:
    """Run the time tagger on every ``.tml`` file under ``folder`` (creation time as reference) and score it."""
    files = sorted(folder.rglob("*.tml"))
    if not files:
        raise FileNotFoundError(f"no .tml files under {folder}")
    scores = TimeScores()
    for path in progress(files) if progress else files:
        document = read_timeml(path)
        predictions = find_times(document.text, document.creation_date)
        scores.documents += 1
        scores.gold += len(document.gold)
        scores.predicted += len(predictions)
        used: set[int] = set()
        for gold in document.gold:
            best = None
            for index, predicted in enumerate(predictions):
                if index in used or predicted.end <= gold.start or gold.end <= predicted.start:
                    continue
                if best is None or (predicted.start, predicted.end) == (gold.start, gold.end):
                    best = index
            if best is None:
                scores.errors.append((document.name, document.text[gold.start : gold.end], gold.value, "missed"))
                continue
            used.add(best)
            predicted = predictions[best]
            scores.relaxed_matches += 1
            scores.strict_matches += (predicted.start, predicted.end) == (gold.start, gold.end)
            scores.type_correct += predicted.type == gold.type
            same_value = canonical_value(predicted.value) == canonical_value(gold.value)
            scores.value_correct += same_value
            if not same_value:
                scores.errors.append((document.name, predicted.text, gold.value, f"value {predicted.value}"))
        for index, predicted in enumerate(predictions):
            if index not in used:
                scores.errors.append((document.name, predicted.text, "", f"spurious {predicted.value}"))
    return scores
