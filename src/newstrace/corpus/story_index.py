"""Stories across outlets, built one article at a time: copies by MinHash LSH, the rest by weighted word overlap.

A new article is compared only with the articles an index returns for it (LSH buckets for copies; the
posting lists of its most distinctive words, within a time window, for the same story), so its cost
follows its candidates, not the corpus; a copy joins its original's story without any story being scored.
A story that grows takes a second look at its own members and splits in two when they form two groups much
less alike than each is inside (two claims about one person joined by an article close to both); that look
costs what the story's size does, up to ``split_max_members``, not the corpus.
The seam the store feeds is :class:`StoryDoc`: an id, the cleaned text, and what metadata there is. What the index
keeps between articles lives in an :class:`~newstrace.corpus.index_state.IndexState`: in memory, or in a store's
tables, read back one candidate at a time; either way, adding the same docs in the same order gives the same stories.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from newstrace.corpus._across import fact_keys
from newstrace.corpus._copies import copy_groups
from newstrace.corpus._similarity import cosine, day_number, dot, linked, mean_off_diagonal, with_lede_vectors
from newstrace.corpus._story_records import (
    Assignment,
    StoryDoc,
    StoryMember,
    StoryRecord,
    StorySettings,
    TermStatistics,
    doc_from_article,
)
from newstrace.corpus._text import content_of, content_words, shingles, words
from newstrace.corpus.index_state import IndexEntry, IndexState, MemoryState, StoryState, Term
from newstrace.embed import decoded

if TYPE_CHECKING:
    from datasketch import MinHash

__all__ = [
    "Assignment",
    "StoryDoc",
    "StoryIndex",
    "StoryMember",
    "StoryRecord",
    "StorySettings",
    "TermStatistics",
    "doc_from_article",
    "fact_keys",
]

# Derived caches hold up to about this many members or stories before they are dropped and made again.
_CACHE_BOUND = 4_000


class StoryIndex:
    """Stories kept incrementally: :meth:`add` assigns one article in time proportional to its candidates."""

    def __init__(
        self,
        settings: StorySettings | None = None,
        statistics: TermStatistics | None = None,
        state: IndexState | None = None,
    ) -> None:
        self.settings = settings or (state.settings if state is not None else StorySettings())
        # Statistics may be shared (primed from a store's counts); otherwise each added article counts.
        self._own_statistics = statistics is None
        self._state: IndexState = MemoryState(self.settings, statistics) if state is None else state
        self._changed: set[int] = set()  # stories whose members changed since take_changed()
        # Caches of what the state holds, dropped when another writer changed it (``IndexState.generation``) and
        # when they grow past a bound (they are made again as needed):
        # - a copy group's origin the last time a record was made, kept by the group's first member, and each
        #   story's origin member until the story changes, so a record costs its members once;
        self._group_origins: dict[int, tuple[list[int], int]] = {}
        self._origins: dict[int, int] = {}
        # - the vectors of members of stories that may still split, as arrays over one numbering of terms: a joining
        #   article's similarities to up to ``split_max_members`` members are gathered by numpy, not summed in Python.
        self._term_numbers: dict[Term, int] = {}
        self._arrays: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
        self._dense = np.zeros(1 << 12)  # the joining article's weights by term number; zero again after each use
        self._generation = self._state.generation

    @property
    def statistics(self) -> TermStatistics:
        """The document frequencies of an index held in memory (a store counts its own)."""
        statistics = self._state.statistics
        if not isinstance(statistics, TermStatistics):
            raise TypeError("a store's index keeps its statistics in its tables")
        return statistics

    def __len__(self) -> int:
        return len(self._state)

    def _fresh_caches(self) -> None:
        """Drop the derived caches when the state changed elsewhere or they grew past their bound."""
        big = max(len(self._arrays), len(self._origins), len(self._group_origins)) > _CACHE_BOUND
        if self._state.generation != self._generation or big or len(self._term_numbers) > 8 * _CACHE_BOUND:
            self._group_origins, self._origins, self._arrays, self._term_numbers = {}, {}, {}, {}
            self._generation = self._state.generation

    def _terms(self, doc: StoryDoc, tokens: list[str]) -> tuple[Counter[str], Counter[str]]:
        """The content words of an article's text (its ``tokens``) and of its headline and lede, counted in order."""
        lede_text = " ".join(tokens[: self.settings.lede_words])
        return Counter(content_of(tokens)), Counter(content_words(f"{doc.headline or ''} {lede_text}"))

    def _vector(self, counts: Counter[str]) -> dict[Term, float]:
        power = self.settings.idf_power
        idf, term = self._state.statistics.idf, self._state.term
        vector = {term(t): (1.0 + math.log(c)) * idf(t) ** power for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {t: v / norm for t, v in vector.items()}

    def _in_window(self, day: int | None, other: int | None) -> bool:
        return day is None or other is None or abs(day - other) <= self.settings.window_days

    def add(self, doc: StoryDoc, number: int | None = None) -> Assignment:
        """Assign one article: to the story of a copy of it, else to the best-scoring story, else a new one.

        ``number`` orders it among the added articles (a store gives the article's key); by default, the next."""
        state = self._state
        self._fresh_caches()
        if state.holds(doc.id):
            raise ValueError(f"article {doc.id} is already in the index")
        settings = self.settings
        tokens = words(doc.text)  # split once: the terms, the lede and the copy signature all read them
        terms, lede_terms = self._terms(doc, tokens)
        if self._own_statistics:
            state.statistics.add(terms)
        vector = self._vector(terms)
        lede = self._vector(lede_terms)
        day = day_number(doc.published)
        window_day = day if day is not None else day_number(doc.text_date)
        index = state.next_number(number)
        minhash = state.copies.minhash(tokens)
        lede_vector = decoded(doc.lede_vector)  # none, or malformed: the words alone place the article

        copy_of, copy_similarity, candidates = self._nearest_copy(minhash, window_day)
        query: list[Term] = []
        if copy_of is not None:
            # A copy joins its original's story: no story is scored, and it stays out of the posting lists, where
            # its original already stands for it (so many copies of one page do not crowd other stories out).
            story = state.entry(copy_of).story
            relation = "copy" if copy_similarity >= settings.near_duplicate else "syndicated"
            similarity, opened = copy_similarity, False
        else:
            query = heapq.nlargest(settings.query_terms, vector, key=vector.__getitem__)
            shortlist, scored = self._shortlist(vector, query)
            candidates += scored
            best_story, best_score = max(  # the words' best, unless another language's article reports it better
                self._best_story(vector, lede, window_day, lede_vector, shortlist),
                self._best_across(doc.language, frozenset(doc.facts), window_day),
                key=lambda found: found[1],
            )
            if best_story is not None and best_score >= settings.join_threshold:
                story, relation, similarity, opened = best_story, "same story", best_score, False
            else:
                relation, similarity, opened = "origin", 1.0, True
                story = state.open_story(StoryState([], defaultdict(float), defaultdict(float), np.ones((0, 0))))

        entry = IndexEntry(
            index, doc, vector, lede, day, window_day, story, relation, similarity, copy_of, terms.total(),
            lede_vector, len(doc.lineage),
        )  # fmt: skip
        state.copies.add(index, minhash)
        state.put(entry)
        record = state.story(story)
        self._grow_cosines(record, entry)
        record.members.append(index)
        record.include(entry)
        state.changed(story)
        for term in query:
            state.post(term, index, vector[term])
        state.across.add(index, doc.language, frozenset(doc.facts), window_day)
        self._changed.add(story)
        self._origins.pop(story, None)
        if not opened:
            self._maybe_split(story)
        copy_id = state.entry(copy_of).doc.id if copy_of is not None else None
        story = entry.story
        return Assignment(doc.id, self.story_id(story), relation, round(similarity, 4), opened, candidates, copy_id)

    def _similarity(self, vector: dict[Term, float], lede: dict[Term, float], other: IndexEntry) -> float:
        """Two articles' similarity: their texts' cosine and their ledes' cosine, weighted."""
        weight = self.settings.lede_weight
        return (1.0 - weight) * dot(vector, other.vector) + weight * dot(lede, other.lede)

    def _numbered(self, entry: IndexEntry) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """A member's text and lede vectors as (term numbers, weights) arrays, made once."""
        known = self._arrays.get(entry.number)
        if known is not None:
            return known
        numbers, parts = self._term_numbers, list[np.ndarray]()
        for vector in (entry.vector, entry.lede):
            terms = np.fromiter((numbers.setdefault(t, len(numbers)) for t in vector), np.int32, len(vector))
            parts += [terms, np.fromiter(vector.values(), np.float64, len(vector))]
        arrays = self._arrays[entry.number] = (parts[0], parts[1], parts[2], parts[3])
        return arrays

    def _similarities(self, entry: IndexEntry, members: list[int]) -> np.ndarray:
        """The split check's similarities of one article to members: ``_similarity`` by numpy, with lede vectors."""
        if not members:
            # A story's first article needs no arrays until a second one joins: most stories stay single.
            return np.zeros(0)
        mine = self._numbered(entry)
        others = self._state.entries(members)
        theirs = [self._numbered(other) for other in others]
        if len(self._term_numbers) > len(self._dense):
            self._dense = np.zeros(2 * len(self._term_numbers))
        dense = self._dense
        dots = []
        for part in (0, 2):
            dense[mine[part]] = mine[part + 1]
            dots.append(np.array([dense[arrays[part]] @ arrays[part + 1] for arrays in theirs]))
            dense[mine[part]] = 0.0
        settings = self.settings
        similarities = (1.0 - settings.lede_weight) * dots[0] + settings.lede_weight * dots[1]
        ledes = [other.lede_vector for other in others]
        mixed = with_lede_vectors(similarities, entry.lede_vector, ledes, settings.vector_floor, settings.vector_weight)
        return self._state.across.mixed(entry.number, members, mixed)

    def _grow_cosines(self, record: StoryState, entry: IndexEntry) -> None:
        """Add a joining article's row and column to its story's member similarities, or stop keeping them."""
        if record.cosines is None:
            return
        size = len(record.members)
        if size >= self.settings.split_max_members:
            record.cosines = None
            for m in record.members:
                self._arrays.pop(m, None)
            return
        row = np.append(self._similarities(entry, record.members), 1.0)
        grown = np.empty((size + 1, size + 1))
        grown[:size, :size] = record.cosines
        grown[size, :] = row
        grown[:, size] = row
        record.cosines = grown

    def _copy_groups(self, members: list[int]) -> list[list[int]]:
        """The copy groups of two or more among ``members`` (linked through copy links, both ways)."""
        entries = self._state.entries(members)
        return copy_groups(members, {entry.number: entry.copy_of for entry in entries})

    def _maybe_split(self, story: int) -> None:
        """Split a story in two when its members form two groups much less alike than each is inside.

        Average-link cut of the members into two; copy groups stay whole (each goes where most of it
        went). The split holds when both parts have ``split_min_part`` members and the mean similarity
        across them is below ``split_ratio`` × the lower of the two parts' own mean similarities.
        """
        state = self._state
        record = state.story(story)
        cosines, members = record.cosines, record.members
        minimum = self.settings.split_min_part
        if cosines is None or len(members) < 2 * minimum:
            return
        distances = np.clip(1.0 - cosines, 0.0, None)
        np.fill_diagonal(distances, 0.0)
        from scipy.cluster.hierarchy import fcluster, linkage  # only a story that may split needs scipy
        from scipy.spatial.distance import squareform

        cut = fcluster(linkage(squareform(distances, checks=False), "average"), 2, "maxclust")
        side = {m: int(label) for m, label in zip(members, cut, strict=True)}
        # A copy group goes to the side holding most of it, so a copy never leaves its original's story.
        for group in self._copy_groups(members):
            labels = [side[g] for g in group]
            majority = max(set(labels), key=lambda label: (labels.count(label), -label))
            side.update(dict.fromkeys(group, majority))
        first = np.array([side[m] == side[members[0]] for m in members])
        if min(int(first.sum()), int((~first).sum())) < minimum:
            return
        across = float(cosines[np.ix_(first, ~first)].mean())
        inside = min(mean_off_diagonal(cosines[np.ix_(part, part)]) for part in (first, ~first))
        if across >= self.settings.split_ratio * inside:
            return
        # The part holding the story's first article keeps the story's number; the other opens one (ids are origins').
        moved = [m for m, keep in zip(members, first, strict=True) if not keep]
        split = StoryState(moved, defaultdict(float), defaultdict(float), cosines[np.ix_(~first, ~first)])
        new = state.open_story(split)
        record.members = [m for m, keep in zip(members, first, strict=True) if keep]
        record.cosines = cosines[np.ix_(first, first)]
        record.centroid, record.lede_centroid = defaultdict(float), defaultdict(float)
        for part in (record, split):
            for entry in state.entries(part.members):
                part.include(entry)
        for m in moved:
            state.move(m, new)
        state.changed(story)
        state.changed(new)
        self._changed.add(new)
        self._origins.pop(story, None)

    def _nearest_copy(self, minhash: MinHash, day: int | None) -> tuple[int | None, float, int]:
        """The stored article most like this one at or above the copy threshold, its Jaccard, and the LSH candidates."""
        best, best_jaccard = None, 0.0
        found, agreements = self._state.copies.candidates(minhash)
        if not found:
            return None, 0.0, 0
        for other, jaccard in zip(found, agreements, strict=True):
            close = jaccard >= self.settings.copy_threshold and jaccard > best_jaccard
            if close and self._in_window(day, self._state.entry(other).window_day):
                best, best_jaccard = other, jaccard
        return best, best_jaccard, len(found)

    def _shortlist(self, vector: dict[Term, float], query: list[Term]) -> tuple[list[int], int]:
        """The stored articles best matching the query terms by partial dot product, and how many were scored."""
        partial = self._state.partial_scores(vector, query)
        return heapq.nlargest(self.settings.shortlist, partial, key=partial.__getitem__), len(partial)

    def _best_story(
        self,
        vector: dict[Term, float],
        lede: dict[Term, float],
        day: int | None,
        lede_vector: np.ndarray | None,
        shortlist: list[int],
    ) -> tuple[int | None, float]:
        """The best-scoring story holding a member this article is linked to (``_similarity.linked``), and its score."""
        settings = self.settings
        best_member: dict[int, float] = {}
        with_evidence: set[int] = set()
        alike: Counter[int] = Counter()
        for entry in self._state.entries(shortlist):
            if not self._in_window(day, entry.window_day):
                continue
            similarity = self._similarity(vector, lede, entry)
            story = entry.story
            best_member[story] = max(best_member.get(story, 0.0), similarity)
            alike[story] += similarity >= settings.corroborating_words
            if story not in with_evidence:  # one linked member is enough: no other's ledes need comparing
                ledes = cosine(lede_vector, entry.lede_vector)
                if linked(settings, similarity, day, entry.window_day, ledes):
                    with_evidence.add(story)
        if settings.corroborating:
            with_evidence.update(story for story, count in alike.items() if count >= settings.corroborating)
        best, best_score = None, 0.0
        weight = settings.max_link_weight
        lede_weight = settings.lede_weight
        for story in with_evidence:
            record = self._state.story(story)
            text_mean = dot(vector, record.centroid)
            lede_mean = dot(lede, record.lede_centroid)
            mean = ((1.0 - lede_weight) * text_mean + lede_weight * lede_mean) / len(record.members)
            score = weight * best_member[story] + (1.0 - weight) * mean
            if score > best_score or (score == best_score and best is not None and story < best):
                best, best_score = story, score
        return best, best_score

    def _best_across(self, language: str | None, facts: frozenset[str], day: int | None) -> tuple[int | None, float]:
        """The story of the article in another language this one is most alike in facts, and that likeness."""
        linked = self._state.across.linked(language, facts, day)
        return (self._state.entry(linked[0][0]).story, linked[0][1]) if linked else (None, 0.0)

    def story_id(self, story: int) -> str:
        """A story's id: its origin's article id (it changes when an earlier original of the story arrives)."""
        return self._state.entry(self._origin(story)).doc.id if self._state.story(story).members else ""

    def _origin(self, story: int) -> int:
        """A story's origin: its earliest published member; with none published, the most complete copy of its
        first article (a date the text gives is no ranking: a copy's added dateline would outrank its original)."""
        known = self._origins.get(story)
        if known is not None:
            return known
        members = self._state.story(story).members
        dated = [entry for entry in self._state.entries(members) if entry.day is not None]
        if dated:
            origin = min(dated, key=lambda entry: (entry.day or 0, entry.number)).number
        else:
            first = members[0]
            group = next((group for group in self._copy_groups(members) if first in group), None)
            origin = self._group_origin(group) if group else first
        self._origins[story] = origin
        return origin

    def _group_origin(self, group: list[int]) -> int:
        """A copy group's origin, found once while the group stays the same."""
        known = self._group_origins.get(group[0])
        if known is None or known[0] != group:
            known = (group, self._copy_origin(group))
            self._group_origins[group[0]] = known
        return known[1]

    def number_of(self, article_id: str) -> int:
        """An added article's entry number (its key, in a store)."""
        number = self._state.number(article_id)
        if number is None:
            raise KeyError(article_id)
        return number

    def story_of(self, article_id: str) -> str:
        """The id of the story an article is in."""
        return self.story_id(self._state.entry(self.number_of(article_id)).story)

    def stories(self) -> list[StoryRecord]:
        """Every story, newest last-seen first."""
        state = self._state
        records = [self._record(i) for i in state.story_numbers() if state.story(i).members]
        return sorted(records, key=lambda r: (r.last_seen or "", len(r.members)), reverse=True)

    def story(self, story_id: str) -> StoryRecord:
        """One story by the id of any of its articles (its id is its origin's)."""
        return self._record(self._state.entry(self.number_of(story_id)).story)

    def labels(self) -> dict[str, str]:
        """Article id -> story id, for every article added."""
        return {entry.doc.id: self.story_id(entry.story) for entry in self._state.all_entries()}

    def _copy_origin(self, group: list[int]) -> int:
        """The origin of a copy group: earliest published, else the most complete member."""
        if len(group) == 1:
            return group[0]
        entries = self._state.entries(group)
        dated = [entry for entry in entries if entry.day is not None]
        if dated:
            return min(dated, key=lambda entry: (entry.day or 0, entry.number)).number
        # Most complete: the most text shared with the rest of the group (a trimmed copy shares less; what a
        # copy adds, a dateline left in or a title line, is shared with few). Within 2% of the most, the least
        # furniture removed by the cleaner wins (copies gain datelines and footers), then no stated credit,
        # the longest, the first seen.
        sets = {m: shingles(self._state.text(m), self.settings.shingle_size) for m in group}
        # A shingle is shared with the rest when another member has it too: counted once over the group, not
        # once per pair, so a large group costs its text, not its text times its size.
        counts = Counter(shingle for found in sets.values() for shingle in found)
        shared = {m: sum(counts[shingle] > 1 for shingle in sets[m]) for m in group}
        most = max(shared.values())
        complete = [entry for entry in entries if shared[entry.number] >= 0.98 * most]
        best = min(complete, key=lambda e: (e.doc.removed, e.stated, -e.length, e.number))
        return best.number

    def _record(self, story: int) -> StoryRecord:
        state = self._state
        members = state.story(story).members
        entries = state.entries(members)
        # Each copy group and its origin found once for the story, not once per member.
        group_origin: dict[int, int] = {}
        for group in self._copy_groups(members):
            group_origin.update(dict.fromkeys(group, self._group_origin(group)))
        origin = self._origin(story)
        origin_entry = state.entry(origin)
        rows = []
        for entry in entries:
            m = entry.number
            relation, copy_of = "same story", None
            if m == origin:
                relation = "origin"
            elif m in group_origin and group_origin[m] != m:
                relation = state.copies.relation(m, group_origin[m])
                copy_of = state.entry(group_origin[m]).doc.id
            doc = entry.doc
            similarity = entry.similarity
            if entry.relation == "origin" and m != origin:
                # It opened the story (similarity 1.0 to itself) before its origin came: its similarity to the origin.
                across = state.across.between(m, origin)  # in another language: their facts, not their words
                words = self._similarity(entry.vector, entry.lede, origin_entry) if across is None else across
                similarity = round(words, 4)
            rows.append(StoryMember(doc.id, relation, similarity, doc.site, doc.published, copy_of))
        origin_doc = origin_entry.doc
        title = origin_doc.headline or next((e.doc.headline for e in entries if e.doc.headline), None)
        lineage = [edge for e in entries for edge in e.doc.lineage]
        # First seen is the origin's date; last seen the latest member's (published, else the date its text gives).
        dates = [date for e in entries if (date := e.doc.published or e.doc.text_date)]
        first_seen = origin_doc.published or origin_doc.text_date or (min(dates) if dates else None)
        return StoryRecord(
            origin_doc.id, title, first_seen, max(dates) if dates else None, origin_doc.id, rows, lineage
        )

    def take_changed(self) -> list[StoryRecord]:
        """The stories that gained, lost or split members since the last call (what a store must rewrite)."""
        changed = sorted(self._changed)
        self._changed.clear()
        return [self._record(story) for story in changed if self._state.story(story).members]

    @classmethod
    def rebuild(cls, docs: Iterable[StoryDoc], settings: StorySettings | None = None) -> StoryIndex:
        """The index as it was after adding these articles in this order, with no story left to report as changed."""
        index = cls(settings)
        index.replay(docs)
        return index

    def replay(self, docs: Iterable[StoryDoc | tuple[int, StoryDoc]]) -> None:
        """Add articles already assigned and stored (by this process or another writer), reporting no change;
        each a doc, or (number, doc) where the state numbers entries by the store's keys."""
        for item in docs:
            if isinstance(item, tuple):
                self.add(item[1], item[0])
            else:
                self.add(item)
        # What the adds changed was reported (and stored) when the articles were first added.
        self._changed.clear()
