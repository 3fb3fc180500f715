"""The server's runner: one worker process, stopped when a run takes longer than the bound (the next starts anew)."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.pool import Pool
from typing import Literal, TypeVar

from newstrace.ingest import html_document, text_document
from newstrace.model import Article, Document, Failure
from newstrace.run.local import LocalRunner, shared_runner

__all__ = ["AnalysisBusy", "AnalysisInput", "AnalysisTimeout", "AnalysisWorker"]

T = TypeVar("T")


class AnalysisTimeout(Exception):
    """The analysis ran past its bound; its worker was stopped."""


class AnalysisBusy(Exception):
    """Another analysis held the worker for longer than this request may wait."""


@dataclass(frozen=True, slots=True)
class AnalysisInput:
    """What ``POST /analyze`` and ``POST /articles`` hand over: a text or an HTML page, with what is known of it."""

    content: str
    media: Literal["text", "html"]
    headline: str | None = None
    url: str | None = None
    published: str | None = None

    def document(self) -> Document | Failure:
        """The Document ``analyze_text`` or ``analyze_html`` makes of it (a Failure for HTML nested too deep)."""
        if self.media == "html":
            return html_document(self.content, url=self.url)
        return text_document(self.content, headline=self.headline, url=self.url, published=self.published)


def _analyze(job: AnalysisInput) -> Article | Failure:
    """In the worker: the article, or the Failure naming the stage and reason (the depth check is bounded too)."""
    document = job.document()
    if isinstance(document, Failure):
        return document
    (result,) = _run_documents([document])
    return result


def _run_documents(items: list[Document | Failure]) -> list[Article | Failure]:
    """In the worker: each document's article or Failure, in order (a Failure passed in is passed on)."""
    return list(shared_runner().run(items))  # the runner analyze_text uses: its models are already loaded


def _warm() -> bool:
    """Load the models once, before any request is timed."""
    _analyze(AnalysisInput("Ana Duarte said the harbour would reopen on Monday.", "text"))
    return True


class AnalysisWorker(LocalRunner):
    """One process that analyses one request at a time; a run past ``timeout`` seconds kills it (the next starts anew).

    A thread cannot be stopped, so analysis runs in a process: a pathological input costs its request a timeout,
    never the server its CPU for longer than the bound. As a runner, ``run`` and ``run_paths`` take all their
    documents within one bound.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._pool: Pool | None = None
        self._lock = threading.Lock()

    def analyze(self, job: AnalysisInput) -> Article | Failure:
        """The analysis of ``job``; raises AnalysisTimeout or AnalysisBusy past the bound."""
        return self._call(_analyze, job)

    def run(self, items: Iterable[Document | Failure]) -> Iterator[Article | Failure]:
        """Each document's article or Failure, in order, within one bound; raises AnalysisTimeout or AnalysisBusy."""
        return iter(self._call(_run_documents, list(items)))  # not a generator: the bound holds when this is called

    def _call(self, function: Callable[..., T], argument: object) -> T:
        if not self._lock.acquire(timeout=self.timeout):
            raise AnalysisBusy(f"the analysis worker stayed busy for {self.timeout:g} s")
        try:
            pool = self._started()
            pending = pool.apply_async(function, (argument,))
            try:
                result: T = pending.get(timeout=self.timeout)
                return result
            except multiprocessing.TimeoutError:
                self._stop()
                raise AnalysisTimeout(f"the analysis took longer than {self.timeout:g} s and was stopped") from None
        finally:
            self._lock.release()

    def _started(self) -> Pool:
        if self._pool is None:
            # spawn, not fork: the server's threads are not copied into a half-locked child.
            pool = multiprocessing.get_context("spawn").Pool(1, maxtasksperchild=None)
            pool.apply(_warm)  # model loading is not counted against a request's bound
            self._pool = pool
        return self._pool

    def _stop(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def close(self) -> None:
        """Stop the worker process."""
        with self._lock:
            self._stop()
