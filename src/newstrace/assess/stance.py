"""Headline stance towards a body (agree, disagree, discuss, unrelated), trained here on FNC-1.

Features are the ones the FNC-1 entrants found useful, computed per pair: TF-IDF cosine between
the headline and the body, its lead and its closest sentences; word and bigram overlap;
refuting, hedging and negation words in the sentences that share the headline's words; question
marks. A gradient-boosted tree model classifies them. Bodies, not rows, are held out for
development, as the official split did.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["LABELS", "MODEL_PATH", "StanceModel", "in_dev_split", "read_fnc", "train_stance"]

LABELS = ("agree", "disagree", "discuss", "unrelated")
MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "stance-v1.joblib"
SEED = 13
DEV_SHARE = 5  # one body in five is held out

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“'‘(])|\n+")
_STOP = {
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or", "but", "is", "are", "was", "were", "be",
    "been", "being", "it", "its", "this", "that", "these", "those", "with", "as", "by", "from", "has", "have", "had",
    "will", "would", "can", "could", "should", "may", "might", "do", "does", "did", "not", "no", "he", "she", "they",
    "we", "you", "i", "his", "her", "their", "our", "your", "them", "him", "us", "me", "my", "than", "then", "so",
    "if", "about", "after", "before", "over", "into", "out", "up", "down", "more", "most",
}  # fmt: skip
_REFUTE = {"fake", "fraud", "hoax", "false", "deny", "denies", "denied", "denying", "not", "despite", "nope",
           "doubt", "doubts", "bogus", "debunk", "debunked", "pranks", "retract", "retracted", "untrue", "refute",
           "refuted", "rejects", "rejected", "dismissed", "dismisses", "incorrect", "wrong", "never", "no", "myth",
           "misleading", "rumour", "rumor"}  # fmt: skip
_HEDGE = {"allegedly", "reportedly", "reported", "claim", "claims", "claimed", "unconfirmed", "may", "might", "could",
          "possibly", "apparently", "appears", "suggests", "according", "purportedly", "unverified", "believed",
          "rumored", "rumoured", "speculation", "if"}  # fmt: skip
_NEGATION = {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "n't", "without"}


@dataclass(frozen=True, slots=True)
class Pair:
    """A headline, a body and (for training and scoring) the gold stance."""

    headline: str
    body_id: str
    body: str
    stance: str | None


def read_fnc(stances_csv: Path, bodies_csv: Path) -> list[Pair]:
    """FNC-1 pairs from a stances file (Headline, Body ID[, Stance]) and a bodies file (Body ID, articleBody)."""
    for path in (stances_csv, bodies_csv):
        if not path.is_file():
            raise FileNotFoundError(f"{path} not found")
    with bodies_csv.open(encoding="utf-8", newline="") as handle:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
    with stances_csv.open(encoding="utf-8", newline="") as handle:
        return [
            Pair(row["Headline"], row["Body ID"], bodies[row["Body ID"]], row.get("Stance"))
            for row in csv.DictReader(handle)
        ]


def in_dev_split(body_id: str) -> bool:
    """Whether a body belongs to the held-out development fifth (fixed by a seeded hash of its id)."""
    digest = hashlib.sha256(f"{SEED}:{body_id}".encode()).digest()
    return digest[0] % DEV_SHARE == 0


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _content(tokens: Sequence[str]) -> set[str]:
    return {t for t in tokens if t not in _STOP}


class _Featurizer:
    """Turns pairs into feature rows; its TF-IDF weights are fitted on the training text."""

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

        self.hasher = HashingVectorizer(
            ngram_range=(1, 2), n_features=2**18, alternate_sign=False, norm=None, stop_words="english"
        )
        self.tfidf = TfidfTransformer(sublinear_tf=True)

    def fit(self, texts: Sequence[str]) -> _Featurizer:
        self.tfidf.fit(self.hasher.transform(texts))
        return self

    def vectors(self, texts: Sequence[str]) -> Any:
        return self.tfidf.transform(self.hasher.transform(texts))

    def rows(self, pairs: Sequence[Pair]) -> list[list[float]]:
        bodies: dict[str, tuple[Any, Any, list[str]]] = {}
        headline_vectors = self.vectors([p.headline for p in pairs])
        rows = []
        for index, pair in enumerate(pairs):
            if pair.body_id not in bodies:
                sentences = [s for s in _SENTENCE.split(pair.body) if len(s.split()) > 2] or [pair.body]
                bodies[pair.body_id] = (self.vectors([pair.body]), self.vectors(sentences), sentences)
            body_vector, sentence_vectors, sentences = bodies[pair.body_id]
            rows.append(_row(pair, headline_vectors[index], body_vector, sentence_vectors, sentences))
        return rows


def _row(pair: Pair, headline: Any, body: Any, sentence_vectors: Any, sentences: list[str]) -> list[float]:
    body_cosine = float((headline @ body.T).toarray()[0, 0])
    sentence_cosines = sorted((headline @ sentence_vectors.T).toarray()[0].tolist(), reverse=True)
    best_sentence = float(max(sentence_cosines[:1] or [0.0]))
    lead_cosine = float((headline @ sentence_vectors[: min(2, sentence_vectors.shape[0])].T).toarray().max())
    top3 = sum(sentence_cosines[:3]) / max(1, min(3, len(sentence_cosines)))
    headline_tokens = _tokens(pair.headline)
    body_tokens = _tokens(pair.body)
    headline_words = _content(headline_tokens)
    body_words = _content(body_tokens)
    overlap = len(headline_words & body_words) / max(1, len(headline_words))
    headline_bigrams = set(itertools.pairwise(headline_tokens))
    body_bigrams = set(itertools.pairwise(body_tokens))
    bigram_overlap = len(headline_bigrams & body_bigrams) / max(1, len(headline_bigrams))
    related = [s for s in sentences if len(_content(_tokens(s)) & headline_words) >= 2] or sentences[:2]
    related_tokens = [t for s in related for t in _tokens(s)]
    size = max(1, len(related_tokens))
    refute = sum(t in _REFUTE for t in related_tokens) / size
    hedge = sum(t in _HEDGE for t in related_tokens) / size
    negation = sum(t in _NEGATION for t in related_tokens) / size
    return [
        body_cosine,
        best_sentence,
        lead_cosine,
        top3,
        overlap,
        bigram_overlap,
        refute,
        hedge,
        negation,
        float(any(t in _REFUTE for t in headline_tokens)),
        float(any(t in _HEDGE for t in headline_tokens)),
        float(any(t in _NEGATION for t in headline_tokens)),
        float(pair.headline.strip().endswith("?")),
        float(len(headline_tokens)),
        math.log1p(len(body_tokens)),
        float(len(related)) / max(1, len(sentences)),
    ]


class StanceModel:
    """The shipped stance classifier, loaded once."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        import joblib

        if not path.is_file():
            raise FileNotFoundError(f"{path}: stance model missing (make train-stance builds it)")
        self._featurizer, self._classifier = joblib.load(path)

    def predict(self, pairs: Sequence[Pair]) -> list[dict[str, float]]:
        """A probability per stance for each pair."""
        probabilities = self._classifier.predict_proba(self._featurizer.rows(pairs))
        classes = list(self._classifier.classes_)
        return [{label: float(row[classes.index(label)]) for label in LABELS} for row in probabilities]


def train_stance(stances_csv: Path, bodies_csv: Path, output: Path = MODEL_PATH) -> dict[str, Any]:
    """Fit on the pairs whose body is outside the development fifth; write the model and its card."""
    import joblib
    from sklearn.ensemble import HistGradientBoostingClassifier

    pairs = [p for p in read_fnc(stances_csv, bodies_csv) if not in_dev_split(p.body_id)]
    featurizer = _Featurizer().fit([p.headline for p in pairs] + list({p.body_id: p.body for p in pairs}.values()))
    classifier = HistGradientBoostingClassifier(max_iter=400, learning_rate=0.08, random_state=SEED)
    labels = [str(p.stance) for p in pairs]
    # Per-row weights: the class_weight dict is applied after label encoding and cannot name string classes.
    classifier.fit(featurizer.rows(pairs), labels, sample_weight=[CLASS_WEIGHT[label] for label in labels])
    output.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump((featurizer, classifier), output, compress=3)
    card = {"trained_on": str(stances_csv), "pairs": len(pairs), "seed": SEED, "class_weight": CLASS_WEIGHT}
    output.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n")
    return card


CLASS_WEIGHT = {"agree": 2.0, "disagree": 4.0, "discuss": 1.0, "unrelated": 1.0}
