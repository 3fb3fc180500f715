"""The story index's state in the store's tables (v9): what assignment reads, one candidate's rows at a time.

A :class:`StoreState` is bound to a write transaction for one batch: what the index writes goes into that
transaction, what it reads comes from the tables (or from a bounded cache of what this writer already read or
wrote). Opening a store reads nothing; a writer's memory holds the cache, not the store. Writes are serialised
(SQLite's write lock, PostgreSQL's advisory lock), so a batch sees every other writer's articles; a counter in the
tables tells a writer that another wrote since its last batch, and it drops its cache.

Vectors are kept as they were computed (term numbers and float64 weights, in order), so the index gives the same
floats, in the same order, as one held in memory: the same stories.
"""

from __future__ import annotations

import functools
import secrets
import zlib
from collections import OrderedDict, defaultdict
from collections.abc import Hashable, Iterator, Sequence
from typing import Any

import numpy as np
from sqlalchemy import CompoundSelect, bindparam, func, insert, select, union_all, update
from sqlalchemy.engine import Connection

from newstrace.corpus.index_state import IndexEntry, StoryState
from newstrace.corpus.story_index import StoryDoc, StorySettings
from newstrace.store._index_parts import IndexAcross, IndexCopies, IndexStatistics, chunks
from newstrace.store.schema import articles, story_counters, story_entries, story_postings, story_state

__all__ = ["StoreState"]

# Entries and stories this writer keeps between batches (each entry's vectors are a few kilobytes in memory).
_CACHED_ENTRIES = 4_000
_CACHED_STORIES = 256


def _packed(vector: dict[Any, float]) -> bytes:
    """A vector keyed by term number as its numbers (uint32) then its weights (float64), in the vector's order,
    zlib-compressed (the numbers' high bytes are mostly zero)."""
    terms = np.fromiter(vector.keys(), np.uint32, len(vector))
    return zlib.compress(terms.tobytes() + np.fromiter(vector.values(), np.float64, len(vector)).tobytes())


def _unpacked(blob: bytes) -> dict[Hashable, float]:
    raw = zlib.decompress(blob)
    size = len(raw) // 12
    terms = np.frombuffer(raw, np.uint32, size).tolist()
    return dict(zip(terms, np.frombuffer(raw, np.float64, size, 4 * size).tolist(), strict=True))


_STORY_COLUMNS = ("members", "centroid", "lede_centroid", "cosines")


