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


# What a command's start never imports: the models, the data stack, the server, the cluster (issue #29's start-up).
HEAVY_PACKAGES = (
    "sklearn",
    "scipy",
    "datasketch",
    "spacy",
    "onnxruntime",
    "pyarrow",
    "ray",
    "fastapi",
    "uvicorn",
    "trafilatura",
    "fastwarc",
    "torch",
    "pandas",
)


def test_the_command_line_starts_without_the_heavy_packages() -> None:
    import subprocess
    import sys

    code = "import sys, newstrace, newstrace.cli; print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    loaded = set(
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    )
    assert loaded.isdisjoint(HEAVY_PACKAGES), sorted(loaded & set(HEAVY_PACKAGES))


def test_the_public_surface_loads_when_first_used() -> None:
    import subprocess
    import sys

    code = "import newstrace; assert newstrace.Store.__name__ == 'Store'; assert 'Store' in dir(newstrace)"
    subprocess.run([sys.executable, "-c", code], check=True)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        newstrace.nothing  # noqa: B018


def test_the_stop_words_are_scikit_learns() -> None:
    """The word statistics of stored stories read them: the same list scikit-learn ships, without importing it."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as SCIKIT_LEARN

    from newstrace.lexicon import ENGLISH_STOP_WORDS

    assert ENGLISH_STOP_WORDS == SCIKIT_LEARN
