"""The one data model every stage reads and writes, with a versioned JSON form."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import types
import typing
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from anyascii import anyascii

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "Document",
    "Entity",
    "EvidenceSentence",
    "Failure",
    "HeadlineCheck",
    "HeadlineClaim",
    "Mention",
    "Quantity",
    "Quote",
    "RemovedSpan",
    "SourceSegment",
    "Span",
    "Speaker",
    "Statement",
    "TimeExpr",
    "content_hash",
    "cue_groups",
    "from_dict",
    "name_slug",
    "statements_of",
    "to_dict",
    "transliterate",
]

SCHEMA_VERSION = 1

MediaType = Literal["text/html", "text/plain"]
ReferenceDateSource = Literal["metadata", "text", "ingest"]


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``start:end`` of an article's cleaned text, with the text found there."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class RemovedSpan:
    """Characters ``start:end`` of the raw input left out of the cleaned text, and why."""

    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class SourceSegment:
    """Cleaned text ``start:end`` came from raw input ``raw_start:raw_end``.

    ``exact`` segments are character-for-character copies; inexact ones (HTML, where
    tags and entities sit between the characters) locate the passage, not each character.
    """

    start: int
    end: int
    raw_start: int
    raw_end: int
    exact: bool


@dataclass(slots=True)
class Document:
    """One raw input as ingest found it: decoded text plus what the container said of it."""

    source: str
    raw: str
    media_type: MediaType
    source_hash: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    captured: str | None = None
    encoding: str = "utf-8"
    # What decoding changed (bytes shown as U+FFFD, characters no store can hold taken out), one line each.
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Failure:
    """An input or article that could not be processed: where, at which stage, and why."""

    source: str
    stage: str
    reason: str
    source_hash: str | None = None


# Facts that later stages add. Each carries the span(s) it was read from.


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention in the cleaned text."""

    text: str
    label: str
    start: int
    end: int
    entity_id: str | None = None
    stands_for: str | None = None  # a capital acting for its government: "Minsk has accused" -> "Belarus (government)"


@dataclass(slots=True)
class Entity:
    """One real-world referent of an article, gathering its mentions."""

    id: str
    name: str
    label: str
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    affiliation: str | None = None
    stands_for: str | None = None


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who made a statement: the mention as written and the entity it resolves to."""

    mention: Span | None
    entity_id: str | None
    name: str | None
    rule: str | None = None  # the resolution step that chose the speaker: "named", "pronoun", "description", ...


@dataclass(slots=True)
class Quote:
    """A quotation or reported statement with its speaker, cue, channel and date."""

    kind: str
    content: Span
    cue: Span | None
    cue_lemma: str | None
    speaker: Speaker | None
    channel: str | None = None
    date: str | None = None
    date_source: str | None = None  # "cue": a time expression governing the cue; "reference": the article's date
    confidence: float = 0.0


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement as a reader takes it: the quotes whose contents share one cue, in the text's order.

    PolNeAR splits "The patrol is said to involve 40 vessels" into "The patrol" and "to involve 40 vessels"; a reader
    takes them as one statement, and so does every count and listing of statements.
    """

    quotes: tuple[Quote, ...]

    @property
    def quote(self) -> Quote:
        """The first quote: its speaker, cue, kind, channel and date are the statement's."""
        return self.quotes[0]

    @property
    def pieces(self) -> list[Span]:
        """The content pieces, in order."""
        return [quote.content for quote in self.quotes]

    @property
    def text(self) -> str:
        """The content pieces' texts joined by " … "."""
        return " … ".join(quote.content.text for quote in self.quotes)


CueItem = TypeVar("CueItem")


def cue_groups(items: Iterable[CueItem], cue: Callable[[CueItem], Hashable | None]) -> list[list[CueItem]]:
    """The items as statements, in order: an item whose cue an earlier item has is a further piece of that one."""
    grouped: list[list[CueItem]] = []
    by_cue: dict[Hashable, list[CueItem]] = {}
    for item in items:
        key = cue(item)
        if key is not None and key in by_cue:
            by_cue[key].append(item)
            continue
        group = [item]
        if key is not None:
            by_cue[key] = group
        grouped.append(group)
    return grouped


