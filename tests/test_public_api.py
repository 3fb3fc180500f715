"""The public surface is pinned: a change to it is a deliberate change to this test."""

from __future__ import annotations

import pytest

import newstrace


def test_public_names() -> None:
    assert sorted(newstrace.__all__) == sorted(
        [
            "DEFAULT_MAX_BYTES",
            "SCHEMA_VERSION",
            "Article",
            "Document",
            "Failure",
            "InProcessRunner",
            "IngestSummary",
            "Pipeline",
            "ProcessPoolRunner",
            "RemovedSpan",
            "Runner",
            "SourceSegment",
            "Span",
            "StageError",
            "Store",
            "AnalysisError",
            "__version__",
            "analyze",
            "analyze_html",
            "analyze_text",
            "ingest",
            "iter_documents",
            "register_stage",
        ]
    )
    for name in newstrace.__all__:
        assert hasattr(newstrace, name), name


def test_analyze_function(example_text) -> None:  # type: ignore[no-untyped-def]
    (article,) = newstrace.analyze(str(example_text))
    assert isinstance(article, newstrace.Article) and article.dateline == "Port Aven"


def test_analyze_refuses_an_empty_path() -> None:
    with pytest.raises(ValueError, match="empty"):
        newstrace.analyze("")


def test_analyze_text_and_html_return_an_article(example_text, example_html) -> None:  # type: ignore[no-untyped-def]
    text = example_text.read_text(encoding="utf-8")
    article = newstrace.analyze_text(text, url="https://example.org/a", published="2026-03-03")
    assert isinstance(article, newstrace.Article) and article.dateline == "Port Aven"
    assert article.url == "https://example.org/a" and article.published == "2026-03-03"
    page = newstrace.analyze_html(example_html.read_text(encoding="utf-8"), url="https://example.org/b")
    assert isinstance(page, newstrace.Article) and "Coastal Alliance" in (page.headline or "")
    assert page.provenance_errors() == []


def test_analyze_html_raises_a_documented_error_when_there_is_no_article() -> None:
    with pytest.raises(newstrace.AnalysisError) as raised:
        newstrace.analyze_html("<html><body></body></html>")
    assert raised.value.failure.stage and raised.value.failure.reason in str(raised.value)


def test_assess_names() -> None:
    import newstrace.assess

    assert sorted(newstrace.assess.__all__) == [
        "ClickbaitModel",
        "HeadlineChecker",
        "StanceModel",
        "headline_claims",
        "headline_form",
    ]
    for name in newstrace.assess.__all__:
        assert hasattr(newstrace.assess, name), name
