"""Speaker confidence: the probability that a statement's resolved speaker is right, from how it was resolved.

A logistic model over features of the resolution (which rule chose the speaker, how far back its
antecedent was, how many candidates fitted, whether gender or number decided it, the statement's
kind, how many of the article's statements went to the same speaker). Its weights ship as plain
JSON (``models/speaker-confidence-v1.json``), trained by ``newstrace.training.speaker_confidence``
on statements held out from the rules' development, so runtime needs no learning library.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newstrace.annotate.speakers import Resolution

__all__ = ["MODEL_PATH", "SpeakerConfidence", "speaker_features", "with_statements_by_speaker"]

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "speaker-confidence-v1.json"


def speaker_features(resolution: Resolution | None, kind: str, has_cue: bool, mention: str | None) -> dict[str, float]:
    """The features of one statement's speaker resolution, by name (absent features are 0)."""
    features: dict[str, float] = {"bias": 1.0, f"kind={kind}": 1.0, "has_cue": float(has_cue)}
    if resolution is None:
        features["rule=none"] = 1.0
        return features
    rule = resolution.rule.split(":")[-1]  # "relative:pronoun" reads as its inner rule
    features[f"rule={rule}"] = 1.0
    features["relative"] = float(resolution.rule.startswith("relative:"))
    features["distance"] = float(min(resolution.distance, 6))
    features["several_candidates"] = float(resolution.candidates > 1)
    features["log_candidates"] = math.log(max(1, resolution.candidates))
    features["agreement"] = float(resolution.agreement)
    features["has_entity"] = float(resolution.entity_id is not None)
    features["has_name"] = float(resolution.name is not None)
    words = len((resolution.name or "").split())
    features["one_word_name"] = float(words == 1)
    features["long_name"] = float(words >= 5)
    if mention is not None:
        words_of_mention = mention.lower().split()
        features["mention_words"] = float(min(len(words_of_mention), 8))
        features["pronoun_mention"] = float(len(words_of_mention) == 1 and words_of_mention[0] in _PRONOUNS)
        # "The 56-year-old said", "another diplomat", "both men", left unnamed: a description pointing back
        # at people the article has already named, which the sieve could not place
        features["definite_unnamed"] = float(
            rule == "unnamed"
            and bool(words_of_mention)
            and words_of_mention[0] in _ANAPHORIC_DETERMINERS
            and not words_of_mention[-1].endswith("s")
        )
    features["lowercase_name"] = float(bool(resolution.name) and not (resolution.name or "x")[0].isupper())
    return features


def with_statements_by_speaker(features: dict[str, float], statements: int) -> dict[str, float]:
    """The features with how many of the article's statements went to the same speaker (log-scaled)."""
    return {**features, "statements_by_speaker": math.log(1 + statements)}


_ANAPHORIC_DETERMINERS = frozenset({"the", "this", "that", "both", "another"})
_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "who", "which", "that", "his", "her", "its", "their"}


class SpeakerConfidence:
    """The shipped confidence model: weights by feature name and an intercept."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        if not path.exists():
            raise FileNotFoundError(f"speaker confidence model missing: {path} (run `make train-confidence`)")
        data = json.loads(path.read_text(encoding="utf-8"))
        self.weights: dict[str, float] = {str(k): float(v) for k, v in data["weights"].items()}

    def probability(self, features: dict[str, float]) -> float:
        """P(speaker right) for one statement's features."""
        score = sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))
