"""Speaker confidence: the probability that a statement's resolved speaker is right, from how it was resolved.

A score over features of the resolution (which rule chose the speaker, how far back its antecedent
was, how many candidates fitted, whether gender or number decided it, the statement's kind, how many
of the article's statements went to the same speaker) and of the statement's placement (where the
source phrase stands against the content, and what lies between them) and of the article around it (how many
people and organisations it named before, whether the statement is reported inside another), turned into a
probability by a calibration. The score is a logistic regression or boosted trees, and the calibration none,
Platt's sigmoid or an isotonic curve, whichever scored best on articles held out of fitting. Both ship
as plain JSON (``models/speaker-confidence-v2.json``), trained by
``newstrace.training.speaker_confidence`` on PolNeAR train and whosaid dev, so runtime needs no
learning library.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import re
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newstrace.annotate.speakers import Resolution

__all__ = [
    "MODEL_PATH",
    "VERSION",
    "Calibration",
    "SpeakerConfidence",
    "placement_features",
    "speaker_features",
    "with_article_context",
    "with_statements_by_speaker",
]

VERSION = "v2"
MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / f"speaker-confidence-{VERSION}.json"


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
        # Text glued from a page's furniture ("Kristi NoemKristi", "BobicFlagShareLike"): a run of three lowercase
        # letters then a capital inside a word, which names ("McCain", "DeSantis", "LeBron") do not have.
        features["glued_mention"] = float(bool(_GLUED.search(mention)))
        features["mention_digit"] = float(any(c.isdigit() for c in mention))  # an age, a count ("two officials")
        features["mention_quote_mark"] = float(any(c in _QUOTE_MARKS for c in mention))
        features["mention_comma"] = float("," in mention)  # an apposition ("Ana Duarte, the minister,")
    features["lowercase_name"] = float(bool(resolution.name) and not (resolution.name or "x")[0].isupper())
    return features


def placement_features(
    text: str, source: tuple[int, int] | None, content: tuple[int, int], cue: tuple[int, int] | None
) -> dict[str, float]:
    """Where the source phrase stands against the content: after or inside it, and what lies between them.

    A source in the content's own sentence, next to its cue, is the common case; one sentences away, past a
    quotation mark or other capitalised words (another name it could have been), or inside the content itself,
    is where a parse takes the wrong subject.
    """
    if source is None:
        return {"no_source": 1.0}
    after, inside = source[0] >= content[1], source[0] < content[1] and content[0] < source[1]
    low, high = (content[1], source[0]) if after else (source[1], content[0])
    between = "" if inside else text[low:high]
    words = between.split()
    capitalised = [
        word
        for previous, word in itertools.pairwise(words)
        if word[:1].isupper() and not previous.endswith((".", "!", "?", ":", *_QUOTE_MARKS))
    ]
    return {
        "source_after_content": float(after),
        "source_inside_content": float(inside),
        "log_words_between": math.log1p(len(words)),
        "sentences_between": float(min(2, len(_SENTENCE_END.findall(between)))),
        "paragraph_between": float("\n" in between),
        "quote_marks_between": float(min(3, sum(c in _QUOTE_MARKS for c in between))),
        "names_between": float(min(3, len(capitalised))),
        "cue_between": float(cue is not None and low <= cue[0] and cue[1] <= high and not inside),
        "log_content_words": math.log1p(len(text[content[0] : content[1]].split())),
    }


def with_statements_by_speaker(features: dict[str, float], statements: int) -> dict[str, float]:
    """The features with how many of the article's statements went to the same speaker (log-scaled)."""
    return {**features, "statements_by_speaker": math.log(1 + statements)}


def with_article_context(features: dict[str, float], named_before: int, reported_inside: bool) -> dict[str, float]:
    """The features with what the rest of the article says about this statement's speaker.

    ``named_before``: how many people and organisations the article named before the source phrase. A description
    left unnamed ("the country", "both men") after the article has named its people most often points back at one of
    them, which the sieve could not place; before any name it is more often a source the article never names.
    ``reported_inside``: the statement's cue stands inside another statement's content ("Vindman testified that
    Sondland told the Ukrainians they would need to deliver"): speech reported within someone's account, where the
    subject of the inner cue and the teller are easily confused.
    """
    unnamed = features.get("rule=unnamed", 0.0) == 1.0
    return {
        **features,
        "log_named_before": math.log1p(named_before),
        "unnamed_after_names": float(unnamed and named_before > 0 and features.get("definite_unnamed", 0.0) == 1.0),
        "reported_inside": float(reported_inside),
    }


_GLUED = re.compile(r"[a-z]{3}[A-Z]")
_QUOTE_MARKS = '"“”«»'
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s")
_ANAPHORIC_DETERMINERS = frozenset({"the", "this", "that", "both", "another"})
_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "who", "which", "that", "his", "her", "its", "their"}


