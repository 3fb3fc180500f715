"""A speaker's statements across articles, ordered by the date said, each statement once with its outlets.

A pure function over statement records (the store's statements table, or Articles through
:func:`statements_from_article`), one per statement: the content pieces that share a cue are one, as
``newstrace.present.statements`` reads them. Contradictions are flagged precision first: only where one statement
denies what another of the same speaker asserts in nearly the same words.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TypeVar

from newstrace.corpus._text import content_words, name_key, shingles
from newstrace.corpus.identity import CorpusEntity
from newstrace.model import Article, Span, cue_groups

__all__ = [
    "Carrier",
    "Contradiction",
    "StatementRecord",
    "Timeline",
    "TimelineEntry",
    "date_order",
    "speaker_matches",
    "statements_from_article",
    "timeline",
]

SAME_STATEMENT = 0.6  # word 3-gram Jaccard at or above which two articles carry one statement
CARRY_DAYS = 7  # a later outlet dates a statement by its own publication: so far apart, it is still one statement
SAME_TOPIC = 0.6  # content-word Jaccard, negations aside, for two statements to be on one point
_NEGATIONS = frozenset({"not", "no", "never", "n't", "none", "nothing", "neither", "nor", "cannot"})
_DENYING_WORDS = frozenset({"deny", "denies", "denied", "incorrect", "false", "untrue", "dismissed", "rejected"})
_DENYING_CUES = frozenset({"deny", "dismiss", "reject", "refute", "rule out"})

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class StatementRecord:
    """One statement as the store (or an Article) hands it over: who, what (with its spans), when, where.

    ``content`` is the first content piece (its span, for provenance); ``pieces`` every piece, where its cue splits
    the content ("…, Cook said, …"): left empty, the content is the one piece.
    """

    article_id: str
    speaker: str
    content: Span
    date: str | None
    kind: str = "indirect"
    cue_lemma: str | None = None
    site: str | None = None
    published: str | None = None
    speaker_entity_id: str | None = None  # the article's entity id, for corpus identities
    date_source: str | None = None  # "cue": the text dates the statement; "reference": the article's date
    pieces: tuple[Span, ...] = ()
    confidence: float = 0.0  # the speaker confidence of the statement's first piece, as `quotes` filters by it
    language: str | None = None  # the article's language: one speaker's timeline holds what he said in each

    def __post_init__(self) -> None:
        if not self.pieces:
            object.__setattr__(self, "pieces", (self.content,))

    @property
    def text(self) -> str:
        """The content pieces' texts joined by " … ", as a reader takes the statement."""
        return " … ".join(piece.text for piece in self.pieces)


@dataclass(frozen=True, slots=True)
class Carrier:
    """An article that carries a statement, with the span it was read from."""

    article_id: str
    site: str | None
    published: str | None
    content: Span


@dataclass(slots=True)
class TimelineEntry:
    """One statement on the timeline and every article that carries it."""

    date: str | None
    speaker: str
    content: str
    kind: str
    cue_lemma: str | None
    carriers: list[Carrier] = field(default_factory=list)
    confidence: float = 0.0  # the highest speaker confidence among the records carrying it
    language: str | None = None  # the language of the article it was first read in ("ru", "en")

    @property
    def outlets(self) -> list[str]:
        """The sites carrying the statement, in the order seen (an unknown site named by its article)."""
        names: list[str] = []
        for carrier in self.carriers:
            name = carrier.site or carrier.article_id
            if name not in names:
                names.append(name)
        return names


@dataclass(frozen=True, slots=True)
class Contradiction:
    """Two statements of one speaker on one point, one denying what the other asserts."""

    first: TimelineEntry
    second: TimelineEntry
    reason: str
    shared: tuple[str, ...] = ()  # the content words both hold, negations aside: the point they are on
    denying: int = 0  # which of the two denies: 0 the first, 1 the second


@dataclass(slots=True)
class Timeline:
    """A speaker's statements in date order, with flagged contradictions."""

    speaker: str
    entries: list[TimelineEntry] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)


