"""One label per name within an article, and the article's names found again where the model missed a repeat.

A news text names a thing the same way throughout, so a name the model tags once is the same name where it
appears again untagged ("ЕС" tagged in the lede, missed further on), in any case form ("Москва", "Москве"), and a
person's surname alone is that person ("Михаил Галузин" ... "Галузина"). Where the model gives one name two
labels, the label it gives most often (the first, on a tie) is taken for every mention.
"""

from __future__ import annotations

from collections import Counter

from newstrace.annotate.russian._names import first_and_surname, fold, stem
from newstrace.annotate.russian._parse import RussianDoc, Token
from newstrace.annotate.russian._spans import Candidate, tokens_of

__all__ = ["make_consistent"]

_LONGEST_REPEAT = 4  # words: longer names are rarely repeated whole


def make_consistent(doc: RussianDoc, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates with one label per name, and the repeats of their names the model left untagged."""
    votes: dict[str, Counter[str]] = {}
    for candidate in candidates:
        votes.setdefault(fold(candidate.normal), Counter())[candidate.label] += 1
    for candidate in candidates:
        candidate.label = votes[fold(candidate.normal)].most_common(1)[0][0]
    forms, surnames = _known_forms(doc, candidates)
    covered = {(c.start, c.end) for c in candidates}
    repeats = []
    for sentence in doc.sentences:
        taken = [any(c.start <= t.start and t.end <= c.end for c in candidates) for t in sentence.tokens]
        index = 0
        while index < len(sentence.tokens):
            found = _repeat_at(sentence.tokens, index, taken, forms, surnames)
            if found is None:
                index += 1
                continue
            length, known = found
            first, last = sentence.tokens[index], sentence.tokens[index + length - 1]
            if (first.start, last.end) not in covered:
                parts, normal = dict(known.parts), known.normal
                if length == 1 and known.label == "PER":
                    # The surname alone, not the full name it stands for.
                    _, surname = first_and_surname(known.normal, known.parts)
                    if surname and len(known.normal.split()) > 1:
                        parts, normal = {"last": surname}, surname
                repeats.append(Candidate(first.start, last.end, known.label, normal, parts, None, "repeat"))
            index += length
    return sorted([*candidates, *repeats], key=lambda c: c.start)


def _known_forms(
    doc: RussianDoc, candidates: list[Candidate]
) -> tuple[dict[tuple[str, ...], Candidate], dict[str, Candidate]]:
    """Each tagged name by its words as written and by their lemmas; each person by the stem of the surname."""
    forms: dict[tuple[str, ...], Candidate] = {}
    surnames: dict[str, Candidate] = {}
    for candidate in candidates:
        _, tokens = tokens_of(doc, candidate.start, candidate.end)
        if not tokens or len(tokens) > _LONGEST_REPEAT:
            continue
        forms.setdefault(tuple(fold(t.text) for t in tokens), candidate)
        forms.setdefault(tuple(fold(t.lemma) for t in tokens), candidate)
        if candidate.label == "PER":
            _, surname = first_and_surname(candidate.normal, candidate.parts)
            if surname and len(surname) > 2:
                surnames.setdefault(stem(surname), candidate)
    return forms, surnames


def _repeat_at(
    tokens: tuple[Token, ...],
    index: int,
    taken: list[bool],
    forms: dict[tuple[str, ...], Candidate],
    surnames: dict[str, Candidate],
) -> tuple[int, Candidate] | None:
    """The longest known name starting at token ``index`` and its tagged twin, if one starts there."""
    first = tokens[index]
    if taken[index] or not first.text[:1].isupper():
        return None
    # A capital opening a sentence proves nothing: a single word there must be a proper noun to count.
    sentence_initial = index == 0 or (tokens[index - 1].pos == "PUNCT" and tokens[index - 1].text in '«"—-')
    for length in range(min(_LONGEST_REPEAT, len(tokens) - index), 0, -1):
        words = tokens[index : index + length]
        if any(taken[index : index + length]) or any(t.pos == "PUNCT" for t in words):
            continue
        if length == 1 and sentence_initial and first.pos != "PROPN":
            continue
        known = forms.get(tuple(fold(t.text) for t in words)) or forms.get(tuple(fold(t.lemma) for t in words))
        if known is None and length == 1 and first.pos in ("PROPN", "NOUN", "X"):
            known = surnames.get(stem(first.text))
        if known is not None:
            return length, known
    return None