def statements_of(quotes: Iterable[Quote]) -> list[Statement]:
    """The quotes as statements: a quote whose cue an earlier quote has is a further piece of that statement."""
    return [
        Statement(tuple(group)) for group in cue_groups(quotes, lambda q: (q.cue.start, q.cue.end) if q.cue else None)
    ]


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A time expression with its TIMEX3-style normalised value."""

    text: str
    start: int
    end: int
    type: str
    value: str | None
    mod: str | None = None
    anchor: str | None = None


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure with its unit or counted noun and any hedge."""

    text: str
    start: int
    end: int
    value: float
    unit: str | None
    subject: str | None
    approximate: str | None
    kind: str


@dataclass(frozen=True, slots=True)
class EvidenceSentence:
    """A body sentence that decides a headline's stance, and the role it plays."""

    span: Span
    role: str
    score: float
    claim: int | None = None


@dataclass(slots=True)
class HeadlineClaim:
    """One claim of a headline with its own stance."""

    text: str
    stance: str
    probabilities: dict[str, float] = field(default_factory=dict)
    question: bool = False
    # What decided the stance: "model"; "refutation" (an explicit denial in the body); "attributed" (a quote
    # headline's speaker is reported saying it); "polarity" (a headline reporting a hoax or denial, debunked).
    basis: str = "model"
    speaker: str | None = None  # who a quote headline says made the claim ("Putin: ...", "..., says Putin")


@dataclass(slots=True)
class HeadlineCheck:
    """Whether the body supports the headline, with the sentences that decide it."""

    stance: str
    probabilities: dict[str, float] = field(default_factory=dict)
    form: str | None = None
    claims: list[HeadlineClaim] = field(default_factory=list)
    evidence: list[EvidenceSentence] = field(default_factory=list)
    clickbait: float | None = None
    misleading: bool = False
    reason: str | None = None  # one of assess.headline.Reason: refuted, unconfirmed_as_fact, unrelated
    explanation: str | None = None  # the reason in one line, quoting its evidence sentence
    clickbait_style: bool = False  # reads as clickbait; a separate flag, never misleading by itself


@dataclass(slots=True)
class Article:
    """A cleaned article and every fact extracted from it, each tied to its span."""

    id: str
    source: str
    source_hash: str
    media_type: MediaType
    text: str
    url: str | None = None
    site: str | None = None
    headline: str | None = None
    dateline: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    captured: str | None = None
    reference_date: str | None = None
    reference_date_source: ReferenceDateSource | None = None
    language: str | None = None
    paragraphs: list[Span] = field(default_factory=list)
    removed: list[RemovedSpan] = field(default_factory=list)
    source_map: list[SourceSegment] = field(default_factory=list)
    entities: list[Mention] = field(default_factory=list)
    entities_index: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    headline_check: HeadlineCheck | None = None
    # The lede's sentence embedding, 384 signed bytes in base64 (story assignment reads it; no span: not a fact).
    lede_vector: str | None = field(default=None, repr=False)
    raw: str | None = field(default=None, repr=False)
    schema_version: int = SCHEMA_VERSION
    # What decoding changed in the input, one line each (``Document.warnings``); left out of the JSON form when none.
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_document(cls, document: Document) -> Article:
        """An article not yet cleaned: raw input and container metadata, empty text."""
        return cls(
            id="",
            source=document.source,
            source_hash=document.source_hash,
            media_type=document.media_type,
            text="",
            url=document.url,
            headline=document.title,
            published=document.published,
            captured=document.captured,
            raw=document.raw,
            warnings=list(document.warnings),
        )

    def span(self, start: int, end: int) -> Span:
        """The span of cleaned text ``start:end``."""
        return Span(start, end, self.text[start:end])

    def raw_offset(self, offset: int) -> int | None:
        """The raw-input offset a cleaned-text offset came from, or None where unmapped."""
        for segment in self.source_map:
            if segment.start <= offset <= segment.end:
                if segment.exact:
                    return segment.raw_start + (offset - segment.start)
                length = max(1, segment.end - segment.start)
                fraction = (offset - segment.start) / length
                return segment.raw_start + round(fraction * (segment.raw_end - segment.raw_start))
        return None

    def iter_spans(self) -> Iterator[tuple[str, Span | Mention | TimeExpr | Quantity]]:
        """Every fact span over the cleaned text, named by where it sits."""
        for i, paragraph in enumerate(self.paragraphs):
            yield f"paragraphs[{i}]", paragraph
        for name in ("entities", "times", "quantities"):
            for i, item in enumerate(getattr(self, name)):
                yield f"{name}[{i}]", item
        for i, quote in enumerate(self.quotes):
            yield f"quotes[{i}].content", quote.content
            if quote.cue is not None:
                yield f"quotes[{i}].cue", quote.cue
            if quote.speaker is not None and quote.speaker.mention is not None:
                yield f"quotes[{i}].speaker", quote.speaker.mention
        if self.headline_check is not None:
            for i, evidence in enumerate(self.headline_check.evidence):
                yield f"headline_check.evidence[{i}]", evidence.span

    def provenance_errors(self) -> list[str]:
        """Spans whose stored text differs from the text at their offsets (empty when sound)."""
        errors = []
        for where, span in self.iter_spans():
            if self.text[span.start : span.end] != span.text:
                errors.append(f"{where} {span.start}:{span.end} stores {span.text!r}")
        if self.raw is not None:
            for i, removed in enumerate(self.removed):
                if self.raw[removed.start : removed.end] != removed.text:
                    errors.append(f"removed[{i}] {removed.start}:{removed.end} differs from raw")
            for i, segment in enumerate(self.source_map):
                cleaned = self.text[segment.start : segment.end]
                if segment.exact and self.raw[segment.raw_start : segment.raw_end] != cleaned:
                    errors.append(f"source_map[{i}] is marked exact but differs from raw")
        return errors

    def to_json_dict(self, include_raw: bool = False) -> dict[str, Any]:
        """The versioned JSON form (raw input left out unless asked for)."""
        data: dict[str, Any] = to_dict(self)
        if not include_raw:
            data.pop("raw")
        if not data["warnings"]:
            data.pop("warnings")  # most inputs decode cleanly; their JSON stays as it was before warnings existed
        return data

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> Article:
        """An article from its JSON form; refuses a schema newer than this code knows."""
        version = data.get("schema_version", SCHEMA_VERSION)
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise ValueError(f"article schema_version {version!r} is newer than {SCHEMA_VERSION}")
        return from_dict(cls, data)


