"""Headline stance towards a body (agree, disagree, discuss, unrelated), trained here on FNC-1.

Features are the ones the FNC-1 entrants found useful, computed per pair: TF-IDF cosine between
the headline and the body, its lead and its closest sentences; word, stem and bigram overlap;
refuting, hedging and negation words in the sentences that share the headline's words, in the
closest sentences and within a few words of a headline word; markers of doubt or denial anywhere
in the body; question marks; and, at the claim level, the headline's stems bound to denying,
hedging, asserting and negating words in the body (anywhere and in the lede) and denials inside
quotation marks. A gradient-boosted tree model classifies them, with the rare disagree and agree
classes weighted up. Whole stories (bodies linked by related headlines) are held out, not rows
or bodies: a held-out body's claim is then one training never saw, as in the competition test."""

from __future__ import annotations

import bisect
import csv
import functools
import hashlib
import itertools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "HEDGING",
    "LABELS",
    "MODEL_PATH",
    "REFUTING",
    "Pair",
    "StanceModel",
    "in_dev_split",
    "in_story_split",
    "read_fnc",
    "split_pairs",
    "split_sentences",
    "stories",
    "train_stance",
    "word_stems",
    "words",
]

LABELS = ("agree", "disagree", "discuss", "unrelated")
MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "stance-v3.joblib"
SEED = 13
DEV_SHARE = 5  # one body in five is held out
STORY_SHARE = 5  # one story in five is held out
SPLITS = ("bodies", "stories", "stories-validation")

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# A sentence ends at . ! or ? (or one followed by a closing quote) before whitespace and a capital or quote.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[A-Z\"“'‘(])|\n+")
_ABBREVIATION_BEFORE = re.compile(r"\b(?:[A-Z]|Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Rev|St|Jr|Sr)\.$")
_STOP = {
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or", "but", "is", "are", "was", "were", "be",
    "been", "being", "it", "its", "this", "that", "these", "those", "with", "as", "by", "from", "has", "have", "had",
    "will", "would", "can", "could", "should", "may", "might", "do", "does", "did", "not", "no", "he", "she", "they",
    "we", "you", "i", "his", "her", "their", "our", "your", "them", "him", "us", "me", "my", "than", "then", "so",
    "if", "about", "after", "before", "over", "into", "out", "up", "down", "more", "most",
}  # fmt: skip
REFUTING = frozenset({
    "fake", "fraud", "hoax", "false", "deny", "denies", "denied", "denying", "denial", "not", "despite", "nope",
    "doubt", "doubts", "bogus", "debunk", "debunked", "prank", "pranks", "retract", "retracted", "untrue", "refute",
    "refuted", "rejects", "rejected", "dismiss", "dismissed", "dismisses", "dismissing", "incorrect", "wrong",
    "never", "no", "myth", "misleading", "rumour", "rumor", "fabricated", "baseless", "unfounded", "satire",
    "satirical", "contrary", "nonsense", "rubbish", "disputed", "disputes",
})  # fmt: skip
HEDGING = frozenset({
    "allegedly", "reportedly", "reported", "claim", "claims", "claimed", "unconfirmed", "may", "might", "could",
    "possibly", "apparently", "appears", "suggests", "according", "purportedly", "unverified", "believed",
    "rumored", "rumoured", "speculation", "if",
})  # fmt: skip
_NEGATION = {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "n't", "without"}
# Words and phrases whose presence anywhere in a body marks reporting that doubts, denies or turns a claim.
_BODY_MARKERS = (
    "fake", "hoax", "false", "deny", "denies", "denied", "debunk", "debunked", "prank", "satire", "satirical",
    "not true", "untrue", "rumor", "rumour", "no evidence", "claims", "claimed", "reportedly", "allegedly",
    "unconfirmed", "fabricated", "dismissed", "refuted", "incorrect", "baseless", "misleading", "contrary",
    "however", "but",
)  # fmt: skip
_NEAR = 5  # tokens either side of a headline word within which a refuting or negating word counts
# Claim-level cues: a word of these kinds binds the headline's claim when the claim's stems follow it in its
# sentence ("denied reports that the bridge collapsed", "reportedly collapsed", "confirmed the bridge collapsed").
_DENYING = frozenset({
    "deny", "denies", "denied", "denying", "dismiss", "dismissed", "dismisses", "reject", "rejects", "rejected",
    "refute", "refuted", "refutes", "debunk", "debunked", "debunks", "false", "fake", "hoax", "untrue", "bogus",
    "baseless", "unfounded", "fabricated", "incorrect", "myth", "prank", "satire", "satirical", "retracted",
})  # fmt: skip
_ASSERTING = frozenset({
    "confirmed", "confirms", "confirm", "announced", "announces", "revealed", "reveals", "proved", "proves",
    "showed", "shows", "verified", "officially", "admitted", "admits", "acknowledged", "found",
})  # fmt: skip
_HEDGING_CUES = HEDGING - {"if", "according", "reported", "claim"}
_SCOPE = 12  # tokens after a cue word within which the claim's stems count as its object
_QUOTED_SPAN = re.compile(r"[\"“][^\"“”]{3,400}[\"”]")


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


