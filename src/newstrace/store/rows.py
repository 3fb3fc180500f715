"""An Article as rows (its own row and one per fact) and back, with the text stored once: spans as offsets."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import re
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Label, Table, func

from newstrace.model import (
    Article,
    Entity,
    EvidenceSentence,
    HeadlineCheck,
    HeadlineClaim,
    Mention,
    Quantity,
    Quote,
    Span,
    Speaker,
    TimeExpr,
    from_dict,
    to_dict,
    transliterate,
)
from newstrace.store.schema import SPAN_TEXTS, articles

__all__ = [
    "CHECK_COLUMNS",
    "FactRows",
    "article_from_rows",
    "article_row",
    "check_data",
    "columnar_data",
    "compact_check_data",
    "entity_from_row",
    "entity_key",
    "fact_rows",
    "mention_from_row",
    "quote_from_row",
    "row_data",
    "span_texts",
    "speaker_rows",
    "speaker_tokens",
    "speaker_words",
    "with_span_texts",
]

FactRows = dict[str, list[dict[str, Any]]]

# Article fields that a column of ``articles`` or a fact table holds, so the compact JSON leaves them out.
_IN_COLUMNS = ("id", "source", "url", "site", "headline", "published", "reference_date", "language", "text")
_IN_FACT_TABLES = ("entities", "entities_index", "quotes", "times", "quantities", "headline_check")
# The rest, in field order, less the raw input (never stored): the compact JSON's keys.
_IN_JSON = tuple(
    field.name for field in dataclasses.fields(Article) if field.name not in (*_IN_COLUMNS, *_IN_FACT_TABLES, "raw")
)
# HeadlineCheck fields that columns of ``headline_checks`` hold; since v5 its JSON leaves them out.
CHECK_COLUMNS = ("stance", "form", "misleading", "clickbait", "reason")


def entity_key(label: str, name: str) -> str:
    """A content-derived key for an entity: the same label and name (case and spacing aside) give the same key."""
    normalised = " ".join(name.casefold().split())
    return hashlib.sha256(f"{label}\x00{normalised}".encode()).hexdigest()[:16]


def article_row(article: Article, now: str) -> dict[str, Any]:
    """The ``articles`` row: searchable columns, the text, and the compact JSON of the rest."""
    # The JSON form (``Article.to_json_dict``) of just the fields no column or fact table holds: the facts are the
    # most of an article's objects, and the writer, which every worker's articles pass through, need not build them.
    data: dict[str, Any] = {}
    for name in _IN_JSON:
        if name == "paragraphs":  # offsets alone: the text they cut is in the ``text`` column
            data[name] = [[p.start, p.end] for p in article.paragraphs]
        elif name == "source_map":
            data[name] = [[s.start, s.end, s.raw_start, s.raw_end, s.exact] for s in article.source_map]
        elif name != "warnings" or article.warnings:  # as the JSON form, no empty warnings
            data[name] = to_dict(getattr(article, name))
    data = columnar_data(data)
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "site": article.site,
        "headline": article.headline,
        "published": article.published,
        "reference_date": article.reference_date,
        "language": article.language,
        "text": article.text,
        "data": zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()),
        "ingested_at": now,
    }


def fact_rows(article: Article, article_pk: int) -> FactRows:
    """One row per entity, mention, statement, time expression and figure, and the headline check's row."""
    # A mention names its entity by number; the first entity with an id is the one its id names.
    numbers: dict[str, int] = {}
    for number, entity in enumerate(article.entities_index):
        numbers.setdefault(entity.id, number)
    rows: FactRows = {
        "entities": [_entity_row(entity, article_pk, number) for number, entity in enumerate(article.entities_index)],
        "mentions": [
            _mention_row(mention, article_pk, number, numbers, article.entities_index)
            for number, mention in enumerate(article.entities)
        ],
        "statements": [_statement_row(quote, article_pk) for quote in article.quotes],
        "times": [
            _without_text({"article": article_pk, "number": number, **to_dict(time)})
            for number, time in enumerate(article.times)
        ],
        "quantities": [
            _without_text({"article": article_pk, "number": number, **to_dict(quantity)})
            for number, quantity in enumerate(article.quantities)
        ],
        "headline_checks": [],
    }
    check = article.headline_check
    if check is not None:
        rows["headline_checks"].append(
            {
                "article": article_pk,
                **{name: getattr(check, name) for name in CHECK_COLUMNS},
                "data": json.dumps(compact_check_data(check_data(check)), ensure_ascii=False, separators=(",", ":")),
            }
        )
    return rows