def statements_from_article(article: Article) -> list[StatementRecord]:
    """The article's statements that have a named speaker (the quotes sharing a cue are one, the first speaking)."""
    records = []
    for group in cue_groups(article.quotes, lambda q: (q.cue.start, q.cue.end) if q.cue else None):
        quote = group[0]
        speaker = quote.speaker
        if speaker is None or not speaker.name:
            continue
        said = quote.date or article.reference_date
        record = StatementRecord(article.id, speaker.name, quote.content, said, quote.kind, quote.cue_lemma)
        records.append(dataclasses.replace(record, site=article.site, published=article.published,
                                           speaker_entity_id=speaker.entity_id, date_source=quote.date_source,
                                           pieces=tuple(q.content for q in group),
                                           confidence=quote.confidence, language=article.language))  # fmt: skip
    return records


def speaker_matches(query: str, name: str) -> bool:
    """Whether every word of the query is a word of the name, up to spelling: "Galuzin" ~ "Mikhail Galuzin"."""
    wanted = _word_keys(query) - {""}
    return bool(wanted) and wanted <= _word_keys(name)


# A speaker page weighs its name against every stored speaker's and every identity's spellings: keying each word
# again on every request was nine tenths of the page's time. The keys of a spelling never change; the cache is
# bounded, and a spelling past it is keyed again as before.
@lru_cache(maxsize=1 << 16)
def _word_keys(name: str) -> frozenset[str]:
    """The spelling keys (``name_key``) of the words of a name."""
    return frozenset(name_key(word) for word in name.split())


def timeline(
    statements: Iterable[StatementRecord],
    speaker: str,
    since: str | None = None,
    until: str | None = None,
    identities: Iterable[CorpusEntity] = (),
    min_confidence: float = 0.0,
) -> Timeline:
    """The speaker's statements from ``since`` to ``until`` (ISO dates, inclusive), one entry per statement; those whose
    speaker confidence is below ``min_confidence`` are left out, as ``quotes --min-confidence`` leaves them out."""
    members = _identity_members(speaker, identities)
    chosen = [
        record
        for record in statements
        if (f"{record.article_id}/{record.speaker_entity_id}" in members if members else False)
        or speaker_matches(speaker, record.speaker)
    ]
    chosen = [
        r
        for r in chosen
        if (since is None or (r.date or "") >= since) and (until is None or (r.date or "9999")[: len(until)] <= until)
        if r.confidence >= min_confidence
    ]
    chosen.sort(key=lambda r: (date_order(r.date), r.published or "9999", r.article_id, r.content.start))
    entries: list[TimelineEntry] = []
    signatures: list[set[str]] = []
    entry_dated_by_text: dict[int, bool] = {}
    # Entries by the day they were first dated: a statement is compared with those within 2 × CARRY_DAYS of its own
    # day (an entry's date moves at most CARRY_DAYS, once), not with every earlier entry of a prolific speaker.
    by_day: dict[int | None, list[int]] = {}
    for record in chosen:
        signature = shingles(record.text)
        carrier = Carrier(record.article_id, record.site, record.published, record.content)
        day = _ordinal(record.date)
        window = [None] if day is None else range(day - 2 * CARRY_DAYS, day + 2 * CARRY_DAYS + 1)
        candidates = sorted(index for key in window for index in by_day.get(key, ()))
        for entry, seen in ((entries[index], signatures[index]) for index in candidates):
            if _near(entry.date, record.date) and _jaccard(signature, seen) >= SAME_STATEMENT:
                if all(c.article_id != record.article_id for c in entry.carriers):
                    entry.carriers.append(carrier)
                entry.confidence = max(entry.confidence, record.confidence)
                # The text's own date for the statement beats an outlet's publication date.
                if record.date_source == "cue" and not entry_dated_by_text[id(entry)]:
                    entry.date, entry_dated_by_text[id(entry)] = record.date, True
                break
        else:
            text = record.text
            said = (record.date, record.speaker, text, record.kind, record.cue_lemma)
            entry = TimelineEntry(*said, [carrier], record.confidence, record.language)
            by_day.setdefault(day, []).append(len(entries))
            entries.append(entry)
            entry_dated_by_text[id(entry)] = record.date_source == "cue"
            signatures.append(signature)
    entries.sort(key=lambda e: date_order(e.date))  # stable: same-day statements keep their order
    return Timeline(speaker, entries, _contradictions(entries))


