"""Stories kept in the store: each new article is assigned in its own write transaction, and commands read the tables.

The story index's state lives in tables too (``_story_state``, schema v9): a write reads only its candidates' rows,
so opening a store costs nothing, a writer's memory does not grow with the store, and every writer sees the others'
articles. A store upgraded from v8 has the tables empty: the :class:`StoryKeeper` fills them before its first write,
by adding the stored members again in the order they were stored (the inputs the index saw, so the same state), in
transactions of a few thousand articles, so a build that is killed goes on where it stopped.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Engine, bindparam, delete, func, insert, inspect, select, update
from sqlalchemy.engine import Connection, RowMapping

from newstrace.corpus.lineage import LineageEdge, lineage_in
from newstrace.corpus.story_index import StoryDoc, StoryIndex, StoryMember, StoryRecord, doc_from_article, fact_keys
from newstrace.model import Article, Span
from newstrace.store._story_state import StoreState
from newstrace.store._write import take_write_lock
from newstrace.store.schema import (
    articles,
    entities,
    quantities,
    stories,
    story_entries,
    story_lineage,
    story_members,
    times,
)

__all__ = ["StoryKeeper", "stored_docs", "story_records"]

# Stored members indexed per transaction while the tables are built: a killed build loses at most this many.
_BUILD_BATCH = 2000


class StoryKeeper:
    """Assigns newly stored articles to stories inside the write transaction and rewrites the stories they change."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(newstrace_write=True)
        self._state = StoreState()
        self._index = StoryIndex(state=self._state)
        # Writers in several threads (the server) take turns: the index is assigned in the order rows are written.
        self._lock = threading.Lock()
        # Told (done, total) while stored members are added to the index's tables: a command shows it as progress.
        self.on_replay: Callable[[int, int], None] | None = None

    def sync(self) -> None:
        """Fill the index's tables with the stored members they lack (a store upgraded from v8, a killed build),
        each few thousand in a write transaction of its own, outside any batch's write."""
        with self.engine.connect() as connection:
            behind = self._behind(connection)
        if not behind:
            return
        done = 0
        while True:
            # The database's turn first, then this process's (as a batch's write takes them): no thread holds one
            # while it waits for the other. Two writers building at once take turns, each from where it stands.
            with self._writer.begin() as connection:
                take_write_lock(connection)
                with self._lock:
                    added = self._build(connection, _BUILD_BATCH)
            if not added:
                return
            done += added
            if self.on_replay is not None:
                self.on_replay(done, behind)

    def _behind(self, connection: Connection) -> int:
        """How many stored members the index's tables lack (one statement: each write asks)."""
        indexed = select(func.coalesce(func.max(story_entries.c.article), 0)).scalar_subquery()
        count = select(func.count()).select_from(story_members).where(story_members.c.article > indexed)
        return connection.scalar(count) or 0

    def _build(self, connection: Connection, limit: int | None) -> int:
        """Add up to ``limit`` stored members the tables lack, in the order stored; how many were added."""
        after = self._state.indexed_through(connection)
        docs = []
        for pk, doc in stored_docs(connection, members_only=True, after=after):
            docs.append((pk, doc))
            if limit is not None and len(docs) == limit:
                break
        if docs:
            self._run(connection, lambda: self._index.replay(docs))
        return len(docs)

    def _run(self, connection: Connection, work: Callable[[], Any]) -> Any:
        """Do ``work`` with the index bound to this write transaction; a failure leaves no cached state behind."""
        self._state.bind(connection)
        try:
            done = work()
            self._state.flush()
            return done
        except BaseException:
            # The tables roll back with the transaction: what this writer cached of them goes too.
            self._state.forget()
            self._index = StoryIndex(state=self._state)
            raise
        finally:
            self._state.release()

    def catch_up(self, connection: Connection) -> None:
        """Assign the stored articles that are in no story yet (those of a store upgraded to stories), in the order
        they were stored, as ingest would have assigned them."""
        last_member = connection.scalar(select(func.coalesce(func.max(story_members.c.article), 0))) or 0
        # A store migrated only up to a version before the index's tables (``migrate(upto=...)``) has every article
        # in no story: an index in memory assigns them, and the tables are built from the members when they come.
        in_memory = None if inspect(connection).has_table("story_entries") else StoryIndex()
        # The changed stories are written once per 2,000 articles: on a store where every batch touches most stories,
        # writing them after each few hundred cost more than the assignments.
        batch: list[tuple[int, StoryDoc]] = []
        for stored in stored_docs(connection, after=last_member):
            batch.append(stored)
            if len(batch) == 2000:
                self._catch_up(connection, batch, in_memory)
                batch = []
        self._catch_up(connection, batch, in_memory)

    def _catch_up(self, connection: Connection, stored: list[tuple[int, StoryDoc]], index: StoryIndex | None) -> None:
        if index is None:
            self.add_docs(connection, stored)
        elif stored:
            _assign(connection, index, stored, {doc.id: pk for pk, doc in stored}.__getitem__, memory=True)

    def add(self, connection: Connection, stored: Sequence[tuple[int, Article]]) -> None:
        """Assign these just-inserted articles (pk, article), in order, and write their rows and changed stories."""
        self.add_docs(connection, [(pk, doc_from_article(article)) for pk, article in stored])

    def add_docs(self, connection: Connection, stored: Sequence[tuple[int, StoryDoc]]) -> None:
        """Assign these stored articles' story views (pk, doc), in order, and write their rows and changed stories."""
        if not stored:
            return
        with self._lock:
            # Members the tables lack (a build cut short, a writer of an older release): added first, in this write.
            if self._behind(connection):
                while self._build(connection, _BUILD_BATCH):
                    pass
            self._run(connection, lambda: self._add(connection, stored))

    def _add(self, connection: Connection, stored: Sequence[tuple[int, StoryDoc]]) -> None:
        _assign(connection, self._index, stored, self._index.number_of)