# A word of a name: letters and digits (underscores and punctuation split words, as in "Jean-Pierre").
_WORD = re.compile(r"[^\W_]+")
# The longest word kept: a PostgreSQL B-tree refuses an entry over ~2.7 KB; a longer query word is cut the same way.
LONGEST_SPEAKER_WORD = 64


def speaker_words(text: str) -> list[str]:
    """The words of a name or a speaker query as the speaker filter compares them: casefolded, ё read as е."""
    return [word[:LONGEST_SPEAKER_WORD] for word in _WORD.findall(text.casefold().replace("ё", "е"))]


def speaker_tokens(names: Sequence[str | None], entity_id: str | None) -> set[str]:
    """The words a speaker filter finds a statement by: each name's words and its romanised form's ("Михаил
    Галузин": михаил, галузин, mikhail, galuzin), and the words of the entity id's name part, itself romanised."""
    tokens: set[str] = set()
    for name in names:
        if name:
            tokens.update(speaker_words(name))
            tokens.update(speaker_words(transliterate(name)))
    if entity_id and ":" in entity_id:
        tokens.update(speaker_words(entity_id.partition(":")[2]))
    return tokens


def speaker_rows(article: Article, statement_pks: Sequence[int]) -> list[dict[str, Any]]:
    """The ``statement_speakers`` rows of an article's statements, given their keys in the order of its quotes."""
    # A statement's entity is the first of the article's entities with its id, as a mention's is.
    named: dict[str, Entity] = {}
    for entity in article.entities_index:
        named.setdefault(entity.id, entity)
    rows = []
    for quote, pk in zip(article.quotes, statement_pks, strict=True):
        speaker = quote.speaker
        if speaker is None:
            continue
        said_by = named.get(speaker.entity_id or "")
        names = [speaker.name, *((said_by.name, *said_by.aliases) if said_by is not None else ())]
        rows += [{"token": token, "statement": pk} for token in sorted(speaker_tokens(names, speaker.entity_id))]
    return rows


def check_data(check: HeadlineCheck) -> dict[str, Any]:
    """A HeadlineCheck's whole JSON, its evidence sentences as ``[start, end]``: they are cut from the text."""
    data: dict[str, Any] = to_dict(check)
    for evidence in data["evidence"]:
        evidence["span"] = [evidence["span"]["start"], evidence["span"]["end"]]
    return data


def compact_check_data(data: dict[str, Any]) -> dict[str, Any]:
    """A HeadlineCheck's JSON without what the ``headline_checks`` columns hold or a field's default gives (v5)."""
    compact = _without_defaults(HeadlineCheck, {key: value for key, value in data.items() if key not in CHECK_COLUMNS})
    if "claims" in compact:
        compact["claims"] = [_without_defaults(HeadlineClaim, claim) for claim in compact["claims"]]
    if "evidence" in compact:
        compact["evidence"] = [_without_defaults(EvidenceSentence, evidence) for evidence in compact["evidence"]]
    return compact