@dataclass(frozen=True, slots=True)
class Calibration:
    """A score's probability: the logistic sigmoid ("none"), Platt's ``sigmoid(slope * score + intercept)``, or an
    isotonic curve through ``(scores[i], probabilities[i])``, linear between its points and flat beyond them."""

    method: str
    slope: float = 1.0
    intercept: float = 0.0
    scores: tuple[float, ...] = ()
    probabilities: tuple[float, ...] = ()

    def __call__(self, score: float) -> float:
        if self.method == "isotonic":
            return _interpolated(self.scores, self.probabilities, score)
        if self.method == "platt":
            score = self.slope * score + self.intercept
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))

    def to_json(self) -> dict[str, Any]:
        """The calibration as the model file keeps it."""
        if self.method == "isotonic":
            return {"method": "isotonic", "scores": list(self.scores), "probabilities": list(self.probabilities)}
        if self.method == "platt":
            return {"method": "platt", "slope": self.slope, "intercept": self.intercept}
        return {"method": "none"}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Calibration:
        """The calibration of a model file (none when the file has none)."""
        method = str((data or {}).get("method", "none"))
        if data is None or method == "none":
            return cls("none")
        if method == "platt":
            return cls("platt", slope=float(data["slope"]), intercept=float(data["intercept"]))
        if method == "isotonic":
            scores = tuple(float(x) for x in data["scores"])
            probabilities = tuple(float(y) for y in data["probabilities"])
            if not scores or len(scores) != len(probabilities) or list(scores) != sorted(scores):
                raise ValueError("isotonic calibration: scores must be sorted and as many as the probabilities")
            return cls("isotonic", scores=scores, probabilities=probabilities)
        raise ValueError(f"unknown calibration method {method!r}")


def _interpolated(xs: tuple[float, ...], ys: tuple[float, ...], x: float) -> float:
    if x <= xs[0]:
        return ys[0]
    if x >= xs[-1]:
        return ys[-1]
    right = bisect.bisect_right(xs, x)
    x0, x1, y0, y1 = xs[right - 1], xs[right], ys[right - 1], ys[right]
    return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)


class SpeakerConfidence:
    """The shipped confidence model: a score of the features (``score``), then its ``calibration``.

    The score is either ``{"kind": "logistic", "weights": {feature: weight}}`` (the intercept under ``bias``) or
    ``{"kind": "trees", "base": b, "trees": [...]}``: boosted regression trees whose leaves add to ``b``, each tree
    a list of nodes ``[feature, threshold, left, right, value]`` (``feature`` None at a leaf; a feature at or below
    the threshold goes left, compared at single precision as scikit-learn's trees compare it).
    """

    def __init__(self, path: Path = MODEL_PATH) -> None:
        if not path.exists():
            raise FileNotFoundError(f"speaker confidence model missing: {path} (run `make train-confidence`)")
        data = json.loads(path.read_text(encoding="utf-8"))
        self._set(data["score"], Calibration.from_json(data.get("calibration")))

    @classmethod
    def from_parts(cls, score: Mapping[str, Any], calibration: Calibration) -> SpeakerConfidence:
        """A model from its score and calibration, as training holds them before writing the file."""
        model = cls.__new__(cls)
        model._set(score, calibration)
        return model

    def _set(self, score: Mapping[str, Any], calibration: Calibration) -> None:
        self.kind = str(score["kind"])
        if self.kind == "logistic":
            self.weights = {str(k): float(v) for k, v in score["weights"].items()}
        elif self.kind == "trees":
            self.base = float(score["base"])
            self.trees = [[_Node(*node) for node in tree] for tree in score["trees"]]
        else:
            raise ValueError(f"unknown speaker confidence score {self.kind!r}")
        self.calibration = calibration

    def score(self, features: Mapping[str, float]) -> float:
        """The score (log-odds before calibration) of one statement's features."""
        if self.kind == "logistic":
            return sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        total = self.base
        for tree in self.trees:
            node = tree[0]
            while node.feature is not None:
                value = _single(features.get(node.feature, 0.0))
                node = tree[node.left if value <= node.threshold else node.right]
            total += node.value
        return total

    def probability(self, features: Mapping[str, float]) -> float:
        """P(speaker right) for one statement's features."""
        return self.calibration(self.score(features))


@dataclass(frozen=True, slots=True)
class _Node:
    feature: str | None
    threshold: float
    left: int
    right: int
    value: float


def _single(value: float) -> float:
    """The value rounded to single precision, as scikit-learn's trees read their input."""
    return float(struct.unpack("f", struct.pack("f", value))[0])
