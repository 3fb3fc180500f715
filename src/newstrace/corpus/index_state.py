"""What the story index keeps between articles, behind one interface: held in memory, or in a store's tables.

:class:`StoryIndex` decides; an :class:`IndexState` remembers. :class:`MemoryState` keeps everything in this
process (an evaluation, a test, a one-off run); the store keeps the same state in tables written in each article's
write transaction (``newstrace.store``), so opening a store costs nothing and memory does not grow with it. Both
give the index the same numbers in the same order, so both assign every article alike.

An entry's number orders the articles as they were added (a position here, the article's key in a store); a
story's number orders the stories as they were opened.
"""

from __future__ import annotations

import sys
from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from newstrace.corpus._across import AcrossLanguages, fact_similarity, linked_across
from newstrace.corpus._copies import CopyFinder, band_keys, signature_of
from newstrace.corpus._story_records import Relation, StoryDoc, StorySettings, TermStatistics

if TYPE_CHECKING:
    from datasketch import MinHash

__all__ = [
    "CopyFinder",
    "IndexEntry",
    "IndexState",
    "MemoryState",
    "StoryState",
    "band_keys",
    "fact_similarity",
    "linked_across",
    "signature_of",
]

Term = Hashable  # a term as vectors key it: the word itself here, its number in a store's vocabulary there


@dataclass(slots=True)
class IndexEntry:
    """One added article as the index compares it: its vectors, days, story and how it joined."""

    number: int
    doc: StoryDoc  # a store's entries carry no text: ``IndexState.text`` reads it when a copy group needs it
    vector: dict[Term, float]
    lede: dict[Term, float]
    day: int | None  # the published day: what makes a member the origin
    window_day: int | None  # the published day, else the day the text gives: what places it in time
    story: int
    relation: Relation
    similarity: float
    copy_of: int | None  # the entry this one copies (its nearest copy when it joined)
    length: int
    lede_vector: np.ndarray | None  # signed bytes; None where the article has none (another language, older rows)
    stated: int  # how many sources its text credits (stated lineage): fewer marks a likelier original


@dataclass(slots=True)
class StoryState:
    """A story's members and the sums that score a candidate against it."""

    members: list[int]
    centroid: defaultdict[Term, float]  # the sum of member vectors: mean cosine = q · centroid / size
    lede_centroid: defaultdict[Term, float]  # the same for the members' lede vectors
    # Similarities between members, in member order, kept while the story may still split (None after).
    cosines: np.ndarray | None = None

    def include(self, entry: IndexEntry) -> None:
        """Add a member's vectors to the story's sums."""
        for term, weight in entry.vector.items():
            self.centroid[term] += weight
        for term, weight in entry.lede.items():
            self.lede_centroid[term] += weight


class Statistics(Protocol):
    """Document frequencies: the index's IDF, counted as articles are added."""

    def add(self, terms: Iterable[str]) -> None: ...
    def idf(self, term: str) -> float: ...


class Copies(Protocol):
    """MinHash signatures and the LSH lookup of the articles a new one may copy (``corpus._copies.CopyFinder``)."""

    def minhash(self, tokens: list[str]) -> MinHash: ...
    def add(self, number: int, minhash: MinHash) -> None: ...
    def candidates(self, minhash: MinHash) -> tuple[list[int], list[float]]: ...
    def relation(self, member: int, origin: int) -> Relation: ...


class Across(Protocol):
    """Facts by language, for articles in different languages (``corpus._across.AcrossLanguages``)."""

    def add(self, index: int, language: str | None, facts: frozenset[str], day: int | None) -> None: ...
    def linked(self, language: str | None, facts: frozenset[str], day: int | None) -> list[tuple[int, float]]: ...
    def between(self, index: int, other: int) -> float | None: ...
    def mixed(self, index: int, members: list[int], similarities: np.ndarray) -> np.ndarray: ...


