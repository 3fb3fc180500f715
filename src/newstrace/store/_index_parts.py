"""The story index's statistics, signatures and cross-language people in the store's tables: parts of ``StoreState``."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.sql.dml import Insert

from newstrace.corpus.index_state import CopyFinder, IndexEntry, band_keys, fact_similarity, linked_across, signature_of
from newstrace.corpus.story_index import StorySettings
from newstrace.store.schema import story_bands, story_people, story_terms

if TYPE_CHECKING:
    from datasketch import MinHash


class StoreState(Protocol):
    """What the parts read of the state they belong to (``_story_state.StoreState``)."""

    @property
    def connection(self) -> Connection: ...
    def entry(self, number: int) -> IndexEntry: ...
    def entries(self, numbers: Sequence[int]) -> list[IndexEntry]: ...
    def signatures(self, numbers: Sequence[int]) -> dict[int, np.ndarray]: ...


__all__ = ["IndexAcross", "IndexCopies", "IndexStatistics", "chunks"]

_CHUNK = 500  # keys per IN (...) list
_LONGEST_WORD = 200  # characters a vocabulary key keeps; a longer word is keyed by its digest


def chunks(keys: Sequence[Any]) -> Iterable[Sequence[Any]]:
    """``keys`` in lists short enough for one IN (...)."""
    for start in range(0, len(keys), _CHUNK):
        yield keys[start : start + _CHUNK]


def _counted(dialect: str) -> Insert:
    """Insert a word counted once, or count it once more (SQLite's and PostgreSQL's ON CONFLICT)."""
    upsert = postgresql_insert(story_terms) if dialect == "postgresql" else sqlite_insert(story_terms)
    return upsert.on_conflict_do_update(
        index_elements=[story_terms.c.word], set_={"documents": story_terms.c.documents + 1}
    )


def _key(word: str) -> str:
    """A word as the vocabulary keys it: itself, or a digest of a word too long for an index's key (PostgreSQL's
    B-tree takes about 2.7 KB); two words share a key only if they share a digest."""
    if len(word) <= _LONGEST_WORD:
        return word
    return "#" + hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class IndexStatistics:
    """Document frequencies in ``story_terms``: each added article counts its distinct words there."""

    def __init__(self, state: StoreState) -> None:
        self._state = state
        self.documents = 0
        self.terms = 0  # words numbered so far: the next word's number
        self._known: dict[str, tuple[int, int]] = {}  # word -> (term number, documents), for this article's words

    def _fetch(self, words: list[str]) -> None:
        connection = self._state.connection
        for chunk in chunks(words):
            query = select(story_terms.c.word, story_terms.c.term, story_terms.c.documents)
            for word, term, documents in connection.execute(query.where(story_terms.c.word.in_(chunk))).all():
                self._known[word] = (term, documents)

    def add(self, terms: Any) -> None:
        """Count one article's distinct words (new words join the vocabulary, numbered in the order they came)."""
        connection = self._state.connection
        words = sorted({_key(word) for word in terms})
        self._known = {}
        self._fetch(words)
        new = [word for word in words if word not in self._known]
        first = self.terms
        self.terms += len(new)
        self._known.update((word, (first + n, 0)) for n, word in enumerate(new))
        # One statement counts them all: a known word's count goes up, a new word comes in counted once.
        rows = [{"word": word, "term": self._known[word][0], "documents": 1} for word in words]
        if rows:  # an article without content words counts as a document all the same
            connection.execute(_counted(connection.dialect.name), rows)
        self._known = {word: (term, documents + 1) for word, (term, documents) in self._known.items()}
        self.documents += 1

    def _number(self, words: list[str]) -> None:
        """Add new words to the vocabulary with no documents yet."""
        if words:
            first = self.terms
            self.terms += len(words)
            rows = [{"word": word, "term": first + n, "documents": 0} for n, word in enumerate(words)]
            self._state.connection.execute(insert(story_terms), rows)
            self._known.update((word, (first + n, 0)) for n, word in enumerate(words))

    def _entry(self, word: str) -> tuple[int, int]:
        word = _key(word)
        known = self._known.get(word)
        if known is None:  # a headline's word the text lacks: looked up, or numbered with no documents
            self._fetch([word])
            if word not in self._known:
                self._number([word])
            known = self._known[word]
        return known

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency, as :class:`TermStatistics` computes it."""
        return math.log((self.documents + 1) / (self._entry(term)[1] + 1)) + 1.0

    def number(self, word: str) -> int:
        """A word's term number."""
        return self._entry(word)[0]


