"""Stories kept in the store: each new article is assigned in its own write transaction, and commands read the tables.

The story index lives in memory for the life of a :class:`StoryKeeper`; it is loaded from ``story_members`` (the
vectors and signatures stored there, no text read again) the first time it is needed, and again when another
writer has added articles since.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sqlalchemy import Engine, bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from newstrace._store.schema import articles, stories, story_lineage, story_members
from newstrace.corpus.lineage import LineageEdge
from newstrace.corpus.stories import EntryState, StoryDoc, StoryIndex, StoryMember, StoryRecord, doc_from_article
from newstrace.model import Article, Span

__all__ = ["StoryKeeper", "story_records"]


def _pack(counts: dict[str, int]) -> bytes:
    return zlib.compress(json.dumps(counts, ensure_ascii=False, separators=(",", ":")).encode())


def _unpack(data: bytes) -> dict[str, int]:
    counts: dict[str, int] = json.loads(zlib.decompress(data))
    return counts


class StoryKeeper:
    """Assigns newly stored articles to stories inside the write transaction and rewrites the stories they change."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._index: StoryIndex | None = None
        self._last_article = 0  # the highest article pk the loaded index holds
        # Writers in several threads (the server) take turns: the index is assigned in the order rows are written.
        self._lock = threading.Lock()

    def forget(self) -> None:
        """Drop the loaded index (a transaction that rolled back leaves it ahead of the tables)."""
        self._index = None

    def add(self, connection: Connection, stored: Sequence[tuple[int, Article]]) -> None:
        """Assign these just-inserted articles (pk, article), in order, and write their rows and changed stories."""
        if not stored:
            return
        with self._lock:
            self._add(connection, stored)

    def _add(self, connection: Connection, stored: Sequence[tuple[int, Article]]) -> None:
        latest = connection.scalar(select(func.coalesce(func.max(story_members.c.article), 0))) or 0
        if self._index is None or latest != self._last_article:
            self._index = self._load(connection)
        index = self._index
        members: list[dict[str, object]] = []
        lineage: list[dict[str, object]] = []
        for pk, article in stored:
            doc = doc_from_article(article)
            index.add(doc)
            state = index.state(doc.id)
            members.append(
                {
                    "article": pk, "story": "", "relation": state.relation, "similarity": state.similarity,
                    "copy_of": None, "removed": doc.removed, "terms": _pack(state.terms),
                    "lede_terms": _pack(state.lede_terms), "signature": state.signature.astype(np.uint32).tobytes(),
                    "joined_as": state.relation, "joined_copy_of": state.copy_of,
                }
            )  # fmt: skip
            lineage.extend(
                {"article": pk, "source": e.source, "cue": e.cue, "start": e.evidence.start, "end": e.evidence.end}
                for e in doc.lineage
            )
            self._last_article = pk
        connection.execute(insert(story_members), members)
        if lineage:
            connection.execute(insert(story_lineage), lineage)
        _write_changed(connection, index.take_changed())

    def _load(self, connection: Connection) -> StoryIndex:
        """The index as the stored members leave it, in the order the articles were stored."""
        query = (
            select(story_members, articles.c.id, articles.c.headline, articles.c.published, articles.c.site)
            .join_from(story_members, articles, articles.c.pk == story_members.c.article)
            .order_by(story_members.c.article)
        )
        edges = _lineage_by_article(connection)
        rows = connection.execute(query).all()
        self._last_article = rows[-1].article if rows else 0

        def stored() -> Iterable[tuple[StoryDoc, EntryState, str]]:
            for row in rows:
                doc = StoryDoc(
                    row.id, "", row.headline, row.published, row.site, tuple(edges.get(row.id, ())), row.removed
                )
                signature = np.frombuffer(row.signature, dtype=np.uint32).astype(np.uint64)
                state = EntryState(
                    _unpack(row.terms), _unpack(row.lede_terms), signature, row.joined_as, row.similarity,
                    row.joined_copy_of,
                )  # fmt: skip
                yield doc, state, row.story

        return StoryIndex.restore(stored(), text_loader=self._text)

    def _text(self, article_id: str) -> str:
        with self.engine.connect() as connection:
            return connection.scalar(select(articles.c.text).where(articles.c.id == article_id)) or ""


