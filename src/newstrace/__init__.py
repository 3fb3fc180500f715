"""newstrace: who said what, when, to whom, and whether the headline tells the truth about it."""

import functools

from newstrace.ingest import DEFAULT_MAX_BYTES, iter_documents
from newstrace.jobs import IngestSummary, ingest
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
from newstrace.runner import InProcessRunner, ProcessPoolRunner, Runner
from newstrace.store import Store

__version__ = "0.1.0"

__all__ = [
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


def analyze(path: str) -> list[Article | Failure]:
    """Every article (or the Failure saying why not) in one input: a file, folder, archive or ``-``."""
    return list(_shared_runner().run(iter_documents([path])))


@functools.cache
def _shared_runner() -> InProcessRunner:
    """One runner per process: the models load on the first ``analyze``, not on every call."""
    return InProcessRunner()
