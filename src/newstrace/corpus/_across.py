"""Evidence that two articles in different languages report one event: the people, bodies, places, figures and dates
both name, keyed across scripts (Галузин/Galuzin, Россия/Russia, "9 тыс."/"9,000").

A Russian article and its English copy share no words, so the story index's word evidence never links them. What
they do share are facts an article stores (its entities, quantities and times), keyed by the corpus identity key, so
the evidence is computed from stored rows as well as from an Article. It is weighed only for a pair of articles whose
languages are both known and differ: an English assignment never reads it.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterable

import numpy as np

from newstrace.corpus.identity import identity_key

__all__ = ["AcrossLanguages", "fact_keys", "fact_similarity", "linked_across"]

# The annotate labels of people, bodies and places, as the keys name them.
_KINDS = {"PERSON": "p", "ORG": "o", "GPE": "g", "LOC": "g", "FAC": "g"}
# A date said to the day, the month or the week: a year alone is shared by most articles of a year.
_DATE = re.compile(r"^\d{4}-(?:\d{2}(?:-\d{2})?|W\d{2})$")


def fact_keys(
    entities: Iterable[tuple[str, str]],
    quantities: Iterable[tuple[float, str | None]],
    times: Iterable[tuple[str, str | None]],
) -> tuple[str, ...]:
    """An article's facts as keys both languages give alike: entities (name, label) as "p:" + a person's surname key,
    "o:"/"g:" + a body's or place's key; figures (value, unit) of 10 or more that are not years as "q:" + the value;
    times (type, value) that name a day, week or month as "t:" + the value."""
    keys: set[str] = set()
    for name, label in entities:
        kind = _KINDS.get(label)
        words = identity_key(name) if kind else ()
        if words and all(words):
            keys.add(f"p:{words[-1]}" if kind == "p" else f"{kind}:{' '.join(words)}")
    for number, _ in quantities:
        value = float(number)  # a stored figure reads back as a float; an annotated one may be an int
        if value >= 10 and not (value.is_integer() and 1900 <= value <= 2100):
            keys.add(f"q:{value:g}")
    for kind, said in times:
        if kind == "DATE" and said and _DATE.match(said):
            keys.add(f"t:{said}")
    return tuple(sorted(keys))


def fact_similarity(mine: frozenset[str], theirs: frozenset[str]) -> float:
    """The share of two articles' facts they hold in common (Dice: 2 × shared / both sizes)."""
    return 2 * len(mine & theirs) / (len(mine) + len(theirs)) if mine and theirs else 0.0


def linked_across(
    mine: frozenset[str], theirs: frozenset[str], day: int | None, other_day: int | None, days: int, alike: float
) -> bool:
    """Whether two articles of different languages report one event: within ``days``, at least ``alike`` in their
    facts, and sharing people (two, with a third name, or one with another name and a figure or a date)."""
    if fact_similarity(mine, theirs) < alike:
        return False
    shared = mine & theirs
    people = sum(key.startswith("p:") for key in shared)
    names = people + sum(key.startswith("o:") for key in shared)
    specifics = sum(key.startswith(("q:", "t:")) for key in shared)
    if day is None or other_day is None:
        # Undated, only the facts place them together: people and a figure or date, both.
        return people >= 2 and specifics >= 1
    if abs(day - other_day) > days:
        return False
    return (people >= 2 and names >= 3) or (people >= 1 and names >= 2 and specifics >= 1)


class AcrossLanguages:
    """Each stored article's language and facts, and the people it names by language: where a new article finds
    the articles in other languages that report its event."""

    def __init__(self, days: int, alike: float, posting_limit: int) -> None:
        self.days, self.alike = days, alike  # StorySettings' across_days and across_similarity
        self._postings: defaultdict[str, defaultdict[str, deque[int]]] = defaultdict(
            lambda: defaultdict(lambda: deque(maxlen=posting_limit))
        )
        self._held: dict[int, tuple[str, frozenset[str], int | None]] = {}  # index -> language, facts, day

    def add(self, index: int, language: str | None, facts: frozenset[str], day: int | None) -> None:
        """Hold an article's facts and post its people under its language (one of no known language takes no part)."""
        if language is None or not facts:
            return
        self._held[index] = (language, facts, day)
        postings = self._postings[language]
        for key in facts:
            if key.startswith("p:"):
                postings[key].append(index)

    def linked(self, language: str | None, facts: frozenset[str], day: int | None) -> list[tuple[int, float]]:
        """The stored articles in another language this one is linked to (``linked_across``), with their fact
        similarity, most alike first (the earlier first on a tie)."""
        if language is None or len(self._postings) < 1 + (language in self._postings):
            return []  # no article of another language stored: nothing to weigh
        people = [key for key in facts if key.startswith("p:")]
        found = {
            index
            for other, postings in self._postings.items()
            if other != language
            for key in people
            for index in postings.get(key, ())
        }
        linked = []
        for index in sorted(found):
            _, theirs, other_day = self._held[index]
            if linked_across(facts, theirs, day, other_day, self.days, self.alike):
                linked.append((index, fact_similarity(facts, theirs)))
        return sorted(linked, key=lambda found: -found[1])

    def between(self, index: int, other: int) -> float | None:
        """Two stored articles' fact similarity where their languages are known and differ, else None."""
        mine, theirs = self._held.get(index), self._held.get(other)
        if mine is None or theirs is None or mine[0] == theirs[0]:
            return None
        return fact_similarity(mine[1], theirs[1])

    def mixed(self, index: int, members: list[int], similarities: np.ndarray) -> np.ndarray:
        """The split check's similarities of an article to members, its fact similarity to those in another language
        (their words and ledes share nothing, and a story told in two languages is not two stories)."""
        if len(self._postings) < 2 or index not in self._held:
            return similarities  # one language stored: no pair to weigh
        for position, member in enumerate(members):
            across = self.between(index, member)
            if across is not None:
                similarities[position] = across
        return similarities