def _write_changed(connection: Connection, records: list[StoryRecord]) -> None:
    """Rewrite the rows of stories that changed: the story row, and each member's story, relation and copy origin."""
    if not records:
        return
    ids = [member.article_id for record in records for member in record.members]
    pks: dict[str, int] = {}
    current: dict[int, tuple[str, str, str | None]] = {}
    columns = (articles.c.id, articles.c.pk, story_members.c.story, story_members.c.relation, story_members.c.copy_of)
    for start in range(0, len(ids), 500):
        batch = ids[start : start + 500]
        query = select(*columns).join_from(articles, story_members, story_members.c.article == articles.c.pk)
        for row in connection.execute(query.where(articles.c.id.in_(batch))):
            pks[row.id] = row.pk
            current[row.pk] = (row.story, row.relation, row.copy_of)
    connection.execute(delete(stories).where(stories.c.id.in_([record.id for record in records])))
    connection.execute(
        insert(stories),
        [
            {
                "id": r.id, "title": r.title, "origin": r.origin_id, "first_seen": r.first_seen,
                "last_seen": r.last_seen, "size": len(r.members),
            }
            for r in records
        ],
    )  # fmt: skip
    # A join changes few members' rows (the new one's, an origin's): only those are written.
    changes = [
        {"pk": pks[m.article_id], "new_story": r.id, "new_relation": m.relation, "new_copy_of": m.copy_of}
        for r in records
        for m in r.members
        if current[pks[m.article_id]] != (r.id, m.relation, m.copy_of)
    ]
    if not changes:
        return
    connection.execute(
        update(story_members)
        .where(story_members.c.article == bindparam("pk"))
        .values(story=bindparam("new_story"), relation=bindparam("new_relation"), copy_of=bindparam("new_copy_of")),
        changes,
    )


def _lineage_by_article(connection: Connection, story: str | None = None) -> dict[str, list[LineageEdge]]:
    """The stated lineage of stored articles (of one story's members), evidence cut from each article's text."""
    start, end = story_lineage.c.start, story_lineage.c.end
    evidence = func.substr(articles.c.text, start + 1, end - start, type_=articles.c.text.type)
    query = (
        select(articles.c.id, story_lineage.c.source, story_lineage.c.cue, start, end, evidence.label("evidence"))
        .join_from(story_lineage, articles, articles.c.pk == story_lineage.c.article)
        .order_by(story_lineage.c.pk)
    )
    if story is not None:
        members = select(story_members.c.article).where(story_members.c.story == story)
        query = query.where(story_lineage.c.article.in_(members))
    edges: defaultdict[str, list[LineageEdge]] = defaultdict(list)
    for row in connection.execute(query):
        edges[row.id].append(LineageEdge(row.id, row.source, row.cue, Span(row.start, row.end, row.evidence)))
    return edges


def story_records(engine: Engine, story_id: str | None = None) -> list[StoryRecord]:
    """Stored stories (all, or those whose id is ``story_id`` else starts with it), newest last seen first."""
    with engine.connect() as connection:
        query = select(stories)
        if story_id is not None:
            query = query.where(stories.c.id == story_id)
            if connection.scalar(select(func.count()).select_from(query.subquery())) == 0 and len(story_id) >= 6:
                escaped = story_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                query = select(stories).where(stories.c.id.like(escaped + "%", escape="\\"))
        rows = connection.execute(query).all()
        members = _members(connection, [row.id for row in rows])
        edges: dict[str, list[LineageEdge]] = {}
        if story_id is not None:
            for row in rows:
                edges.update(_lineage_by_article(connection, row.id))
        else:
            edges = _lineage_by_article(connection)
    records = []
    for row in rows:
        lineage = [edge for member in members[row.id] for edge in edges.get(member.article_id, ())]
        records.append(
            StoryRecord(row.id, row.title, row.first_seen, row.last_seen, row.origin, members[row.id], lineage)
        )
    return sorted(records, key=lambda r: (r.last_seen or "", len(r.members), r.id), reverse=True)


def _members(connection: Connection, story_ids: list[str]) -> defaultdict[str, list[StoryMember]]:
    """Each story's members, in the order they were stored."""
    found: defaultdict[str, list[StoryMember]] = defaultdict(list)
    columns: list[Any] = [story_members.c.story, articles.c.id, story_members.c.relation, story_members.c.similarity]
    columns += [articles.c.site, articles.c.published, story_members.c.copy_of]
    for start in range(0, len(story_ids), 500):
        batch = story_ids[start : start + 500]
        query = (
            select(*columns)
            .join_from(story_members, articles, articles.c.pk == story_members.c.article)
            .where(story_members.c.story.in_(batch))
            .order_by(story_members.c.article)
        )
        for row in connection.execute(query):
            member = StoryMember(row.id, row.relation, row.similarity, row.site, row.published, row.copy_of)
            found[row.story].append(member)
    return found
