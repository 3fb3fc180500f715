"""Runners: the pipeline over a stream of documents, in this process or in worker processes."""

from __future__ import annotations

import importlib
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol

from newstrace.model import Article, Document, Failure
from newstrace.pipeline import DEFAULT_STAGES, Pipeline, get_stage

__all__ = ["InProcessRunner", "ProcessPoolRunner", "Runner", "make_runner"]

Result = Article | Failure


class Runner(Protocol):
    """Runs the pipeline over documents, yielding one result per input, in input order."""

    def run(self, items: Iterable[Document | Failure]) -> Iterator[Result]:
        """Articles for documents that went through, Failures for the rest (ingest failures pass through)."""
        ...


class InProcessRunner:
    """Everything in this process: simplest, and what tests and ``analyze`` use."""

    def __init__(self, stages: Sequence[str] = DEFAULT_STAGES) -> None:
        self.stages = tuple(stages)
        self._pipeline: Pipeline | None = None

    def run(self, items: Iterable[Document | Failure]) -> Iterator[Result]:
        """Process each document here, in order."""
        if self._pipeline is None:
            self._pipeline = Pipeline(self.stages)
        for item in items:
            yield item if isinstance(item, Failure) else self._pipeline.process(item)


_worker_pipeline: Pipeline | None = None


def _start_worker(stages: tuple[str, ...], modules: tuple[str, ...]) -> None:
    global _worker_pipeline
    for module in modules:  # a fresh process knows only the stages its imports register
        importlib.import_module(module)
    _worker_pipeline = Pipeline(stages)  # models load once per worker, not per document


def _process_in_worker(document: Document) -> Result:
    assert _worker_pipeline is not None, "worker started without its pipeline"
    return _worker_pipeline.process(document)


class ProcessPoolRunner:
    """Worker processes, each building the pipeline once; results come back in input order.

    At most ``workers * 4`` documents are in flight, so memory stays flat on any corpus size.
    A worker that dies (a crash in native code) costs only the document it was working on.
    """

    def __init__(self, stages: Sequence[str] = DEFAULT_STAGES, workers: int | None = None) -> None:
        self.stages = tuple(stages)
        self._modules = tuple(dict.fromkeys(get_stage(name).module for name in self.stages))
        self.workers = workers or os.cpu_count() or 1
        self._window = self.workers * 4

    def run(self, items: Iterable[Document | Failure]) -> Iterator[Result]:
        """Process documents in worker processes."""
        executor = self._executor()
        pending: deque[tuple[Document | Failure, Future[Result] | None]] = deque()
        try:
            for item in items:
                future = None if isinstance(item, Failure) else executor.submit(_process_in_worker, item)
                pending.append((item, future))
                if len(pending) >= self._window:
                    result, executor = self._collect(pending, executor)
                    yield result
            while pending:
                result, executor = self._collect(pending, executor)
                yield result
        finally:
            executor.shutdown(wait=True, cancel_futures=True)

    def _executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(self.stages, self._modules),
        )

    def _collect(
        self,
        pending: deque[tuple[Document | Failure, Future[Result] | None]],
        executor: ProcessPoolExecutor,
    ) -> tuple[Result, ProcessPoolExecutor]:
        item, future = pending.popleft()
        if future is None:
            assert isinstance(item, Failure)
            return item, executor
        try:
            return future.result(), executor
        except BrokenProcessPool:
            assert isinstance(item, Document)
            return self._recover(item, pending, executor)

    def _recover(
        self,
        document: Document,
        pending: deque[tuple[Document | Failure, Future[Result] | None]],
        broken: ProcessPoolExecutor,
    ) -> tuple[Result, ProcessPoolExecutor]:
        """A worker died: retry this document alone to learn whether it is the cause, then resubmit the rest."""
        broken.shutdown(wait=False, cancel_futures=True)
        alone = self._executor()
        try:
            result = alone.submit(_process_in_worker, document).result()
        except BrokenProcessPool:
            result = Failure(
                document.source,
                "worker",
                "worker process crashed on this input",
                document.source_hash,
            )
            alone.shutdown(wait=False, cancel_futures=True)
            alone = self._executor()
        for index, (item, future) in enumerate(pending):
            if future is not None:
                assert isinstance(item, Document)
                pending[index] = (item, alone.submit(_process_in_worker, item))
        return result, alone


def make_runner(workers: int, stages: Sequence[str] = DEFAULT_STAGES) -> Runner:
    """In-process for one worker, a process pool for more."""
    return InProcessRunner(stages) if workers <= 1 else ProcessPoolRunner(stages, workers)