def _assign(
    connection: Connection,
    index: StoryIndex,
    stored: Sequence[tuple[int, StoryDoc]],
    key_of: Callable[[str], int],
    memory: bool = False,
) -> None:
    """Add stored articles (pk, doc) to ``index`` in order, then write their lineage and the stories that changed
    (``key_of`` gives an article's key by id; an index in ``memory`` numbers its entries itself)."""
    lineage: list[dict[str, object]] = []
    for pk, doc in stored:
        index.add(doc, None if memory else pk)
        lineage.extend(
            {"article": pk, "source": e.source, "cue": e.cue, "start": e.evidence.start, "end": e.evidence.end}
            for e in doc.lineage
        )
    if lineage:
        connection.execute(insert(story_lineage), lineage)
    records = index.take_changed()
    pks = {m.article_id: key_of(m.article_id) for record in records for m in record.members}
    _write_changed(connection, records, pks, {pk for pk, _ in stored})


def stored_docs(
    connection: Connection, members_only: bool = False, batch: int = 200, after: int = 0
) -> Iterator[tuple[int, StoryDoc]]:
    """Stored articles' (pk, StoryDoc) after key ``after`` in the order stored (story members only), in batches."""
    columns = (articles.c.pk, articles.c.id, articles.c.text, articles.c.headline, articles.c.published)
    query = select(*columns, articles.c.site, articles.c.reference_date, articles.c.data, articles.c.language)
    if members_only:
        query = query.join_from(articles, story_members, story_members.c.article == articles.c.pk)
    last = after
    while True:
        rows = connection.execute(query.where(articles.c.pk > last).order_by(articles.c.pk).limit(batch)).all()
        if not rows:
            return
        facts = _stored_facts(connection, [row.pk for row in rows])
        for row in rows:
            yield row.pk, _stored_doc(row._mapping, facts.get(row.pk, ()))
        last = rows[-1].pk


def _stored_facts(connection: Connection, pks: list[int]) -> dict[int, tuple[str, ...]]:
    """Each stored article's cross-language fact keys from its fact tables, as ``doc_from_article`` gave them."""
    named: defaultdict[int, list[tuple[str, str]]] = defaultdict(list)
    figures: defaultdict[int, list[tuple[float, str | None]]] = defaultdict(list)
    said: defaultdict[int, list[tuple[str, str | None]]] = defaultdict(list)
    for row in connection.execute(select(entities.c.article, entities.c.name, entities.c.label).where(
        entities.c.article.in_(pks))):  # fmt: skip
        named[row.article].append((row.name, row.label))
    for row in connection.execute(select(quantities.c.article, quantities.c.value, quantities.c.unit).where(
        quantities.c.article.in_(pks))):  # fmt: skip
        figures[row.article].append((row.value, row.unit))
    for row in connection.execute(select(times.c.article, times.c.type, times.c.value).where(
        times.c.article.in_(pks))):  # fmt: skip
        said[row.article].append((row.type, row.value))
    return {pk: fact_keys(named[pk], figures[pk], said[pk]) for pk in pks}


def _stored_doc(row: RowMapping, facts: tuple[str, ...] = ()) -> StoryDoc:
    """An article row's StoryDoc, without decoding its whole Article (that costs several times the assignment)."""
    # The removed spans are counted from the JSON's columns (see facts.columnar_data): one text per span.
    data = json.loads(zlib.decompress(row["data"]))
    removed = len(data["removed"]["text"])
    text: str = row["text"]
    lineage = tuple(lineage_in(row["id"], text))
    lede_vector = data.get("lede_vector")  # absent from rows stored before lede vectors
    text_date = row["reference_date"] if data.get("reference_date_source") == "text" else None
    return StoryDoc(
        row["id"], text, row["headline"], row["published"], row["site"], lineage, removed, lede_vector, text_date,
        row["language"], facts,
    )  # fmt: skip


