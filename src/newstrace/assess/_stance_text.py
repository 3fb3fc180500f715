"""The stance model's reading of text: words, crude stems, sentences, and how a sentence denies or negates a claim."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence

from newstrace.lexicon import (
    ANAPHORIC_CLAIM_PATTERN,
    DENIAL_PATTERN,
    HEADLINE_VERBS,
    NEGATION,
    NON_DENIAL_PATTERN,
    STANCE_STOPWORDS,
)

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# A sentence ends at . ! or ? (or one followed by a closing quote) before whitespace and a capital or quote.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[A-Z\"“'‘(])|\n+")
_ABBREVIATION_BEFORE = re.compile(r"\b(?:[A-Z]|Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Rev|St|Jr|Sr)\.$")
NEGATION_SCOPE = 12  # words after a negation that it takes in


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


def claim_subject(clause: str) -> str | None:
    """The words before a clause's first verb, if a verb is recognised after at least one word."""
    words = clause.split()
    for index, word in enumerate(words[1:], start=1):
        if word.lower().strip(".,:;!?\"'") in HEADLINE_VERBS:
            return " ".join(words[:index])
    return None


def refutation(claim: str, sentence: str, antecedent: str = "") -> float:
    """How much of a claim's predicate an explicit denial in ``sentence`` takes in (0 when none does).

    The predicate is the claim without its subject: "[Russia] Will Attack Ukraine?" asks about attacking
    Ukraine, which "the diplomat dismissed speculation that the troops could be deployed in the Ukrainian
    conflict" denies in part (one of its two stems, 0.5). A denial of "these accusations" (``ANAPHORIC_CLAIM_PATTERN``)
    also takes in its ``antecedent``, the sentence before, where the accusations were told.
    """
    predicate = word_stems(claim_predicate(claim))
    if not predicate:
        return 0.0
    best = 0.0
    sentence = NON_DENIAL_PATTERN.sub(" ", sentence)
    for match in DENIAL_PATTERN.finditer(sentence):
        rest = sentence[match.end() :]
        scope = word_stems(rest)
        if antecedent and ANAPHORIC_CLAIM_PATTERN.match(rest):
            scope |= word_stems(antecedent)
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
