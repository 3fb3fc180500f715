"""The data model: JSON round trip, schema versions, provenance checks, JSON-LD."""

from __future__ import annotations

import json

import pytest

from newstrace.export.jsonld import article_graph
from newstrace.model import (
    SCHEMA_VERSION,
    Article,
    Entity,
    EvidenceSentence,
    HeadlineCheck,
    HeadlineClaim,
    Mention,
    Quantity,
    Quote,
    RemovedSpan,
    SourceSegment,
    Span,
    Speaker,
    TimeExpr,
    content_hash,
)


def full_article() -> Article:
    text = 'Galuzin said, "The task is defensive." He spoke on Saturday to around 9,000 troops.'
    article = Article(
        id="abc",
        source="seed.txt",
        source_hash="f00",
        media_type="text/plain",
        text=text,
        headline="Will Attack?",
        dateline="Moscow",
        reference_date="2022-12-24",
        reference_date_source="text",
        raw="Moscow - " + text,
    )
    article.paragraphs = [article.span(0, len(text))]
    article.removed = [RemovedSpan(0, 8, "Moscow -", "dateline")]
    article.source_map = [SourceSegment(0, len(text), 9, 9 + len(text), True)]
    article.entities = [Mention("Galuzin", "PERSON", 0, 7, "e1")]
    article.entities_index = [Entity("e1", "Mikhail Galuzin", "PERSON", ["Galuzin"], ["Deputy Foreign Minister"])]
    quote_start = text.index('"The')
    article.quotes = [
        Quote(
            "direct",
            article.span(quote_start, text.index('." ') + 2),
            article.span(8, 12),
            "say",
            Speaker(article.span(0, 7), "e1", "Mikhail Galuzin"),
            channel=None,
            date="2022-12-24",
            confidence=0.9,
        )
    ]
    saturday = text.index("Saturday")
    article.times = [TimeExpr("Saturday", saturday, saturday + 8, "DATE", "2022-12-24")]
    number = text.index("around")
    article.quantities = [
        Quantity(
            "around 9,000 troops",
            number,
            len(text) - 1,
            9000,
            "troops",
            "troops",
            "around",
            "count",
        )
    ]
    article.headline_check = HeadlineCheck(
        "disagree",
        {"disagree": 0.8, "discuss": 0.2},
        form="question",
        claims=[HeadlineClaim("will attack", "disagree", {"disagree": 0.8})],
        evidence=[EvidenceSentence(article.span(0, 38), "refutes", 0.8)],
        clickbait=0.01,
        misleading=True,
        reason="refuted",
        explanation="question headline; the body refutes it",
    )
    return article


def test_json_round_trip_keeps_every_fact() -> None:
    article = full_article()
    data = json.loads(json.dumps(article.to_json_dict(include_raw=True)))
    assert Article.from_json_dict(data) == article
    assert data["schema_version"] == SCHEMA_VERSION


def test_json_leaves_raw_out_unless_asked() -> None:
    article = full_article()
    assert "raw" not in article.to_json_dict()
    assert Article.from_json_dict(article.to_json_dict()).raw is None


def test_newer_schema_is_refused() -> None:
    data = full_article().to_json_dict()
    data["schema_version"] = SCHEMA_VERSION + 1
    with pytest.raises(ValueError, match="newer"):
        Article.from_json_dict(data)


def test_sound_article_has_no_provenance_errors() -> None:
    assert full_article().provenance_errors() == []


def test_provenance_errors_name_the_broken_span() -> None:
    article = full_article()
    article.entities.append(Mention("Putin", "PERSON", 0, 7))
    article.removed.append(RemovedSpan(0, 3, "xyz", "test"))
    errors = article.provenance_errors()
    assert any(e.startswith("entities[1]") for e in errors)
    assert any(e.startswith("removed[1]") for e in errors)


def test_raw_offset_follows_exact_segments() -> None:
    article = full_article()
    assert article.raw is not None
    assert article.raw[article.raw_offset(0) : article.raw_offset(7)] == "Galuzin"  # type: ignore[misc]
    assert article.raw_offset(10_000) is None


def test_jsonld_is_a_news_article() -> None:
    item = article_graph(full_article())[0]
    assert item["@type"] == "NewsArticle"
    assert item["headline"] == "Will Attack?"
    assert item["dateline"] == "Moscow"
    assert "author" not in item  # no authors known: the key is left out, not null


def test_content_hash_ignores_whitespace_only() -> None:
    assert content_hash("a  b\n", "c") == content_hash("a b", "c")
    assert content_hash("a b", "c") != content_hash("a b", "d")
    assert content_hash("ab", "c") != content_hash("a", "bc")


def test_span_helper_reads_text() -> None:
    article = full_article()
    assert article.span(0, 7) == Span(0, 7, "Galuzin")