def _write_changed(connection: Connection, records: list[StoryRecord], pks: dict[str, int], new: set[int]) -> None:
    """Rewrite the stories that changed: their rows, each new member's row and the old members' rows that moved."""
    if not records:
        return
    old = [pks[m.article_id] for r in records for m in r.members if pks[m.article_id] not in new]
    current: dict[int, tuple[int, str, int | None, float]] = {}
    columns = (
        story_members.c.article, story_members.c.story, story_members.c.relation, story_members.c.copy_of,
        story_members.c.similarity,
    )  # fmt: skip
    for start in range(0, len(old), 500):
        query = select(*columns).where(story_members.c.article.in_(old[start : start + 500]))
        for row in connection.execute(query):
            current[row.article] = (row.story, row.relation, row.copy_of, row.similarity)
    keys = [pks[r.id] for r in records]
    # A story is keyed by its origin: one whose origin changed (an earlier original arrived, a split) leaves a row
    # under its old key, which its old members' rows name.
    stale = sorted(set(keys) | {story for story, _, _, _ in current.values()})
    for start in range(0, len(stale), 500):
        connection.execute(delete(stories).where(stories.c.story.in_(stale[start : start + 500])))
    connection.execute(
        insert(stories),
        [
            {
                "story": pks[r.id], "origin": pks[r.origin_id], "first_seen": r.first_seen,
                "last_seen": r.last_seen, "size": len(r.members),
            }
            for r in records
        ],
    )  # fmt: skip
    added: list[dict[str, object]] = []
    changes: list[dict[str, object]] = []
    for record in records:
        story = pks[record.id]
        for m in record.members:
            pk, copy_of = pks[m.article_id], pks[m.copy_of] if m.copy_of is not None else None
            if pk in new:
                added.append(
                    {
                        "article": pk,
                        "story": story,
                        "relation": m.relation,
                        "similarity": m.similarity,
                        "copy_of": copy_of,
                    }
                )
            elif current[pk] != (story, m.relation, copy_of, m.similarity):
                # A join changes few old members' rows (an origin's, a split's moved part, the member that opened a
                # story whose origin came later): only those are written.
                changes.append(
                    {
                        "pk": pk, "new_story": story, "new_relation": m.relation, "new_copy_of": copy_of,
                        "new_similarity": m.similarity,
                    }
                )  # fmt: skip
    if added:
        connection.execute(insert(story_members), added)
    if changes:
        connection.execute(
            update(story_members)
            .where(story_members.c.article == bindparam("pk"))
            .values(
                story=bindparam("new_story"),
                relation=bindparam("new_relation"),
                copy_of=bindparam("new_copy_of"),
                similarity=bindparam("new_similarity"),
            ),
            changes,
        )


def _lineage_by_article(connection: Connection, story: int | None = None) -> dict[str, list[LineageEdge]]:
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
    first, origin = articles.alias("first_article"), articles.alias("origin_article")
    query = (
        select(stories, first.c.id, origin.c.id.label("origin_id"))
        .join_from(stories, first, first.c.pk == stories.c.story)
        .join(origin, origin.c.pk == stories.c.origin)
    )
    with engine.connect() as connection:
        if story_id is None:
            rows = connection.execute(query).all()
        else:
            rows = connection.execute(query.where(first.c.id == story_id)).all()
            if not rows and len(story_id) >= 6:
                escaped = story_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                rows = connection.execute(query.where(first.c.id.like(escaped + "%", escape="\\"))).all()
        members = _members(connection, [row.story for row in rows])
        edges: dict[str, list[LineageEdge]] = {}
        if story_id is not None:
            for row in rows:
                edges.update(_lineage_by_article(connection, row.story))
        else:
            edges = _lineage_by_article(connection)
    records = []
    for row in rows:
        found = members[row.story]
        headlines = {member.article_id: headline for member, headline in found}
        # As the index titles a story: its origin's headline, else the first member's that has one.
        title = headlines.get(row.origin_id) or next((h for _, h in found if h), None)
        lineage = [edge for member, _ in found for edge in edges.get(member.article_id, ())]
        record = StoryRecord(
            row.id, title, row.first_seen, row.last_seen, row.origin_id, [member for member, _ in found], lineage
        )
        records.append(record)
    return sorted(records, key=lambda r: (r.last_seen or "", len(r.members), r.id), reverse=True)


def _members(connection: Connection, keys: list[int]) -> defaultdict[int, list[tuple[StoryMember, str | None]]]:
    """Each story's members with their headlines, in the order they were stored."""
    found: defaultdict[int, list[tuple[StoryMember, str | None]]] = defaultdict(list)
    copied = articles.alias("copied_article")
    columns: list[Any] = [story_members.c.story, articles.c.id, story_members.c.relation, story_members.c.similarity]
    columns += [articles.c.site, articles.c.published, copied.c.id.label("copy_of"), articles.c.headline]
    for start in range(0, len(keys), 500):
        query = (
            select(*columns)
            .join_from(story_members, articles, articles.c.pk == story_members.c.article)
            .outerjoin(copied, copied.c.pk == story_members.c.copy_of)
            .where(story_members.c.story.in_(keys[start : start + 500]))
            .order_by(story_members.c.article)
        )
        for row in connection.execute(query):
            member = StoryMember(row.id, row.relation, row.similarity, row.site, row.published, row.copy_of)
            found[row.story].append((member, row.headline))
    return found