class StoreState:
    """The story index's state in a store's tables, bound to one write transaction at a time."""

    def __init__(self, settings: StorySettings | None = None) -> None:
        self.settings = settings or StorySettings()
        self.statistics = IndexStatistics(self)
        self.copies = IndexCopies(self, self.settings)
        self.across = IndexAcross(self, self.settings)
        self.generation = 0  # moves on when another writer (or a rollback) made the cache stale
        self._connection: Connection | None = None
        self._written: int | None = None  # the batch token this writer last wrote: another's batch changes it
        self._next_story = 0
        self._entries: OrderedDict[int, IndexEntry] = OrderedDict()
        self._ids: dict[str, int] = {}  # article id -> entry number, for the cached entries
        self._stories: OrderedDict[int, StoryState] = OrderedDict()
        self._dirty: set[int] = set()
        self._new_stories: set[int] = set()
        self._posts: list[dict[str, object]] = []
        self._counter_names: set[str] = set()

    @property
    def connection(self) -> Connection:
        """The write transaction this state is bound to."""
        if self._connection is None:
            raise RuntimeError("the story index is used outside a write transaction")
        return self._connection

    def bind(self, connection: Connection) -> None:
        """Work in this write transaction: read the counters, and drop the cache if another writer wrote since."""
        self._connection = connection
        read = select(story_counters.c.name, story_counters.c.value)
        counters: dict[str, int] = {name: value for name, value in connection.execute(read)}
        self._counter_names = set(counters)
        # The last batch's token: another writer's batch, or this writer's that did not commit, left another one.
        batch = counters.get("batch", 0)
        if batch != self._written:
            self.forget()
        self.statistics.documents = counters.get("documents", 0)
        self.statistics.terms = counters.get("terms", 0)
        self.across.languages = {name.partition(":")[2] for name in counters if name.startswith("language:")}
        self._next_story = counters.get("stories", 0)
        self._written = batch

    def forget(self) -> None:
        """Drop every cached row: the tables are the truth."""
        self.generation += 1
        self._entries.clear()
        self._ids.clear()
        self._stories.clear()
        self._dirty.clear()
        self._new_stories.clear()
        self._posts = []
        self.copies.forget()

    def flush(self) -> None:
        """Write what the batch changed that is not written yet: postings, stories, counters; trim the cache."""
        connection = self.connection
        self._write_posts()
        new, changed_rows = [], []
        for story in sorted(self._dirty):
            record = self._stories[story]
            row = {
                "members": np.array(record.members, np.int64).tobytes(),
                # A story of one member (most of a real stream) keeps no sums: they are its member's vectors.
                "centroid": _packed(record.centroid) if len(record.members) > 1 else b"",
                "lede_centroid": _packed(record.lede_centroid) if len(record.members) > 1 else b"",
                "cosines": None if record.cosines is None else record.cosines.astype(np.float64).tobytes(),
            }
            if story in self._new_stories:
                new.append({"story": story, **row})
            else:
                changed_rows.append({"number": story, **{f"new_{name}": value for name, value in row.items()}})
        if new:
            connection.execute(insert(story_state), new)
        if changed_rows:
            rewritten = update(story_state).where(story_state.c.story == bindparam("number"))
            columns: dict[str, Any] = {name: bindparam(f"new_{name}") for name in _STORY_COLUMNS}
            connection.execute(rewritten.values(**columns), changed_rows)
        self._dirty.clear()
        self._new_stories.clear()
        # A token no batch repeats (a count could: this writer's batch rolled back, then another's committed).
        batch = secrets.randbits(62)
        values = {
            "documents": self.statistics.documents, "terms": self.statistics.terms, "stories": self._next_story,
            "batch": batch,
        }  # fmt: skip
        values.update(dict.fromkeys((f"language:{language}" for language in self.across.languages), 1))
        stored = self._counter_names
        changed = [{"counter": name, "count": value} for name, value in values.items() if name in stored]
        if changed:
            counted = update(story_counters).where(story_counters.c.name == bindparam("counter"))
            connection.execute(counted.values(value=bindparam("count")), changed)
        added = [{"name": name, "value": value} for name, value in values.items() if name not in stored]
        if added:
            connection.execute(insert(story_counters), added)
            stored.update(name for name in values if name not in stored)
        self._written = batch
        while len(self._entries) > _CACHED_ENTRIES:
            _, entry = self._entries.popitem(last=False)
            self._ids.pop(entry.doc.id, None)
        while len(self._stories) > _CACHED_STORIES:
            self._stories.popitem(last=False)
        self.copies.trim(_CACHED_ENTRIES)

    def release(self) -> None:
        """The transaction ended."""
        self._connection = None

    def __len__(self) -> int:
        return int(self.statistics.documents)

    def term(self, word: str) -> Hashable:
        """A word's number in the store's vocabulary."""
        return self.statistics.number(word)

    def holds(self, article_id: str) -> bool:
        """Whether this writer has the article in its cache (the entries' key refuses any other one twice)."""
        return article_id in self._ids

    def number(self, article_id: str) -> int | None:
        """An indexed article's key, None if it is not indexed."""
        if article_id in self._ids:
            return self._ids[article_id]
        query = (
            select(story_entries.c.article)
            .join_from(story_entries, articles, articles.c.pk == story_entries.c.article)
            .where(articles.c.id == article_id)
        )
        return self.connection.scalar(query)

    def next_number(self, wanted: int | None) -> int:
        """An entry is numbered by its article's key."""
        if wanted is None:
            raise ValueError("a store's index numbers each entry by its article's key")
        return wanted

    def entry(self, number: int) -> IndexEntry:
        """One entry by its article's key."""
        return self.entries([number])[0]

    def entries(self, numbers: Sequence[int]) -> list[IndexEntry]:
        """Entries by key, in that order, read in one query for those not cached."""
        missing = [n for n in dict.fromkeys(numbers) if n not in self._entries]
        for chunk in chunks(missing):
            columns = (articles.c.id, articles.c.headline, articles.c.published, articles.c.site)
            # Not the MinHash signature (``signatures`` reads it): the largest column, and no entry holds it.
            kept = [column for column in story_entries.c if column.name != "signature"]
            query = select(*kept, *columns).join_from(story_entries, articles, articles.c.pk == story_entries.c.article)
            for row in self.connection.execute(query.where(story_entries.c.article.in_(chunk))).all():
                self._keep(_entry_of(row._mapping))
        for n in numbers:
            self._entries.move_to_end(n)
        return [self._entries[n] for n in numbers]

    def signatures(self, numbers: Sequence[int]) -> dict[int, np.ndarray]:
        """MinHash signatures by key (values as datasketch gives them)."""
        found: dict[int, np.ndarray] = {}
        for number in numbers:
            if number in self.copies.pending:
                found[number] = np.frombuffer(self.copies.pending[number], np.uint32).astype(np.uint64)
        missing = [n for n in numbers if n not in found]
        for chunk in chunks(missing):
            query = select(story_entries.c.article, story_entries.c.signature)
            for number, blob in self.connection.execute(query.where(story_entries.c.article.in_(chunk))).all():
                found[number] = np.frombuffer(blob, np.uint32).astype(np.uint64)
        return found

    def _keep(self, entry: IndexEntry) -> None:
        self._entries[entry.number] = entry
        self._ids[entry.doc.id] = entry.number

    def put(self, entry: IndexEntry) -> None:
        """Write a new entry (its signature was kept by ``copies.add``)."""
        doc = entry.doc
        lede_vector = entry.lede_vector.astype(np.int8).tobytes() if entry.lede_vector is not None else None
        row = {
            "article": entry.number, "story": entry.story, "relation": entry.relation,
            "similarity": entry.similarity, "copy_of": entry.copy_of, "day": entry.day,
            "window_day": entry.window_day, "text_date": doc.text_date, "length": entry.length,
            "stated": entry.stated, "removed": doc.removed, "vector": _packed(entry.vector),
            "lede": _packed(entry.lede), "signature": self.copies.pending.pop(entry.number),
            "lede_vector": lede_vector, "language": doc.language,
            "facts": "\n".join(doc.facts) if doc.facts else None,
        }  # fmt: skip
        self.connection.execute(insert(story_entries).values(**row))
        self.across.adding = entry.number
        # Cached as it would read back: no text (``text`` reads it), no lineage (the store keeps it in its own rows).
        entry.doc = StoryDoc(
            doc.id, "", doc.headline, doc.published, doc.site, (), doc.removed, None, doc.text_date, doc.language,
            doc.facts,
        )  # fmt: skip
        self._keep(entry)

    def move(self, number: int, story: int) -> None:
        """An entry's story changed (a split)."""
        self.entry(number).story = story
        self.connection.execute(update(story_entries).where(story_entries.c.article == number).values(story=story))

    def text(self, number: int) -> str:
        """An entry's cleaned text, read from its article."""
        return self.connection.scalar(select(articles.c.text).where(articles.c.pk == number)) or ""

    def story(self, story: int) -> StoryState:
        """One story by number."""
        known = self._stories.get(story)
        if known is None:
            row = self.connection.execute(select(story_state).where(story_state.c.story == story)).one()
            members = np.frombuffer(row.members, np.int64).tolist()
            cosines = None
            if row.cosines is not None:
                size = len(members)
                cosines = np.frombuffer(row.cosines, np.float64).reshape(size, size).copy()
            if len(members) == 1:  # its sums are its member's vectors, added to zeros as the index adds them
                known = StoryState(members, defaultdict(float), defaultdict(float), cosines)
                known.include(self.entry(members[0]))
            else:
                known = StoryState(
                    members, defaultdict(float, _unpacked(row.centroid)),
                    defaultdict(float, _unpacked(row.lede_centroid)), cosines,
                )  # fmt: skip
            self._stories[story] = known
        self._stories.move_to_end(story)
        return known

    def open_story(self, state: StoryState) -> int:
        """Keep a new story (written with the batch); its number."""
        number = self._next_story
        self._next_story += 1
        self._stories[number] = state
        self._new_stories.add(number)
        self._dirty.add(number)
        return number

    def changed(self, story: int) -> None:
        """A story's members or sums changed: rewritten when the batch is written."""
        self._dirty.add(story)

    def story_numbers(self) -> Iterator[int]:
        """Every story's number, in the order opened (those opened in this batch included)."""
        stored = set(self.connection.scalars(select(story_state.c.story)))
        return iter(sorted(stored | self._new_stories))

    def all_entries(self) -> Iterator[IndexEntry]:
        """Every entry, in the order added."""
        keys = list(self.connection.scalars(select(story_entries.c.article).order_by(story_entries.c.article)))
        for chunk in chunks(keys):
            yield from self.entries(chunk)

    def post(self, term: Hashable, number: int, weight: float) -> None:
        """Post an entry under one of its query terms, with its weight there."""
        self._posts.append({"term": term, "article": number, "weight": weight})

    def _write_posts(self) -> None:
        if self._posts:
            self.connection.execute(insert(story_postings), self._posts)
            self._posts = []

    def partial_scores(self, vector: dict[Hashable, float], query: list[Hashable]) -> dict[int, float]:
        """Each posted entry's dot product with ``vector`` over the query terms (the newest ``posting_limit`` of
        each term's postings, oldest first, as the index in memory keeps them), read in one statement."""
        self._write_posts()
        partial: defaultdict[int, float] = defaultdict(float)
        if not query:
            return partial
        posted: defaultdict[Hashable, list[tuple[int, float]]] = defaultdict(list)
        values = {f"t{n}": term for n, term in enumerate(query)}
        postings = _postings_of(len(query), self.settings.posting_limit)
        for term, other, theirs in self.connection.execute(postings, values).all():
            posted[term].append((other, theirs))
        for term in query:
            weight = vector[term]
            for other, theirs in sorted(posted[term]):  # oldest first (a union's rows come in no set order)
                partial[other] += weight * theirs
        return partial

    def indexed_through(self, connection: Connection) -> int:
        """The highest article key the index holds (0 for none)."""
        return connection.scalar(select(func.coalesce(func.max(story_entries.c.article), 0))) or 0


