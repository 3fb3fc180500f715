"""Stories across outlets, built one article at a time: copies by MinHash LSH, the rest by weighted word overlap.

A new article is compared only with the articles an index returns for it (LSH buckets for copies; the
posting lists of its most distinctive words, within a time window, for the same story), so its cost
follows its candidates, not the corpus; a copy joins its original's story without any story being scored.
A story that grows takes a second look at its own members and splits in two when they form two groups much
less alike than each is inside (two claims about one person joined by an article close to both); that look
costs what the story's size does, up to ``split_max_members``, not the corpus.
The seam the store feeds is :class:`StoryDoc`: an id, the cleaned text, and what metadata there is. The index
keeps no state a store must save: adding the same docs in the same order (:meth:`StoryIndex.rebuild`) gives it back.
"""

from __future__ import annotations

import heapq
import math
import sys
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from newstrace.corpus._across import AcrossLanguages, fact_keys
from newstrace.corpus._copies import CopyFinder, copy_groups
from newstrace.corpus._similarity import cosine, day_number, dot, linked, mean_off_diagonal, with_lede_vectors
from newstrace.corpus._story_records import (
    Assignment,
    Relation,
    StoryDoc,
    StoryMember,
    StoryRecord,
    StorySettings,
    TermStatistics,
    doc_from_article,
)
from newstrace.corpus._text import content_of, content_words, shingles, words
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


@dataclass(slots=True)
class _Entry:
    doc: StoryDoc
    vector: dict[str, float]
    lede: dict[str, float]
    day: int | None  # the published day: what makes a member the origin
    window_day: int | None  # the published day, else the day the text gives: what places it in time
    story: int
    relation: Relation
    similarity: float
    copy_of: int | None  # the entry this one copies (its nearest copy when it joined)
    length: int
    lede_vector: np.ndarray | None  # signed bytes; None where the article has none (another language, older rows)


@dataclass(slots=True)
class _Story:
    members: list[int]
    centroid: defaultdict[str, float]  # the sum of member vectors: mean cosine = q · centroid / size
    lede_centroid: defaultdict[str, float]  # the same for the members' lede vectors
    # Similarities between members, in member order, kept while the story may still split (None after).
    cosines: np.ndarray | None = None

    def include(self, entry: _Entry) -> None:
        """Add a member's vectors to the story's sums."""
        for term, weight in entry.vector.items():
            self.centroid[term] += weight
        for term, weight in entry.lede.items():
            self.lede_centroid[term] += weight