class IndexCopies:
    """MinHash signatures in ``story_entries`` and LSH band keys in ``story_bands``: what ``CopyFinder`` keeps."""

    def __init__(self, state: StoreState, settings: StorySettings) -> None:
        self._state = state
        self._settings = settings
        self._finder = CopyFinder(settings)  # its signatures' permutations; its own LSH index stays empty
        self.pending: dict[int, bytes] = {}  # signatures of entries about to be written
        self._relations: dict[int, tuple[int, str]] = {}

    def minhash(self, tokens: list[str]) -> MinHash:
        """The signature of a text split into words."""
        return self._finder.minhash(tokens)

    def add(self, number: int, minhash: MinHash) -> None:
        """Keep an added article's signature (with its entry) and its band keys."""
        self.pending[number] = signature_of(minhash)
        keys = dict.fromkeys(band_keys(minhash.hashvalues, self._settings))
        rows = [{"band": key, "article": number} for key in keys]
        self._state.connection.execute(insert(story_bands), rows)

    def candidates(self, minhash: MinHash) -> tuple[list[int], list[float]]:
        """The stored articles sharing a band with this signature, in the order added, each with its Jaccard."""
        keys = list(dict.fromkeys(band_keys(minhash.hashvalues, self._settings)))
        query = select(story_bands.c.article).where(story_bands.c.band.in_(keys)).distinct()
        found = sorted(self._state.connection.scalars(query))
        if not found:
            return [], []
        signatures = self._state.signatures(found)
        agreements = (np.stack([signatures[other] for other in found]) == minhash.hashvalues).mean(axis=1)
        return found, agreements.tolist()

    def relation(self, member: int, origin: int) -> str:
        """A copy group member's relation to its origin: a copy when near-duplicate, else syndicated."""
        known = self._relations.get(member)
        if known is None or known[0] != origin:
            signatures = self._state.signatures([member, origin])
            jaccard = float(np.mean(signatures[member] == signatures[origin]))
            known = (origin, "copy" if jaccard >= self._settings.near_duplicate else "syndicated")
            self._relations[member] = known
        return known[1]

    def forget(self) -> None:
        """Drop what was cached (another writer changed the tables, or a batch rolled back)."""
        self.pending, self._relations = {}, {}

    def trim(self, bound: int) -> None:
        """Drop the relations found once they pass ``bound`` (they are found again as needed)."""
        if len(self._relations) > bound:
            self._relations = {}


class IndexAcross:
    """The people of articles in a known language (``story_people``), for articles in other languages."""

    def __init__(self, state: StoreState, settings: StorySettings) -> None:
        self._state = state
        self._settings = settings
        # The languages of stored articles that have facts, kept as counters named "language:<code>".
        self.languages: set[str] = set()
        # The entry being added: the index weighs its split check before it adds the entry's facts (``add``), and an
        # index in memory holds no facts of it until then.
        self.adding: int | None = None

    def add(self, index: int, language: str | None, facts: frozenset[str], day: int | None) -> None:
        """Post a held article's people under its language (its facts are in its entry row)."""
        self.adding = None
        if language is None or not facts:
            return
        self.languages.add(language)
        people = sorted(key for key in facts if key.startswith("p:"))
        if people:
            rows = [{"language": language, "person": key, "article": index} for key in people]
            self._state.connection.execute(insert(story_people), rows)

    def linked(self, language: str | None, facts: frozenset[str], day: int | None) -> list[tuple[int, float]]:
        """The stored articles in another language this one is linked to, most alike first (earlier on a tie)."""
        languages = self.languages
        if language is None or len(languages) < 1 + (language in languages):
            return []
        found: set[int] = set()
        connection = self._state.connection
        for other in sorted(languages - {language}):
            for key in sorted(key for key in facts if key.startswith("p:")):
                query = (
                    select(story_people.c.article)
                    .where(story_people.c.language == other, story_people.c.person == key)
                    .order_by(story_people.c.article.desc())
                    .limit(self._settings.posting_limit)
                )
                found.update(connection.scalars(query))
        linked = []
        days, alike = self._settings.across_days, self._settings.across_similarity
        for entry in self._state.entries(sorted(found)):
            theirs = frozenset(entry.doc.facts)
            if linked_across(facts, theirs, day, entry.window_day, days, alike):
                linked.append((entry.number, fact_similarity(facts, theirs)))
        return sorted(linked, key=lambda found: -found[1])

    def _held(self, entry: IndexEntry) -> bool:
        """Whether an entry takes part (``AcrossLanguages`` holds it): a known language and facts, and added here."""
        return entry.doc.language is not None and bool(entry.doc.facts) and entry.number != self.adding

    def between(self, index: int, other: int) -> float | None:
        """Two stored articles' fact similarity where their languages are known and differ, else None."""
        mine, theirs = self._state.entries([index, other])
        if not (self._held(mine) and self._held(theirs)) or mine.doc.language == theirs.doc.language:
            return None
        return fact_similarity(frozenset(mine.doc.facts), frozenset(theirs.doc.facts))

    def mixed(self, index: int, members: list[int], similarities: np.ndarray) -> np.ndarray:
        """The split check's similarities, each member in another language given the two articles' fact similarity."""
        if len(self.languages) < 2 or not self._held(self._state.entry(index)):
            return similarities
        for position, member in enumerate(members):
            across = self.between(index, member)
            if across is not None:
                similarities[position] = across
        return similarities