def stories(pairs: Sequence[Pair]) -> dict[str, str]:
    """Each body's story: bodies linked through a headline related to both (connected components).

    A story is named by its smallest body id, so the naming does not depend on the order of the rows. A body
    no related headline reaches is a story of its own.
    """
    parent: dict[str, str] = {}

    def root(body_id: str) -> str:
        while parent.setdefault(body_id, body_id) != body_id:
            parent[body_id] = parent[parent[body_id]]  # path halving keeps the chains short
            body_id = parent[body_id]
        return body_id

    first_body: dict[str, str] = {}
    for pair in pairs:
        root(pair.body_id)
        if pair.stance in (None, "unrelated"):
            continue
        linked = first_body.setdefault(pair.headline, pair.body_id)
        a, b = root(linked), root(pair.body_id)
        if a != b:
            parent[max(a, b, key=_body_order)] = min(a, b, key=_body_order)
    return {body_id: root(body_id) for body_id in parent}


def _body_order(body_id: str) -> tuple[int, str]:
    return (int(body_id), body_id) if body_id.isdigit() else (1 << 62, body_id)


def in_story_split(story: str, fold: int = 0) -> bool:
    """Whether a story belongs to the held-out fifth of stories (fold 0; fold 1 is validation inside training),
    fixed by a seeded hash of its name."""
    digest = hashlib.sha256(f"{SEED}:story:{story}".encode()).digest()
    return digest[0] % STORY_SHARE == fold


def split_pairs(pairs: Sequence[Pair], split: str) -> tuple[list[Pair], list[Pair]]:
    """Training and held-out pairs under ``split``: held-out ``bodies`` (a fifth) or whole held-out ``stories``.

    Under ``stories`` a pair is held out when its body's story is, and a training pair may not carry a headline
    that a held-out story's bodies are related to: the claim itself is unseen, not only its bodies. Under
    ``stories-validation`` a second fifth of stories is held out of what ``stories`` trains on, to choose
    features and thresholds without looking at the reported fifth.
    """
    if split == "bodies":
        held = [p for p in pairs if in_dev_split(p.body_id)]
        return [p for p in pairs if not in_dev_split(p.body_id)], held
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: one of {', '.join(SPLITS)}")
    story_of = stories(pairs)
    folds = (0,) if split == "stories" else (0, 1)
    excluded = {body_id for body_id, story in story_of.items() if any(in_story_split(story, f) for f in folds)}
    excluded_headlines = {p.headline for p in pairs if p.body_id in excluded and p.stance not in (None, "unrelated")}
    train = [p for p in pairs if p.body_id not in excluded and p.headline not in excluded_headlines]
    held_out = {body_id for body_id, story in story_of.items() if in_story_split(story, folds[-1])}
    return train, [p for p in pairs if p.body_id in held_out]


def words(text: str) -> list[str]:
    """The lower-cased words of ``text``, as the REFUTING and HEDGING lexicons spell them."""
    return _WORD.findall(text.lower())


def _content(tokens: Sequence[str]) -> set[str]:
    return {t for t in tokens if t not in _STOP}


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