class StoryIndex:
    """Stories kept incrementally: :meth:`add` assigns one article in time proportional to its candidates."""

    def __init__(self, settings: StorySettings | None = None, statistics: TermStatistics | None = None) -> None:
        self.settings = settings or StorySettings()
        # Statistics may be shared (primed from a store's counts); otherwise each added article counts.
        self._own_statistics = statistics is None
        self.statistics = statistics or TermStatistics()
        self._entries: list[_Entry] = []
        self._by_id: dict[str, int] = {}
        self._stories: list[_Story] = []
        self._merged_into: dict[int, int] = {}
        self._postings: defaultdict[str, deque[int]] = defaultdict(lambda: deque(maxlen=self.settings.posting_limit))
        self._copies = CopyFinder(self.settings)
        # Facts that link articles of different languages (their words cannot).
        self._across = AcrossLanguages(
            self.settings.across_days, self.settings.across_similarity, self.settings.posting_limit
        )
        self._changed: set[int] = set()  # stories whose members changed since take_changed()
        # A story's record is made again each time it changes: what a copy group's origin was the last time, kept by
        # the group's first member (a copy's relation to it is kept by the CopyFinder), so a record costs its members
        # once.
        self._group_origins: dict[int, tuple[list[int], int]] = {}
        self._origins: dict[int, int] = {}  # each story's origin member, until the story changes
        # The vectors of members of stories that may still split, as arrays over one numbering of terms: a joining
        # article's similarities to up to ``split_max_members`` members are gathered by numpy, not summed in Python.
        self._term_numbers: dict[str, int] = {}
        self._arrays: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
        self._dense = np.zeros(1 << 12)  # the joining article's weights by term number; zero again after each use

    def __len__(self) -> int:
        return len(self._entries)

    def _terms(self, doc: StoryDoc, tokens: list[str]) -> tuple[Counter[str], Counter[str]]:
        """The content words of an article's text (its ``tokens``) and of its headline and lede, counted in order."""
        lede_text = " ".join(tokens[: self.settings.lede_words])
        return Counter(content_of(tokens)), Counter(content_words(f"{doc.headline or ''} {lede_text}"))

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        power = self.settings.idf_power
        # Interned, every article's vector shares one string per term: the index holds a vector per stored article.
        vector = {sys.intern(t): (1.0 + math.log(c)) * self.statistics.idf(t) ** power for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {t: v / norm for t, v in vector.items()}

    def _in_window(self, day: int | None, other: int | None) -> bool:
        return day is None or other is None or abs(day - other) <= self.settings.window_days

    def add(self, doc: StoryDoc) -> Assignment:
        """Assign one article: to the story of a copy of it, else to the best-scoring story, else a new one."""
        if doc.id in self._by_id:
            raise ValueError(f"article {doc.id} is already in the index")
        settings = self.settings
        tokens = words(doc.text)  # split once: the terms, the lede and the copy signature all read them
        terms, lede_terms = self._terms(doc, tokens)
        if self._own_statistics:
            self.statistics.add(terms)
        vector = self._vector(terms)
        lede = self._vector(lede_terms)
        day = day_number(doc.published)
        window_day = day if day is not None else day_number(doc.text_date)
        index = len(self._entries)
        minhash = self._copies.minhash(tokens)
        lede_vector = decoded(doc.lede_vector)  # none, or malformed: the words alone place the article

        copy_of, copy_similarity, candidates = self._nearest_copy(minhash, window_day)
        query: list[str] = []
        if copy_of is not None:
            # A copy joins its original's story: no story is scored, and it stays out of the posting lists, where
            # its original already stands for it (so many copies of one page do not crowd other stories out).
            story = self._root(self._entries[copy_of].story)
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
                story, relation, similarity, opened = len(self._stories), "origin", 1.0, True
                self._stories.append(_Story([], defaultdict(float), defaultdict(float), np.ones((0, 0))))

        entry = _Entry(
            doc, vector, lede, day, window_day, story, relation, similarity, copy_of, terms.total(), lede_vector
        )
        self._entries.append(entry)
        self._by_id[doc.id] = index
        record = self._stories[story]
        self._grow_cosines(record, entry)
        record.members.append(index)
        record.include(entry)
        for term in query:
            self._postings[term].append(index)
        self._copies.add(index, minhash)
        self._across.add(index, doc.language, frozenset(doc.facts), window_day)
        self._changed.add(story)
        self._origins.pop(story, None)
        if not opened:
            self._maybe_split(story)
        copy_id = self._entries[copy_of].doc.id if copy_of is not None else None
        story = self._root(self._entries[index].story)
        return Assignment(doc.id, self.story_id(story), relation, round(similarity, 4), opened, candidates, copy_id)

    def _similarity(self, vector: dict[str, float], lede: dict[str, float], other: _Entry) -> float:
        """Two articles' similarity: their texts' cosine and their ledes' cosine, weighted."""
        weight = self.settings.lede_weight
        return (1.0 - weight) * dot(vector, other.vector) + weight * dot(lede, other.lede)

    def _numbered(self, member: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """A member's text and lede vectors as (term numbers, weights) arrays, made once."""
        known = self._arrays.get(member)
        if known is not None:
            return known
        numbers, parts = self._term_numbers, list[np.ndarray]()
        entry = self._entries[member]
        for vector in (entry.vector, entry.lede):
            terms = np.fromiter((numbers.setdefault(t, len(numbers)) for t in vector), np.int32, len(vector))
            parts += [terms, np.fromiter(vector.values(), np.float64, len(vector))]
        arrays = self._arrays[member] = (parts[0], parts[1], parts[2], parts[3])
        return arrays

    def _similarities(self, entry: _Entry, members: list[int]) -> np.ndarray:
        """The split check's similarities of one article to members: ``_similarity`` by numpy, with lede vectors."""
        if not members:
            # A story's first article needs no arrays until a second one joins: most stories stay single.
            return np.zeros(0)
        index = self._by_id[entry.doc.id]
        mine = self._numbered(index)
        theirs = [self._numbered(m) for m in members]
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
        ledes = [self._entries[m].lede_vector for m in members]
        mixed = with_lede_vectors(similarities, entry.lede_vector, ledes, settings.vector_floor, settings.vector_weight)
        return self._across.mixed(index, members, mixed)

    def _grow_cosines(self, record: _Story, entry: _Entry) -> None:
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
        return copy_groups(members, {m: self._entries[m].copy_of for m in members})

    def _maybe_split(self, story: int) -> None:
        """Split a story in two when its members form two groups much less alike than each is inside.

        Average-link cut of the members into two; copy groups stay whole (each goes where most of it
        went). The split holds when both parts have ``split_min_part`` members and the mean similarity
        across them is below ``split_ratio`` × the lower of the two parts' own mean similarities.
        """
        record = self._stories[story]
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
        new = len(self._stories)
        self._stories.append(_Story(moved, defaultdict(float), defaultdict(float), cosines[np.ix_(~first, ~first)]))
        record.members = [m for m, keep in zip(members, first, strict=True) if keep]
        record.cosines = cosines[np.ix_(first, first)]
        record.centroid, record.lede_centroid = defaultdict(float), defaultdict(float)
        for part in (record, self._stories[new]):
            for m in part.members:
                part.include(self._entries[m])
        for m in moved:
            self._entries[m].story = new
        self._changed.add(new)
        self._origins.pop(story, None)

    def _nearest_copy(self, minhash: MinHash, day: int | None) -> tuple[int | None, float, int]:
        """The stored article most like this one at or above the copy threshold, its Jaccard, and the LSH candidates."""
        best, best_jaccard = None, 0.0
        found, agreements = self._copies.candidates(minhash)
        if not found:
            return None, 0.0, 0
        for other, jaccard in zip(found, agreements, strict=True):
            close = jaccard >= self.settings.copy_threshold and jaccard > best_jaccard
            if close and self._in_window(day, self._entries[other].window_day):
                best, best_jaccard = other, jaccard
        return best, best_jaccard, len(found)

    def _shortlist(self, vector: dict[str, float], query: list[str]) -> tuple[list[int], int]:
        """The stored articles best matching the query terms by partial dot product, and how many were scored."""
        partial: defaultdict[int, float] = defaultdict(float)
        for term in query:
            weight = vector[term]
            for other in self._postings.get(term, ()):
                partial[other] += weight * self._entries[other].vector.get(term, 0.0)
        return heapq.nlargest(self.settings.shortlist, partial, key=partial.__getitem__), len(partial)

    def _best_story(
        self,
        vector: dict[str, float],
        lede: dict[str, float],
        day: int | None,
        lede_vector: np.ndarray | None,
        shortlist: list[int],
    ) -> tuple[int | None, float]:
        """The best-scoring story holding a member this article is linked to (``_similarity.linked``), and its score."""
        settings = self.settings
        best_member: dict[int, float] = {}
        with_evidence: set[int] = set()
        alike: Counter[int] = Counter()
        for other in shortlist:
            entry = self._entries[other]
            if not self._in_window(day, entry.window_day):
                continue
            similarity = self._similarity(vector, lede, entry)
            story = self._root(entry.story)
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
            record = self._stories[story]
            text_mean = dot(vector, record.centroid)
            lede_mean = dot(lede, record.lede_centroid)
            mean = ((1.0 - lede_weight) * text_mean + lede_weight * lede_mean) / len(record.members)
            score = weight * best_member[story] + (1.0 - weight) * mean
            if score > best_score or (score == best_score and best is not None and story < best):
                best, best_score = story, score
        return best, best_score

    def _best_across(self, language: str | None, facts: frozenset[str], day: int | None) -> tuple[int | None, float]:
        """The story of the article in another language this one is most alike in facts, and that likeness."""
        linked = self._across.linked(language, facts, day)
        return (self._root(self._entries[linked[0][0]].story), linked[0][1]) if linked else (None, 0.0)

    def _root(self, story: int) -> int:
        while story in self._merged_into:
            story = self._merged_into[story]
        return story

    def story_id(self, story: int) -> str:
        """A story's id: its origin's article id (it changes when an earlier original of the story arrives)."""
        return self._entries[self._origin(story)].doc.id if self._stories[story].members else ""

    def _origin(self, story: int) -> int:
        """A story's origin: its earliest published member; with none published, the most complete copy of its
        first article (a date the text gives is no ranking: a copy's added dateline would outrank its original)."""
        known = self._origins.get(story)
        if known is not None:
            return known
        members = self._stories[story].members
        entries = self._entries
        dated = [m for m in members if entries[m].day is not None]
        if dated:
            origin = min(dated, key=lambda m: (entries[m].day or 0, m))
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

    def story_of(self, article_id: str) -> str:
        """The id of the story an article is in."""
        return self.story_id(self._root(self._entries[self._by_id[article_id]].story))

    def stories(self) -> list[StoryRecord]:
        """Every story, newest last-seen first."""
        records = [self._record(i) for i, story in enumerate(self._stories) if story.members]
        return sorted(records, key=lambda r: (r.last_seen or "", len(r.members)), reverse=True)

    def story(self, story_id: str) -> StoryRecord:
        """One story by the id of any of its articles (its id is its origin's)."""
        if story_id not in self._by_id:
            raise KeyError(story_id)
        return self._record(self._root(self._entries[self._by_id[story_id]].story))

    def labels(self) -> dict[str, str]:
        """Article id -> story id, for every article added."""
        return {entry.doc.id: self.story_id(self._root(entry.story)) for entry in self._entries}

    def _copy_origin(self, group: list[int]) -> int:
        """The origin of a copy group: earliest published, else the most complete member."""
        if len(group) == 1:
            return group[0]
        entries = self._entries
        dated = [m for m in group if entries[m].day is not None]
        if dated:
            return min(dated, key=lambda m: (entries[m].day or 0, m))
        # Most complete: the most text shared with the rest of the group (a trimmed copy shares less; what a
        # copy adds, a dateline left in or a title line, is shared with few). Within 2% of the most, the least
        # furniture removed by the cleaner wins (copies gain datelines and footers), then no stated credit,
        # the longest, the first seen.
        sets = {m: shingles(entries[m].doc.text, self.settings.shingle_size) for m in group}
        # A shingle is shared with the rest when another member has it too: counted once over the group, not
        # once per pair, so a large group costs its text, not its text times its size.
        counts = Counter(shingle for found in sets.values() for shingle in found)
        shared = {m: sum(counts[shingle] > 1 for shingle in sets[m]) for m in group}
        most = max(shared.values())
        complete = [m for m in group if shared[m] >= 0.98 * most]
        return min(complete, key=lambda m: (entries[m].doc.removed, len(entries[m].doc.lineage), -entries[m].length, m))

    def _record(self, story: int) -> StoryRecord:
        members = self._stories[story].members
        entries = [self._entries[m] for m in members]
        # Each copy group and its origin found once for the story, not once per member.
        group_origin: dict[int, int] = {}
        for group in self._copy_groups(members):
            group_origin.update(dict.fromkeys(group, self._group_origin(group)))
        origin = self._origin(story)
        rows = []
        for m in members:
            entry = self._entries[m]
            relation, copy_of = "same story", None
            if m == origin:
                relation = "origin"
            elif m in group_origin and group_origin[m] != m:
                relation = self._copies.relation(m, group_origin[m])
                copy_of = self._entries[group_origin[m]].doc.id
            doc = entry.doc
            similarity = entry.similarity
            if entry.relation == "origin" and m != origin:
                # It opened the story (similarity 1.0 to itself) before its origin came: its similarity to the origin.
                across = self._across.between(m, origin)  # in another language: their facts, not their words
                words = self._similarity(entry.vector, entry.lede, self._entries[origin]) if across is None else across
                similarity = round(words, 4)
            rows.append(StoryMember(doc.id, relation, similarity, doc.site, doc.published, copy_of))
        origin_doc = self._entries[origin].doc
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
        changed = sorted(self._root(story) for story in self._changed)
        self._changed.clear()
        return [self._record(story) for story in dict.fromkeys(changed) if self._stories[story].members]

    @classmethod
    def rebuild(cls, docs: Iterable[StoryDoc], settings: StorySettings | None = None) -> StoryIndex:
        """The index as it was after adding these articles in this order, with no story left to report as changed."""
        index = cls(settings)
        index.replay(docs)
        return index

    def replay(self, docs: Iterable[StoryDoc]) -> None:
        """Add articles already assigned and stored (by this process or another writer), reporting no change."""
        for doc in docs:
            self.add(doc)
        # What the adds changed was reported (and stored) when the articles were first added.
        self._changed.clear()