class IndexState(Protocol):
    """Where the story index keeps its entries, stories, posting lists, signatures and statistics."""

    @property
    def settings(self) -> StorySettings: ...
    @property
    def statistics(self) -> Statistics: ...
    @property
    def copies(self) -> Copies: ...
    @property
    def across(self) -> Across: ...
    @property
    def generation(self) -> int:
        """Changes when the state changed other than through this index (another writer): caches are dropped."""
        ...

    def __len__(self) -> int: ...
    def term(self, word: str) -> Term: ...
    def holds(self, article_id: str) -> bool: ...
    def number(self, article_id: str) -> int | None: ...
    def next_number(self, wanted: int | None) -> int: ...
    def entry(self, number: int) -> IndexEntry: ...
    def entries(self, numbers: Sequence[int]) -> list[IndexEntry]: ...
    def put(self, entry: IndexEntry) -> None: ...
    def move(self, number: int, story: int) -> None: ...
    def text(self, number: int) -> str: ...
    def story(self, story: int) -> StoryState: ...
    def open_story(self, state: StoryState) -> int: ...
    def changed(self, story: int) -> None: ...
    def story_numbers(self) -> Iterator[int]: ...
    def all_entries(self) -> Iterator[IndexEntry]: ...
    def post(self, term: Term, number: int, weight: float) -> None: ...
    def partial_scores(self, vector: dict[Term, float], query: list[Term]) -> dict[int, float]: ...


class MemoryState:
    """The index's state in this process's memory: what an evaluation or a single run needs."""

    def __init__(self, settings: StorySettings, statistics: TermStatistics | None = None) -> None:
        self.settings = settings
        self.statistics: TermStatistics = statistics or TermStatistics()
        self.copies = CopyFinder(settings)
        self.across = AcrossLanguages(settings.across_days, settings.across_similarity, settings.posting_limit)
        self.generation = 0
        self._entries: list[IndexEntry] = []
        self._by_id: dict[str, int] = {}
        self._stories: list[StoryState] = []
        self._postings: defaultdict[Term, deque[int]] = defaultdict(lambda: deque(maxlen=settings.posting_limit))

    def __len__(self) -> int:
        return len(self._entries)

    def term(self, word: str) -> Term:
        """A word as vectors key it (interned: every vector shares one string per word)."""
        return sys.intern(word)

    def holds(self, article_id: str) -> bool:
        """Whether the article was added."""
        return article_id in self._by_id

    def number(self, article_id: str) -> int | None:
        """The entry number of an added article, None if it was never added."""
        return self._by_id.get(article_id)

    def next_number(self, wanted: int | None) -> int:
        """The number the next entry takes: its position (a store's key is no position here)."""
        if wanted is not None and wanted != len(self._entries):
            raise ValueError(f"an entry in memory is numbered by position ({len(self._entries)}), not {wanted}")
        return len(self._entries)

    def entry(self, number: int) -> IndexEntry:
        """One entry by number."""
        return self._entries[number]

    def entries(self, numbers: Sequence[int]) -> list[IndexEntry]:
        """Entries by number, in that order."""
        return [self._entries[n] for n in numbers]

    def put(self, entry: IndexEntry) -> None:
        """Keep a new entry."""
        self._entries.append(entry)
        self._by_id[entry.doc.id] = entry.number

    def move(self, number: int, story: int) -> None:
        """An entry's story changed (a split)."""
        self._entries[number].story = story

    def text(self, number: int) -> str:
        """An entry's cleaned text."""
        return self._entries[number].doc.text

    def story(self, story: int) -> StoryState:
        """One story by number."""
        return self._stories[story]

    def open_story(self, state: StoryState) -> int:
        """Keep a new story; its number."""
        self._stories.append(state)
        return len(self._stories) - 1

    def changed(self, story: int) -> None:
        """A story's members or sums changed (memory holds the objects themselves: nothing to write)."""

    def story_numbers(self) -> Iterator[int]:
        """Every story's number, in the order opened."""
        return iter(range(len(self._stories)))

    def all_entries(self) -> Iterator[IndexEntry]:
        """Every entry, in the order added."""
        return iter(self._entries)

    def post(self, term: Term, number: int, weight: float) -> None:
        """Post an entry under one of its query terms (the newest ``posting_limit`` per term are kept)."""
        self._postings[term].append(number)

    def partial_scores(self, vector: dict[Term, float], query: list[Term]) -> dict[int, float]:
        """Each posted entry's dot product with ``vector`` over the query terms, in posting order."""
        partial: defaultdict[int, float] = defaultdict(float)
        entries = self._entries
        for term in query:
            weight = vector[term]
            for other in self._postings.get(term, ()):
                partial[other] += weight * entries[other].vector.get(term, 0.0)
        return partial