class _Featurizer:
    """Turns pairs into feature rows; its TF-IDF weights are fitted on the training text."""

    def __init__(self, claim_features: bool = True) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

        self.claim_features = claim_features
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
            rows.append(_row(pair.headline, headline_vectors[index], bodies[pair.body_id], pair.body, self.with_claims))
        return rows

    @property
    def with_claims(self) -> bool:
        """Whether rows end with the claim-level features (a model pickled before them does not)."""
        return bool(getattr(self, "claim_features", False))


def _rate(tokens: Sequence[str], lexicon: frozenset[str] | set[str]) -> float:
    return sum(t in lexicon for t in tokens) / max(1, len(tokens))


def _row(headline: str, headline_vector: Any, body: _Body, body_text: str, claims: bool = True) -> list[float]:
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
        _rate(related_tokens, _NEGATION),
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
        float(any(t in _NEGATION for t in headline_tokens)),
        float(headline.strip().endswith("?")),
        float(len(headline_tokens)),
        math.log1p(len(body.tokens)),
        len(related) / max(1, len(body.sentences)),
        *(float(marker in lowered) for marker in _BODY_MARKERS),
        *(_claim_features(headline_stems, body) if claims else ()),
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
                if token in _DENYING
                else "hedge"
                if token in _HEDGING_CUES
                else "assert"
                if token in _ASSERTING
                else "negate"
                if token in _NEGATION
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
        if _DENYING.intersection(words(quote)) or _NEGATION.intersection(words(quote))
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
        sum(1 for i in related if set(body.sentence_tokens[i]) & _DENYING) / max(1, len(related)),
        sum(1 for i in related if set(body.sentence_tokens[i]) & _HEDGING_CUES) / max(1, len(related)),
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
    anchors = [i for i, t in enumerate(tokens) if t not in _STOP and _stem(t) in headline_stems]
    refuting = negating = 0
    for i, token in enumerate(tokens):
        if token not in REFUTING and token not in _NEGATION:
            continue
        position = bisect.bisect_left(anchors, i - _NEAR)
        if position < len(anchors) and anchors[position] <= i + _NEAR:
            if token in REFUTING:
                refuting += 1
            else:
                negating += 1
    return refuting, negating


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
        rows = [_row(h, headline_vectors[i], document, body, featurizer.with_claims) for i, h in enumerate(headlines)]
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


def train_stance(
    stances_csv: Path,
    bodies_csv: Path,
    output: Path = MODEL_PATH,
    split: str = "stories",
    claim_features: bool = True,
) -> dict[str, Any]:
    """Fit on the pairs outside ``split``'s held-out part (see ``split_pairs``); write the model and its card."""
    import joblib
    from sklearn.ensemble import HistGradientBoostingClassifier

    pairs, _ = split_pairs(read_fnc(stances_csv, bodies_csv), split)
    featurizer = _Featurizer(claim_features).fit(
        [p.headline for p in pairs] + list({p.body_id: p.body for p in pairs}.values())
    )
    classifier = HistGradientBoostingClassifier(max_iter=400, learning_rate=0.08, random_state=SEED)
    labels = [str(p.stance) for p in pairs]
    # Per-row weights: the class_weight dict is applied after label encoding and cannot name string classes.
    classifier.fit(featurizer.rows(pairs), labels, sample_weight=[CLASS_WEIGHT[label] for label in labels])
    output.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump((featurizer, classifier), output, compress=3)
    card = {
        "trained_on": str(stances_csv),
        "held_out": (
            f"one body in {DEV_SHARE} (seeded hash of its id)"
            if split == "bodies"
            else f"{'one story' if split == 'stories' else 'two stories'} in {STORY_SHARE} (seeded hash of its "
            "smallest body id) and every headline related to them"
        ),
        "split": split,
        "claim_features": claim_features,
        "pairs": len(pairs),
        "seed": SEED,
        "class_weight": CLASS_WEIGHT,
    }
    output.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n")
    return card


CLASS_WEIGHT = {"agree": 2.0, "disagree": 4.0, "discuss": 1.0, "unrelated": 1.0}