def content_hash(*parts: str) -> str:
    """A stable id for content: sha256 over the parts, whitespace-normalised."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(" ".join(part.split()).encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def transliterate(text: str) -> str:
    """Text in ASCII letters, every letter kept: accents dropped, other scripts romanised ("Łukaszenka" ->
    "Lukaszenka", "Михаил Галузин" -> "Mikhail Galuzin"). The one transliteration of names everywhere."""
    return anyascii(text)


_LONGEST_SLUG = 48


def name_slug(name: str) -> str:
    """A readable ASCII slug that keeps every letter of a name ("Tim Cook" -> "tim-cook", "Михаил Галузин" ->
    "mikhail-galuzin"): the name part of an entity id, the same in an article, the corpus and the statements."""
    slug = "-".join(re.findall(r"[a-z0-9]+", transliterate(name).lower())) or "x"
    if len(slug) > _LONGEST_SLUG:  # ids fit a 64-character column; a long name keeps a readable head and a hash
        slug = f"{slug[: _LONGEST_SLUG - 8]}-{hashlib.sha256(slug.encode()).hexdigest()[:7]}"
    return slug


# Each dataclass's field names, None for any other type: found once per type, not per object (an article has thousands).
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def to_dict(obj: Any) -> Any:
    """Plain JSON-ready data from a dataclass tree."""
    kind = type(obj)
    if kind not in _FIELD_NAMES:
        _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else None
    names = _FIELD_NAMES[kind]
    if names is not None:
        return {name: to_dict(getattr(obj, name)) for name in names}
    if isinstance(obj, list | tuple):
        return [to_dict(item) for item in obj]
    if isinstance(obj, dict):
        return {key: to_dict(value) for key, value in obj.items()}
    return obj


T = TypeVar("T")


def from_dict(cls: type[T], data: Any) -> T:
    """A dataclass tree from plain data, guided by the type hints."""
    return typing.cast(T, _convert(cls, data))


def _convert(hint: Any, value: Any) -> Any:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        options = [arg for arg in get_args(hint) if arg is not type(None)]
        return _convert(options[0], value) if len(options) == 1 else value
    if origin is list:
        (item_hint,) = get_args(hint)
        return [_convert(item_hint, item) for item in value]
    if origin is dict:
        _, value_hint = get_args(hint)
        return {key: _convert(value_hint, item) for key, item in value.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise ValueError(f"{hint.__name__} expects an object, got {type(value).__name__}")
        hints = get_type_hints(hint)
        known = {f.name for f in dataclasses.fields(hint)}
        kwargs = {key: _convert(hints[key], item) for key, item in value.items() if key in known}
        return hint(**kwargs)
    return value
