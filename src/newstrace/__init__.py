"""newstrace: who said what, when, to whom, and whether the headline tells the truth about it."""

from newstrace.ingest import DEFAULT_MAX_BYTES, html_document, iter_documents, text_document
from newstrace.model import (
    SCHEMA_VERSION,
    Article,
    Document,
    Failure,
    RemovedSpan,
    SourceSegment,
    Span,
)
from newstrace.pipeline import Pipeline, StageError, register_stage
from newstrace.run.job import IngestSummary, ingest
from newstrace.run.local import InProcessRunner, ProcessPoolRunner, Runner, shared_runner
from newstrace.store import Store

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
    return list(shared_runner().run(iter_documents([path])))


def analyze_text(
    text: str, headline: str | None = None, url: str | None = None, published: str | None = None
) -> Article:
    """The article in a plain text (``published`` as YYYY-MM-DD); raises AnalysisError when none can be made."""
    return _analyze_one(text_document(text, headline=headline, url=url, published=published))


def analyze_html(html: str, url: str | None = None) -> Article:
    """The article in an HTML page; raises AnalysisError when none can be made (no main text, say)."""
    document = html_document(html, url=url)
    if isinstance(document, Failure):
        raise AnalysisError(document)
    return _analyze_one(document)


def _analyze_one(document: Document) -> Article:
    (result,) = shared_runner().run([document])  # one runner per process: the models load on the first call
    if isinstance(result, Failure):
        raise AnalysisError(result)
    return result
