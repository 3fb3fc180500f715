"""The public surface is pinned: a change to it is a deliberate change to this test."""

from __future__ import annotations

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
            "__version__",
            "analyze",
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