@functools.cache
def _postings_of(terms: int, limit: int) -> CompoundSelect[Any]:
    """The newest ``limit`` postings of each of ``terms`` terms (bound as t0, t1, ...), newest first: one statement,
    each part read from the (term, article) key."""
    parts = [
        select(story_postings.c.term, story_postings.c.article, story_postings.c.weight)
        .where(story_postings.c.term == bindparam(f"t{n}"))
        .order_by(story_postings.c.article.desc())
        .limit(limit)
        .subquery()
        .select()
        for n in range(terms)
    ]
    return union_all(*parts)


def _entry_of(row: Any) -> IndexEntry:
    facts = tuple(row["facts"].split("\n")) if row["facts"] else ()
    doc = StoryDoc(
        row["id"], "", row["headline"], row["published"], row["site"], (), row["removed"], None, row["text_date"],
        row["language"], facts,
    )  # fmt: skip
    lede_vector = np.frombuffer(row["lede_vector"], np.int8).copy() if row["lede_vector"] is not None else None
    return IndexEntry(
        row["article"], doc, _unpacked(row["vector"]), _unpacked(row["lede"]), row["day"], row["window_day"],
        row["story"], row["relation"], row["similarity"], row["copy_of"], row["length"], lede_vector, row["stated"],
    )  # fmt: skip
