"""Headline stance towards a body (agree, disagree, discuss, unrelated), trained here on FNC-1.

Features are the ones the FNC-1 entrants found useful, computed per pair: TF-IDF cosine between
the headline and the body, its lead and its closest sentences; word, stem and bigram overlap;
refuting, hedging and negation words in the sentences that share the headline's words, in the
closest sentences and within a few words of a headline word; markers of doubt or denial anywhere
in the body; question marks; and, at the claim level, the headline's stems bound to denying,
hedging, asserting and negating words in the body (anywhere and in the lede) and denials inside
quotation marks. A gradient-boosted tree model classifies them, with the rare disagree and agree
classes weighted up. The word lists are ``newstrace.lexicon``'s; the FNC-1 readers live in
``newstrace.datasets.fnc1`` and training in ``newstrace.training.stance``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newstrace.assess._stance_forest import FlatForest
from newstrace.assess._stance_rows import _Body, _row
from newstrace.assess._stance_text import (
    _body_sentences,
    _content,
    _readable,
    _stem,
    claim_predicate,
    claim_subject,
    negation,
    refutation,
    split_sentences,
    word_stems,
    words,
)

__all__ = [
    "LABELS",
    "MODEL_PATH",
    "Pair",
    "StanceFeaturizer",
    "StanceModel",
    "claim_predicate",
    "claim_subject",
    "negation",
    "refutation",
    "split_sentences",
    "word_stems",
    "words",
]

LABELS = ("agree", "disagree", "discuss", "unrelated")
MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "stance-v4.joblib"


@dataclass(frozen=True, slots=True)
class Pair:
    """A headline, a body and (for training and scoring) the gold stance."""

    headline: str
    body_id: str
    body: str
    stance: str | None


class StanceFeaturizer:
    """Turns pairs into feature rows; its TF-IDF weights are fitted on the training text."""

    def __init__(self, claim_features: bool = True, doubt_features: bool = True) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

        self.claim_features = claim_features
        self.doubt_features = doubt_features
        self.hasher = HashingVectorizer(
            ngram_range=(1, 2), n_features=2**18, alternate_sign=False, norm=None, stop_words="english"
        )
        self.tfidf = TfidfTransformer(sublinear_tf=True)

    def fit(self, texts: Sequence[str]) -> StanceFeaturizer:
        """Fit the TF-IDF weights on the training headlines and bodies."""
        self.tfidf.fit(self.hasher.transform(texts))
        return self

    def vectors(self, texts: Sequence[str]) -> Any:
        """TF-IDF vectors of ``texts`` (a sparse matrix, one row each)."""
        return self.tfidf.transform(self.hasher.transform(texts))

    def body(self, text: str) -> _Body:
        """A body read once for every headline paired with it."""
        sentences = _body_sentences(text)
        return _Body(
            self.vectors([text]),
            sentences,
            self.vectors(sentences),
            [words(s) for s in sentences],
            words(text),
        )

    def rows(self, pairs: Sequence[Pair]) -> list[list[float]]:
        """One feature row per pair, each body read once."""
        bodies: dict[str, _Body] = {}
        headline_vectors = self.vectors([p.headline for p in pairs])
        rows = []
        for index, pair in enumerate(pairs):
            if pair.body_id not in bodies:
                bodies[pair.body_id] = self.body(pair.body)
            body = bodies[pair.body_id]
            rows.append(
                _row(pair.headline, headline_vectors[index], body, pair.body, self.with_claims, self.with_doubts)
            )
        return rows

    @property
    def with_claims(self) -> bool:
        """Whether rows end with the claim-level features (a model pickled before them does not)."""
        return bool(getattr(self, "claim_features", False))

    @property
    def with_doubts(self) -> bool:
        """Whether rows end with the doubt and refutation features (stance-v3 and older do not)."""
        return bool(getattr(self, "doubt_features", False))


# stance-v4.joblib pickled this class under its earlier private name: the alias keeps that file loading. Training
# pickles StanceFeaturizer from now on; drop the alias when the shipped model is retrained.
_Featurizer = StanceFeaturizer


class StanceModel:
    """The shipped stance classifier, loaded once."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        import joblib

        if not path.is_file():
            raise FileNotFoundError(f"{path}: stance model missing (make train-stance builds it)")
        self._featurizer, self._classifier = joblib.load(path)
        self._forest = FlatForest(self._classifier)

    def predict(self, pairs: Sequence[Pair]) -> list[dict[str, float]]:
        """A probability per stance for each pair."""
        probabilities = self._forest.predict_proba(self._featurizer.rows(pairs))
        classes = self._forest.classes
        return [{label: float(row[classes.index(label)]) for label in LABELS} for row in probabilities]

    def judge(
        self, headlines: Sequence[str], body: str, sentences: Sequence[str]
    ) -> tuple[list[dict[str, float]], list[list[float]]]:
        """Stance probabilities of each headline (or claim) towards one body, and how closely each headline
        relates to each of the body's ``sentences`` (TF-IDF cosine plus the share of its word stems found there)."""
        featurizer: StanceFeaturizer = self._featurizer
        given = list(sentences)
        # One pass of the vectorizer over every text: its per-call checks cost more than the hashing.
        vectors = featurizer.vectors([body, *given, *headlines])
        sentence_vectors, headline_vectors = vectors[1 : 1 + len(given)], vectors[1 + len(given) :]
        sentence_tokens = [words(s) for s in given]
        kept = _readable(given)  # the model reads the sentences it was trained on
        body_tokens = words(body)
        if kept:
            read = [given[i] for i in kept], sentence_vectors[kept], [sentence_tokens[i] for i in kept]
        else:
            read = [body], vectors[0], [body_tokens]
        document = _Body(vectors[0], *read, body_tokens)
        rows = [
            _row(h, headline_vectors[i], document, body, featurizer.with_claims, featurizer.with_doubts)
            for i, h in enumerate(headlines)
        ]
        probabilities = self._forest.predict_proba(rows)
        classes = self._forest.classes
        cosines = (headline_vectors @ sentence_vectors.T).toarray()
        sentence_stems = [{_stem(w) for w in _content(tokens)} for tokens in sentence_tokens]
        relatedness = []
        for index, headline in enumerate(headlines):
            stems = word_stems(headline)
            relatedness.append(
                [
                    float(cosines[index, j]) + 0.5 * len(stems & sentence_stems[j]) / max(1, len(stems))
                    for j in range(len(given))
                ]
            )
        stances = [{label: float(row[classes.index(label)]) for label in LABELS} for row in probabilities]
        return stances, relatedness