_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?")
_PART = re.compile(r"^(\d{4})-(Q[1-4]|H[12]|SP|SU|FA|AU|WI)\b")
_PART_MONTH = {"Q1": 1, "Q2": 4, "Q3": 7, "Q4": 10, "H1": 1, "H2": 7, "SP": 3, "SU": 6, "FA": 9, "AU": 9, "WI": 12}


def date_order(value: str | None) -> str:
    """A statement date's place in time order: an ISO week ("2019-W46", its weekend "-WE") at its Monday (Saturday),
    a quarter, half or season at its first month, so "2019-W46" comes before "2019-11-19" (as text it came after);
    undated last."""
    if not value:
        return "9999"
    week = _WEEK.match(value)
    if week:
        try:
            day = date.fromisocalendar(int(week[1]), int(week[2]), 6 if week[3] else 1)
        except ValueError:
            return value
        return day.isoformat() + value[week.end() :]
    part = _PART.match(value)
    if part:
        return f"{part[1]}-{_PART_MONTH[part[2]]:02}" + value[part.end() :]
    return value


def _ordinal(value: str | None) -> int | None:
    """The day of an ISO date (its first ten characters) as an ordinal; None when undated or unreadable."""
    try:
        return date.fromisoformat(value[:10]).toordinal() if value else None
    except ValueError:
        return None


def _near(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a == b
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days) <= CARRY_DAYS
    except ValueError:
        return a == b


def _identity_members(speaker: str, identities: Iterable[CorpusEntity]) -> set[str]:
    members: set[str] = set()
    for entity in identities:
        if entity.label == "PERSON" and any(speaker_matches(speaker, n) for n in [entity.name, *entity.aliases]):
            members.update(entity.member_ids)
    return members


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _denies(entry: TimelineEntry) -> bool:
    words = set(content_words(entry.content)) | {w for w in entry.content.casefold().split() if w in _NEGATIONS}
    return bool(words & (_NEGATIONS | _DENYING_WORDS)) or (entry.cue_lemma or "") in _DENYING_CUES


def _point(entry: TimelineEntry) -> set[str]:
    return {w for w in content_words(entry.content) if w not in _DENYING_WORDS and w not in _NEGATIONS}


def _contradictions(entries: list[TimelineEntry]) -> list[Contradiction]:
    """Pairs of entries, in entry order, where one denies what the other asserts on the same point.

    Each entry's words are read once, and a pair is weighed only when the two share three words or more (found
    through an index of the entries holding each word): comparing every pair took minutes for a speaker of thousands.
    """
    points = [_point(entry) for entry in entries]
    denials = [_denies(entry) for entry in entries]
    holders: dict[str, list[int]] = {}
    for index, point in enumerate(points):
        for word in point:
            holders.setdefault(word, []).append(index)
    found = []
    for i, first in enumerate(entries):
        sharing = Counter(j for word in points[i] for j in holders[word] if j > i and denials[j] != denials[i])
        for j in sorted(j for j, count in sharing.items() if count >= 3):
            second = entries[j]
            shared = points[i] & points[j]
            union = points[i] | points[j]
            if len(shared) / len(union) >= SAME_TOPIC:
                denial, claim = (first, second) if denials[i] else (second, first)
                reason = (
                    f"{denial.content!r} denies what {claim.content!r} asserts "
                    f"(shared words: {', '.join(sorted(shared))})"
                )
                found.append(Contradiction(first, second, reason, tuple(sorted(shared)), 0 if denials[i] else 1))
    return found
