"""newstrace: who said what, when, to whom, and whether the headline tells the truth about it."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from newstrace.model import (
    SCHEMA_VERSION,
    Article,
    Document,
    Failure,
    RemovedSpan,
    SourceSegment,
    Span,
)

if TYPE_CHECKING:
    from newstrace.ingest import DEFAULT_MAX_BYTES, iter_documents
    from newstrace.pipeline import Pipeline, StageError, register_stage
    from newstrace.run.job import IngestSummary, ingest
    from newstrace.run.local import InProcessRunner, ProcessPoolRunner, Runner
    from newstrace.store import Store

# The rest of the public surface is imported when first used: ``import newstrace`` (and so every command's start)
# does not pay for the store, the runners and what they import.
_LAZY = {
    "DEFAULT_MAX_BYTES": "newstrace.ingest",
    "html_document": "newstrace.ingest",
    "iter_documents": "newstrace.ingest",
    "text_document": "newstrace.ingest",
    "Pipeline": "newstrace.pipeline",
    "StageError": "newstrace.pipeline",
    "register_stage": "newstrace.pipeline",
    "IngestSummary": "newstrace.run.job",
    "ingest": "newstrace.run.job",
    "InProcessRunner": "newstrace.run.local",
    "ProcessPoolRunner": "newstrace.run.local",
    "Runner": "newstrace.run.local",
    "shared_runner": "newstrace.run.local",
    "Store": "newstrace.store",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newstrace' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__version__ = "0.1.0"

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SCHEMA_VERSION",
    "AnalysisError",
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
    "analyze_html",
    "analyze_text",
    "ingest",
    "iter_documents",
    "register_stage",
]


class AnalysisError(Exception):
    """``analyze_text`` or ``analyze_html`` could not make an article: ``failure`` says at which stage and why."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(f"{failure.stage}: {failure.reason}")
        self.failure = failure


def analyze(path: str) -> list[Article | Failure]:
    """Every article (or the Failure saying why not) in one input: a file, folder, archive or ``-``."""
    if not path.strip():
        # An empty path (an unset variable) would otherwise read as the current directory.
        raise ValueError("analyze() needs a path; it was empty (for a string of text, use analyze_text)")
    from newstrace.ingest import iter_documents
    from newstrace.run.local import shared_runner

    return list(shared_runner().run(iter_documents([path])))


def analyze_text(
    text: str, headline: str | None = None, url: str | None = None, published: str | None = None
) -> Article:
    """The article in a plain text (``published`` as YYYY-MM-DD); raises AnalysisError when none can be made."""
    from newstrace.ingest import text_document

    return _analyze_one(text_document(text, headline=headline, url=url, published=published))


def analyze_html(html: str, url: str | None = None) -> Article:
    """The article in an HTML page; raises AnalysisError when none can be made (no main text, say)."""
    from newstrace.ingest import html_document

    document = html_document(html, url=url)
    if isinstance(document, Failure):
        raise AnalysisError(document)
    return _analyze_one(document)


def _analyze_one(document: Document) -> Article:
    from newstrace.run.local import shared_runner

    (result,) = shared_runner().run([document])  # one runner per process: the models load on the first call
    if isinstance(result, Failure):
        raise AnalysisError(result)
    return result
