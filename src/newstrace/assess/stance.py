"""Headline stance towards a body (agree, disagree, discuss, unrelated), trained here on FNC-1.

Features are the ones the FNC-1 entrants found useful, computed per pair: TF-IDF cosine between
the headline and the body, its lead and its closest sentences; word, stem and bigram overlap;
refuting, hedging and negation words in the sentences that share the headline's words, in the
closest sentences and within a few words of a headline word; markers of doubt or denial anywhere
in the body; question marks; and, at the claim level, the headline's stems bound to denying,
hedging, asserting and negating words in the body (anywhere and in the lede) and denials inside
quotation marks. A gradient-boosted tree model classifies them, with the rare disagree and agree
classes weighted up. The word lists are ``newstrace.lexicon``'s; training and the FNC-1 readers
live in ``newstrace.training.stance``."""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newstrace.lexicon import (
    ASSERTING,
    BODY_MARKERS,
    DENIAL_PATTERN,
    DENYING,
    DOUBT_PATTERN,
    HEADLINE_VERBS,
    HEDGING,
    HEDGING_CUES,
    NEGATION,
    NEGATIVE_CLAIM_PATTERN,
    NON_DENIAL_PATTERN,
    REFUTING,
    STANCE_STOPWORDS,
)

__all__ = [
    "LABELS",
    "MODEL_PATH",
    "Pair",
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

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# A sentence ends at . ! or ? (or one followed by a closing quote) before whitespace and a capital or quote.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[A-Z\"“'‘(])|\n+")
_ABBREVIATION_BEFORE = re.compile(r"\b(?:[A-Z]|Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Rev|St|Jr|Sr)\.$")
_NEAR = 5  # tokens either side of a headline word within which a refuting or negating word counts
_SCOPE = 12  # tokens after a cue word within which the claim's stems count as its object
NEGATION_SCOPE = 12  # words after a negation that it takes in
_QUOTED_SPAN = re.compile(r"[\"“][^\"“”]{3,400}[\"”]")


@dataclass(frozen=True, slots=True)
class Pair:
    """A headline, a body and (for training and scoring) the gold stance."""

    headline: str
    body_id: str
    body: str
    stance: str | None


def words(text: str) -> list[str]:
    """The lower-cased words of ``text``, as the REFUTING and HEDGING lexicons spell them."""
    return _WORD.findall(text.lower())


def _content(tokens: Sequence[str]) -> set[str]:
    return {t for t in tokens if t not in STANCE_STOPWORDS}


_SUFFIXES = ("ians", "ian", "ing", "ed", "es", "s")


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """A crude stem (a common suffix off, then five letters), so "Ukraine" meets "Ukrainian", "plan" "plans"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "es" and not word[:-2].endswith(("s", "x", "z", "ch", "sh")):
                continue  # "forces" loses only its s, "taxes" its es
            word = word[: -len(suffix)]
            if suffix in ("ed", "ing") and len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
                word = word[:-1]  # "banned" -> "ban", "stopping" -> "stop"; "called" keeps its double l
            break
    return word[:5]


def word_stems(text: str) -> set[str]:
    """The stems of the content words of ``text``."""
    return {_stem(w) for w in _content(words(text))}


def split_sentences(text: str, *, abbreviations: bool = False) -> list[tuple[int, int]]:
    """Character ranges of the sentences of ``text`` (whitespace at their edges left out).

    With ``abbreviations`` an initial or a title ("Mary J. Blige", "Sen. Warren") does not end a sentence. The
    stance model's features keep the plain split it was trained on (retrained on this one it scored lower).
    """
    ranges = []
    start = 0
    for match in itertools.chain(_SENTENCE_END.finditer(text), [None]):
        if (
            abbreviations
            and match
            and not match[0].strip()
            and _ABBREVIATION_BEFORE.search(text, max(0, match.start() - 6), match.start())
        ):
            continue
        end = match.start() if match else len(text)
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            left = start + (len(piece) - len(piece.lstrip()))
            ranges.append((left, left + len(stripped)))
        if match:
            start = match.end()
    return ranges


def _readable(sentences: Sequence[str]) -> list[int]:
    """Which sentences the model reads: those of more than two words."""
    return [i for i, sentence in enumerate(sentences) if len(sentence.split()) > 2]


def _body_sentences(body: str) -> list[str]:
    sentences = [body[a:b] for a, b in split_sentences(body)]
    return [sentences[i] for i in _readable(sentences)] or [body]


@dataclass(slots=True)
class _Body:
    vector: Any
    sentences: list[str]
    sentence_vectors: Any
    sentence_tokens: list[list[str]]
    tokens: list[str]
    doubts: _Doubts | None = None  # computed on first use, once per body


@dataclass(slots=True)
class _Doubts:
    """Per body: the density of doubting words, which sentences hold one, and each sentence's stems."""

    density: float
    flags: list[bool]
    stems: list[set[str]]


def _doubts(body: _Body, text: str) -> _Doubts:
    if body.doubts is None:
        flags = [bool(DOUBT_PATTERN.search(NON_DENIAL_PATTERN.sub(" ", s))) for s in body.sentences]
        density = 100 * len(DOUBT_PATTERN.findall(text)) / max(1, len(body.tokens))
        body.doubts = _Doubts(density, flags, [{_stem(w) for w in _content(t)} for t in body.sentence_tokens])
    return body.doubts


class _Featurizer:
    """Turns pairs into feature rows; its TF-IDF weights are fitted on the training text."""

    def __init__(self, claim_features: bool = True, doubt_features: bool = True) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

        self.claim_features = claim_features
        self.doubt_features = doubt_features
        self.hasher = HashingVectorizer(
            ngram_range=(1, 2), n_features=2**18, alternate_sign=False, norm=None, stop_words="english"
        )
        self.tfidf = TfidfTransformer(sublinear_tf=True)

    def fit(self, texts: Sequence[str]) -> _Featurizer:
        self.tfidf.fit(self.hasher.transform(texts))
        return self

    def vectors(self, texts: Sequence[str]) -> Any:
        return self.tfidf.transform(self.hasher.transform(texts))

    def body(self, text: str) -> _Body:
        sentences = _body_sentences(text)
        return _Body(
            self.vectors([text]),
            sentences,
            self.vectors(sentences),
            [words(s) for s in sentences],
            words(text),
        )

    def rows(self, pairs: Sequence[Pair]) -> list[list[float]]:
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


def _rate(tokens: Sequence[str], lexicon: frozenset[str] | set[str]) -> float:
    return sum(t in lexicon for t in tokens) / max(1, len(tokens))


def _row(
    headline: str, headline_vector: Any, body: _Body, body_text: str, claims: bool = True, doubts: bool = False
) -> list[float]:
    cosines = (headline_vector @ body.sentence_vectors.T).toarray()[0]
    order = sorted(range(len(cosines)), key=lambda i: -cosines[i])
    ranked = sorted(cosines.tolist(), reverse=True)
    headline_tokens = words(headline)
    headline_words = _content(headline_tokens)
    headline_stems = {_stem(w) for w in headline_words}
    body_words = _content(body.tokens)
    bigrams = set(itertools.pairwise(headline_tokens))
    related = [
        tokens for tokens in body.sentence_tokens if len(_content(tokens) & headline_words) >= 2
    ] or body.sentence_tokens[:2]
    related_tokens = [t for tokens in related for t in tokens]
    top1 = [t for i in order[:1] for t in body.sentence_tokens[i]]
    top3 = [t for i in order[:3] for t in body.sentence_tokens[i]]
    near_refuting, near_negating = _near_headline_words(body.tokens, headline_stems)
    lowered = body_text.lower()
    size = max(1, len(body.tokens))
    return [
        float((headline_vector @ body.vector.T).toarray()[0, 0]),
        float(ranked[0]) if ranked else 0.0,
        float(cosines[: min(2, len(cosines))].max()) if len(cosines) else 0.0,
        sum(ranked[:3]) / max(1, min(3, len(ranked))),
        len(headline_words & body_words) / max(1, len(headline_words)),
        len(bigrams & set(itertools.pairwise(body.tokens))) / max(1, len(bigrams)),
        len(headline_stems & {_stem(w) for w in body_words}) / max(1, len(headline_stems)),
        _rate(related_tokens, REFUTING),
        _rate(related_tokens, HEDGING),
        _rate(related_tokens, NEGATION),
        float(sum(t in REFUTING for t in top1)),
        float(sum(t in HEDGING for t in top1)),
        float(sum(t in REFUTING for t in top3)),
        float(sum(t in HEDGING for t in top3)),
        float(near_refuting),
        100 * near_refuting / size,
        100 * near_negating / size,
        100 * _rate(body.tokens, REFUTING),
        _closest_with(cosines, body.sentence_tokens, REFUTING),
        _closest_with(cosines, body.sentence_tokens, HEDGING),
        float(any(t in REFUTING for t in headline_tokens)),
        float(any(t in HEDGING for t in headline_tokens)),
        float(any(t in NEGATION for t in headline_tokens)),
        float(headline.strip().endswith("?")),
        float(len(headline_tokens)),
        math.log1p(len(body.tokens)),
        len(related) / max(1, len(body.sentences)),
        *(float(marker in lowered) for marker in BODY_MARKERS),
        *(_claim_features(headline_stems, body) if claims else ()),
        *(_doubt_features(headline, headline_stems, body, body_text) if doubts else ()),
    ]


def _doubt_features(headline: str, headline_stems: set[str], body: _Body, body_text: str) -> list[float]:
    """Doubt and refutation around the headline's claim: doubting words in the body, in the sentences about the
    claim and in the lede; explicit denials and negations of the claim's predicate; the headline's own polarity."""
    doubts = _doubts(body, body_text)
    size = max(1, len(headline_stems))
    shares = [len(headline_stems & stems) / size for stems in doubts.stems]
    related = [i for i, share in enumerate(shares) if share >= 0.4] or [max(range(len(shares)), key=shares.__getitem__)]
    return [
        doubts.density,
        sum(doubts.flags[i] for i in related) / len(related),
        float(any(doubts.flags[:3])),
        max(negation(headline, body.sentences[i]) for i in related),
        max(refutation(headline, body.sentences[i]) for i in related),
        float(bool(NEGATIVE_CLAIM_PATTERN.search(headline))),
        max((share for share, doubting in zip(shares, doubts.flags, strict=True) if doubting), default=0.0),
    ]


def _claim_features(headline_stems: set[str], body: _Body) -> list[float]:
    """How the body's verbs bind the headline's claim: denied, hedged or asserted, in the lede and anywhere;
    denials inside quotation marks. Topic-free, so they carry over to stories never seen in training."""
    size = max(1, len(headline_stems))
    stems = [[_stem(t) for t in tokens] for tokens in body.sentence_tokens]
    shares = [len(headline_stems & set(sentence)) / size for sentence in stems]
    bound = {name: [0.0] * len(stems) for name in ("deny", "hedge", "assert", "negate")}
    for i, (tokens, sentence) in enumerate(zip(body.sentence_tokens, stems, strict=True)):
        if shares[i] == 0:
            continue
        for j, token in enumerate(tokens):
            kind = (
                "deny"
                if token in DENYING
                else "hedge"
                if token in HEDGING_CUES
                else "assert"
                if token in ASSERTING
                else "negate"
                if token in NEGATION
                else None
            )
            if kind:
                scope = set(sentence[j + 1 : j + 1 + _SCOPE])
                bound[kind][i] = max(bound[kind][i], len(headline_stems & scope) / size)
    lede = range(min(2, len(stems)))
    related = [i for i, share in enumerate(shares) if share >= 0.4] or [max(range(len(shares)), key=shares.__getitem__)]
    quoted_denials = sum(
        1
        for i in related
        for quote in _QUOTED_SPAN.findall(body.sentences[i])
        if DENYING.intersection(words(quote)) or NEGATION.intersection(words(quote))
    )
    features = [max((shares[i] for i in lede), default=0.0)]
    for kind in ("deny", "hedge", "assert", "negate"):
        values = bound[kind]
        features += [
            max(values, default=0.0),
            max((values[i] for i in lede), default=0.0),
            sum(v >= 0.3 for v in values) / max(1, len(related)),
        ]
    features += [
        float(quoted_denials),
        min(related) / max(1, len(stems)),
        sum(1 for i in related if set(body.sentence_tokens[i]) & DENYING) / max(1, len(related)),
        sum(1 for i in related if set(body.sentence_tokens[i]) & HEDGING_CUES) / max(1, len(related)),
    ]
    return features


def _closest_with(cosines: Any, sentence_tokens: list[list[str]], lexicon: frozenset[str]) -> float:
    """The highest cosine to the headline among the sentences that hold a word of ``lexicon``."""
    return max(
        (float(c) for c, tokens in zip(cosines, sentence_tokens, strict=True) if lexicon.intersection(tokens)),
        default=0.0,
    )


def _near_headline_words(tokens: Sequence[str], headline_stems: set[str]) -> tuple[int, int]:
    """How many refuting and how many negating words sit within a few tokens of a headline word."""
    anchors = [i for i, t in enumerate(tokens) if t not in STANCE_STOPWORDS and _stem(t) in headline_stems]
    refuting = negating = 0
    for i, token in enumerate(tokens):
        if token not in REFUTING and token not in NEGATION:
            continue
        position = bisect.bisect_left(anchors, i - _NEAR)
        if position < len(anchors) and anchors[position] <= i + _NEAR:
            if token in REFUTING:
                refuting += 1
            else:
                negating += 1
    return refuting, negating


def claim_subject(clause: str) -> str | None:
    """The words before a clause's first verb, if a verb is recognised after at least one word."""
    words = clause.split()
    for index, word in enumerate(words[1:], start=1):
        if word.lower().strip(".,:;!?\"'") in HEADLINE_VERBS:
            return " ".join(words[:index])
    return None


def refutation(claim: str, sentence: str) -> float:
    """How much of a claim's predicate an explicit denial in ``sentence`` takes in (0 when none does).

    The predicate is the claim without its subject: "[Russia] Will Attack Ukraine?" asks about attacking
    Ukraine, which "the diplomat dismissed speculation that the troops could be deployed in the Ukrainian
    conflict" denies in part (one of its two stems, 0.5).
    """
    predicate = word_stems(claim_predicate(claim))
    if not predicate:
        return 0.0
    best = 0.0
    sentence = NON_DENIAL_PATTERN.sub(" ", sentence)
    for match in DENIAL_PATTERN.finditer(sentence):
        scope = word_stems(sentence[match.end() :])
        best = max(best, len(predicate & scope) / len(predicate))
    return best


def negation(claim: str, sentence: str) -> float:
    """How much of a claim's predicate a negation in ``sentence`` takes in ("he did not make $72 million").

    Scoped as ``refutation`` is, over the next ``NEGATION_SCOPE`` words: "There was no $72 million" negates
    "Teen Made $72 Million". Everyday grammar, so it only names the evidence for a claim already called
    ``disagree``; it never decides the stance by itself.
    """
    predicate = word_stems(claim_predicate(claim))
    if not predicate:
        return 0.0
    tokens = words(sentence)
    best = 0.0
    for index, token in enumerate(tokens):
        if token in NEGATION or token.endswith("n't"):
            scope = word_stems(" ".join(tokens[index + 1 : index + 1 + NEGATION_SCOPE]))
            best = max(best, len(predicate & scope) / len(predicate))
    return best


def claim_predicate(claim: str) -> str:
    """A claim without its subject ("[Russia] Will Attack Ukraine?" -> "Will Attack Ukraine?")."""
    if claim.startswith("["):
        return claim[claim.find("]") + 1 :]
    subject = claim_subject(claim)
    return claim[len(subject) :] if subject else claim


class _FlatForest:
    """The fitted trees of a multiclass HistGradientBoostingClassifier walked all at once with numpy.

    scikit-learn predicts tree by tree, paying a call per tree (about 4 ms for one article's few rows);
    walking every tree a level at a time takes a tenth of that. Equality with ``predict_proba`` is tested.
    """

    def __init__(self, classifier: Any) -> None:
        import numpy as np

        trees = [(k, tree.nodes) for iteration in classifier._predictors for k, tree in enumerate(iteration)]
        if any(nodes["is_categorical"].any() for _, nodes in trees):
            raise ValueError("categorical splits are not supported")
        offsets = np.cumsum([0] + [len(nodes) for _, nodes in trees[:-1]])
        nodes = np.concatenate([n for _, n in trees])
        shift = np.repeat(offsets, [len(n) for _, n in trees])
        self.roots = offsets.astype(np.intp)
        self.tree_class = np.array([k for k, _ in trees], dtype=np.intp)
        self.feature = nodes["feature_idx"].astype(np.intp)
        self.threshold = nodes["num_threshold"].astype(np.float64)
        self.missing_left = nodes["missing_go_to_left"].astype(bool)
        self.left = (nodes["left"] + shift).astype(np.intp)
        self.right = (nodes["right"] + shift).astype(np.intp)
        self.is_leaf = nodes["is_leaf"].astype(bool)
        self.value = nodes["value"].astype(np.float64)
        self.baseline = np.asarray(classifier._baseline_prediction, dtype=np.float64).ravel()
        self.classes = list(classifier.classes_)

    def predict_proba(self, rows: Sequence[Sequence[float]]) -> Any:
        import numpy as np

        features = np.asarray(rows, dtype=np.float64)
        node = np.broadcast_to(self.roots, (len(features), len(self.roots))).copy()
        row_index = np.arange(len(features))[:, None]
        while True:
            active = ~self.is_leaf[node]
            if not active.any():
                break
            values = features[row_index, self.feature[node]]
            go_left = np.where(np.isnan(values), self.missing_left[node], values <= self.threshold[node])
            node = np.where(active, np.where(go_left, self.left[node], self.right[node]), node)
        raw = np.tile(self.baseline, (len(features), 1))
        for k in range(len(self.baseline)):
            raw[:, k] += self.value[node[:, self.tree_class == k]].sum(axis=1)
        raw -= raw.max(axis=1, keepdims=True)
        exp = np.exp(raw)
        return exp / exp.sum(axis=1, keepdims=True)


class StanceModel:
    """The shipped stance classifier, loaded once."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        import joblib

        if not path.is_file():
            raise FileNotFoundError(f"{path}: stance model missing (make train-stance builds it)")
        self._featurizer, self._classifier = joblib.load(path)
        self._forest = _FlatForest(self._classifier)

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
        featurizer: _Featurizer = self._featurizer
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
