"""The stance model's feature row for a headline and a body: similarity, overlap, refuting and hedging words, doubt
and how the body's verbs bind the headline's claim. The order of the values is the trained model's: append only."""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newstrace.assess._stance_text import _content, _stem, negation, refutation, words
from newstrace.lexicon import (
    ASSERTING,
    BODY_MARKERS,
    DENYING,
    DOUBT_PATTERN,
    HEDGING,
    HEDGING_CUES,
    NEGATION,
    NEGATIVE_CLAIM_PATTERN,
    NON_DENIAL_PATTERN,
    REFUTING,
    STANCE_STOPWORDS,
)

_NEAR = 5  # tokens either side of a headline word within which a refuting or negating word counts
_SCOPE = 12  # tokens after a cue word within which the claim's stems count as its object
_QUOTED_SPAN = re.compile(r"[\"“][^\"“”]{3,400}[\"”]")


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