def _without_defaults(cls: type[Any], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without the fields whose value is the dataclass's default: ``from_dict`` puts them back."""
    defaults = _DEFAULTS[cls]
    return {
        key: value
        for key, value in data.items()
        # Of the same type too: 0 is not False, nor 0.0 an absent None.
        if not (key in defaults and type(value) is type(defaults[key]) and value == defaults[key])
    }


def _field_defaults(cls: type[Any]) -> dict[str, Any]:
    """A dataclass's field defaults by name (only compared with, never handed out)."""
    defaults: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        if field.default is not dataclasses.MISSING:
            defaults[field.name] = field.default
        elif field.default_factory is not dataclasses.MISSING:
            defaults[field.name] = field.default_factory()
    return defaults


# Read once: a check, its claims and its evidence are compacted on every article write.
_DEFAULTS = {cls: _field_defaults(cls) for cls in (HeadlineCheck, HeadlineClaim, EvidenceSentence)}


def columnar_data(data: dict[str, Any]) -> dict[str, Any]:
    """v3's compact JSON (one list or object per removed span, paragraph and source segment) as v4's columns.

    Offsets become differences from the previous one, a removed span's end comes from its text's length and each
    reason is written once: the same content, about 30% smaller once compressed (4.38 against 3.03 KB a page on AEB).
    """
    removed = data["removed"]
    reasons = list(dict.fromkeys(span["reason"] for span in removed))
    number = {reason: index for index, reason in enumerate(reasons)}
    paragraphs, segments = data["paragraphs"], data["source_map"]
    return {
        **data,
        "removed": {
            "reasons": reasons,
            "reason": [number[span["reason"]] for span in removed],
            "start": _differences([span["start"] for span in removed]),
            # Zero wherever the text is exactly the removed characters (every span on AEB): compresses to nothing.
            "end": [span["end"] - span["start"] - len(span["text"]) for span in removed],
            "text": [span["text"] for span in removed],
        },
        "paragraphs": {
            "start": _differences([start for start, _ in paragraphs]),
            "length": [end - start for start, end in paragraphs],
        },
        "source_map": {
            "start": _differences([segment[0] for segment in segments]),
            "length": [segment[1] - segment[0] for segment in segments],
            "raw_start": _differences([segment[2] for segment in segments]),
            "raw_length": [segment[3] - segment[2] for segment in segments],
            "exact": [segment[4] for segment in segments],
        },
    }


def row_data(data: dict[str, Any]) -> dict[str, Any]:
    """v3's compact JSON from v4's columns (the inverse of ``columnar_data``)."""
    removed = data["removed"]
    starts = _sums(removed["start"])
    paragraph_starts = _sums(data["paragraphs"]["start"])
    segments = data["source_map"]
    segment_starts, raw_starts = _sums(segments["start"]), _sums(segments["raw_start"])
    return {
        **data,
        "removed": [
            {"start": start, "end": start + len(text) + extra, "text": text, "reason": removed["reasons"][reason]}
            for start, extra, text, reason in zip(
                starts, removed["end"], removed["text"], removed["reason"], strict=True
            )
        ],
        "paragraphs": [
            [start, start + length]
            for start, length in zip(paragraph_starts, data["paragraphs"]["length"], strict=True)
        ],
        "source_map": [
            [start, start + length, raw_start, raw_start + raw_length, exact]
            for start, length, raw_start, raw_length, exact in zip(
                segment_starts, segments["length"], raw_starts, segments["raw_length"], segments["exact"], strict=True
            )
        ],
    }


def _differences(values: list[int]) -> list[int]:
    return [value - previous for previous, value in zip([0, *values], values, strict=False)]


def _sums(differences: list[int]) -> list[int]:
    return list(itertools.accumulate(differences))


def article_from_rows(row: Mapping[Any, Any], facts: Mapping[str, Sequence[Mapping[Any, Any]]]) -> Article:
    """The Article an ``articles`` row and its fact rows (in insertion order) were made from."""
    text: str = row["text"]
    data: dict[str, Any] = row_data(json.loads(zlib.decompress(row["data"])))
    data.update({name: row[name] for name in _IN_COLUMNS})
    data["paragraphs"] = [{"start": start, "end": end, "text": text[start:end]} for start, end in data["paragraphs"]]
    data["source_map"] = [
        {"start": s, "end": e, "raw_start": raw_s, "raw_end": raw_e, "exact": exact}
        for s, e, raw_s, raw_e, exact in data["source_map"]
    ]
    article = Article.from_json_dict(data)
    article.entities_index = [entity_from_row(fact) for fact in facts.get("entities", ())]
    by_number = {
        fact["number"]: entity for fact, entity in zip(facts.get("entities", ()), article.entities_index, strict=True)
    }
    article.entities = [mention_from_row(fact, text, by_number) for fact in facts.get("mentions", ())]
    article.quotes = [quote_from_row(with_span_texts("statements", fact, text)) for fact in facts.get("statements", ())]
    article.times = [
        TimeExpr(
            text[fact["start"] : fact["end"]],
            fact["start"],
            fact["end"],
            fact["type"],
            fact["value"],
            fact["mod"],
            fact["anchor"],
        )
        for fact in facts.get("times", ())
    ]
    article.quantities = [
        Quantity(
            text[fact["start"] : fact["end"]],
            fact["start"],
            fact["end"],
            fact["value"],
            fact["unit"],
            fact["subject"],
            fact["approximate"],
            fact["kind"],
        )
        for fact in facts.get("quantities", ())
    ]
    checks = facts.get("headline_checks", ())
    article.headline_check = None
    if checks:
        data = {**json.loads(checks[0]["data"]), **{name: checks[0][name] for name in CHECK_COLUMNS}}
        for evidence in data.get("evidence", ()):
            start, end = evidence["span"]
            evidence["span"] = {"start": start, "end": end, "text": text[start:end]}
        article.headline_check = from_dict(HeadlineCheck, data)
    return article


def _entity_row(entity: Entity, article_pk: int, number: int) -> dict[str, Any]:
    return {
        "article": article_pk,
        "number": number,
        "entity_id": entity.id,
        "name": entity.name,
        "label": entity.label,
        "aliases": json.dumps(entity.aliases, ensure_ascii=False) if entity.aliases else None,
        "roles": json.dumps(entity.roles, ensure_ascii=False) if entity.roles else None,
        "affiliation": entity.affiliation,
        "stands_for": entity.stands_for,
    }


def entity_from_row(fact: Mapping[Any, Any]) -> Entity:
    """The Entity an ``entities`` row holds."""
    return Entity(
        fact["entity_id"],
        fact["name"],
        fact["label"],
        json.loads(fact["aliases"]) if fact["aliases"] else [],
        json.loads(fact["roles"]) if fact["roles"] else [],
        fact["affiliation"],
        fact["stands_for"],
    )


def _mention_row(
    mention: Mention, article_pk: int, number: int, numbers: Mapping[str, int], entities: Sequence[Entity]
) -> dict[str, Any]:
    entity = numbers.get(mention.entity_id) if mention.entity_id is not None else None
    # The entity's id and label are not repeated in each of its mentions (39 a page on the WARC bench).
    same_label = entity is not None and entities[entity].label == mention.label
    return {
        "article": article_pk,
        "number": number,
        "entity": entity,
        "entity_id": mention.entity_id if entity is None else None,
        "label": None if same_label else mention.label,
        "start": mention.start,
        "end": mention.end,
        "stands_for": mention.stands_for,
    }


def mention_from_row(fact: Mapping[Any, Any], text: str, entities: Mapping[int, Entity]) -> Mention:
    """The Mention a ``mentions`` row holds: its entity's id and label from the article's entities by number."""
    entity = entities[fact["entity"]] if fact["entity"] is not None else None
    return Mention(
        text[fact["start"] : fact["end"]],
        fact["label"] if fact["label"] is not None or entity is None else entity.label,
        fact["start"],
        fact["end"],
        entity.id if entity is not None else fact["entity_id"],
        fact["stands_for"],
    )


def _without_text(row: dict[str, Any]) -> dict[str, Any]:
    del row["text"]
    return row


def with_span_texts(table_name: str, fact: Mapping[Any, Any], text: str) -> dict[str, Any]:
    """A fact row with the span texts schema v3 stored (``content_text``, ``text``, ...) cut from the article's text."""
    row = dict(fact)
    for name, (start, end) in SPAN_TEXTS.get(table_name, {}).items():
        row[name] = text[row[start] : row[end]] if row[start] is not None and row[end] is not None else None
    return row


def span_texts(table: Table) -> list[Label[Any]]:
    """A fact table's span texts as SQL expressions on the joined ``articles`` row, under their v3 column names.

    SQLite's substr on text and PostgreSQL's count characters, as Python's offsets do.
    """

    def cut(start: ColumnElement[Any], end: ColumnElement[Any], name: str) -> Label[Any]:
        return func.substr(articles.c.text, start + 1, end - start, type_=articles.c.text.type).label(name)

    return [cut(table.c[start], table.c[end], name) for name, (start, end) in SPAN_TEXTS.get(table.name, {}).items()]


def _statement_row(quote: Quote, article_pk: int) -> dict[str, Any]:
    speaker = quote.speaker
    mention = speaker.mention if speaker is not None else None
    return {
        "article": article_pk,
        "kind": quote.kind,
        "content_start": quote.content.start,
        "content_end": quote.content.end,
        "cue_start": quote.cue.start if quote.cue else None,
        "cue_end": quote.cue.end if quote.cue else None,
        "cue_lemma": quote.cue_lemma,
        # Tells "no speaker" from "a speaker whose fields are all unknown".
        "has_speaker": speaker is not None,
        "speaker_start": mention.start if mention else None,
        "speaker_end": mention.end if mention else None,
        "speaker_entity_id": speaker.entity_id if speaker else None,
        "speaker_name": speaker.name if speaker else None,
        "speaker_rule": speaker.rule if speaker else None,
        "channel": quote.channel,
        "said_on": quote.date,
        "date_source": quote.date_source,
        "confidence": quote.confidence,
    }


def _span(start: int | None, end: int | None, text: str | None) -> Span | None:
    if start is None or end is None or text is None:
        return None
    return Span(start, end, text)


def quote_from_row(fact: Mapping[Any, Any]) -> Quote:
    """The Quote a ``statements`` row holds, with its span texts (``with_span_texts`` or ``span_texts``)."""
    speaker = None
    if fact["has_speaker"]:
        speaker = Speaker(
            _span(fact["speaker_start"], fact["speaker_end"], fact["speaker_text"]),
            fact["speaker_entity_id"],
            fact["speaker_name"],
            fact["speaker_rule"],
        )
    content = Span(fact["content_start"], fact["content_end"], fact["content_text"])
    return Quote(
        kind=fact["kind"],
        content=content,
        cue=_span(fact["cue_start"], fact["cue_end"], fact["cue_text"]),
        cue_lemma=fact["cue_lemma"],
        speaker=speaker,
        channel=fact["channel"],
        date=fact["said_on"],
        date_source=fact["date_source"],
        confidence=fact["confidence"],
    )
