"""Runners: the pipeline over the inputs under paths, in this process or in worker processes (Ray: ``ray_engine``).

Every runner answers ``run_paths``: it reads the inputs, passes over those the sink holds already and runs the rest,
one result per input in input order. The local ones read here and run documents through ``run``, which ``analyze``
and the web's bounded worker also use.
"""

from __future__ import annotations

import functools
import importlib
import logging
import multiprocessing
import os
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Protocol

from newstrace.export.sinks import Held
from newstrace.ingest import DEFAULT_MAX_BYTES, iter_documents
from newstrace.model import Article, Document, Failure
from newstrace.pipeline import DEFAULT_STAGES, Pipeline, StageLoadError, check_pipeline, get_stage, log

__all__ = [
    "Held",
    "InProcessRunner",
    "LocalRunner",
    "Present",
    "ProcessPoolRunner",
    "Result",
    "Runner",
    "import_stages",
    "log_errors_to",
    "make_runner",
    "shared_runner",
    "stage_modules",
]

Result = Article | Failure
# How many inputs' hashes one question to the sink carries, as the inputs stream by.
LOOKUP_BATCH = 50


@dataclass(frozen=True, slots=True)
class Present:
    """An input whose content hash the sink holds already: passed over before any work (its bytes are not carried)."""

    source: str
    source_hash: str


class Runner(Protocol):
    """Runs the pipeline over the inputs under paths: local, in a process pool or on Ray, all alike."""

    def run_paths(
        self, paths: Iterable[str], *, held: Held | None = None, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> Iterator[Result | Present]:
        """One result per input, in input order: Present for inputs ``held`` holds, a Failure for those rejected."""
        ...


class LocalRunner(ABC):
    """A runner that reads its inputs in this process and runs the documents through ``run``."""

    @abstractmethod
    def run(self, items: Iterable[Document | Failure]) -> Iterator[Result]:
        """Articles for documents that went through, Failures for the rest (ingest failures pass through)."""

    def run_paths(
        self, paths: Iterable[str], *, held: Held | None = None, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> Iterator[Result | Present]:
        """Read the inputs here, ask ``held`` about them in batches, and run those it does not hold."""
        items = iter_documents(paths, max_bytes=max_bytes)
        return _in_place(self.run, items if held is None else _passed_over(items, held))


def _passed_over(items: Iterable[Document | Failure], held: Held) -> Iterator[Document | Failure | Present]:
    """Each item, a document whose content ``held`` holds made Present; ``held`` is asked once per batch."""
    buffer: list[Document | Failure] = []
    for item in items:
        buffer.append(item)
        if len(buffer) >= LOOKUP_BATCH:
            yield from _marked(buffer, held)
            buffer = []
    yield from _marked(buffer, held)


def _marked(buffer: list[Document | Failure], held: Held) -> Iterator[Document | Failure | Present]:
    known = held.known_sources(item.source_hash for item in buffer if isinstance(item, Document))
    for item in buffer:
        if isinstance(item, Document) and item.source_hash in known:
            yield Present(item.source, item.source_hash)
        else:
            yield item


def _in_place(
    run: Callable[[Iterable[Document | Failure]], Iterator[Result]], items: Iterable[Document | Failure | Present]
) -> Iterator[Result | Present]:
    """``run``'s results with the Present items back in their places: all in input order."""
    slots: deque[Present | None] = deque()  # None: a result of ``run`` goes here

    def to_run() -> Iterator[Document | Failure]:
        for item in items:
            if isinstance(item, Present):
                slots.append(item)
            else:
                slots.append(None)
                yield item

    for result in run(to_run()):
        while (slot := slots.popleft()) is not None:
            yield slot
        yield result
    yield from (slot for slot in slots if slot is not None)  # inputs held after the last one run


def log_errors_to(path: str | None) -> None:
    """Append tracebacks of internal errors and of stages that fail to load to ``path`` (made on first use)."""
    if path is None:
        return
    target = os.path.abspath(path)
    if any(getattr(handler, "baseFilename", None) == target for handler in log.handlers):
        return
    handler = logging.FileHandler(target, delay=True, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(message)s"))
    log.addHandler(handler)


def stage_modules(stages: Sequence[str]) -> tuple[str, ...]:
    """The modules that register these stages: a fresh worker process imports them to know the stages."""
    return tuple(dict.fromkeys(get_stage(name).module for name in stages))


def import_stages(modules: Sequence[str]) -> None:
    """Import the modules that register the stages (in a fresh worker process)."""
    for module in modules:
        importlib.import_module(module)


class InProcessRunner(LocalRunner):
    """Everything in this process: simplest, and what tests and ``analyze`` use."""

    def __init__(self, stages: Sequence[str] = DEFAULT_STAGES, *, log_file: str | None = None) -> None:
        check_pipeline(stages)  # a broken contract is the caller's error, before any model loads
        self.stages = tuple(stages)
        self.log_file = log_file
        self._pipeline: Pipeline | None = None

    def run(self, items: Iterable[Document | Failure]) -> Iterator[Result]:
        """Process each document here, in order; raises StageLoadError at once if a stage cannot be built."""
        if self._pipeline is None:
            log_errors_to(self.log_file)
            self._pipeline = Pipeline(self.stages)
        for item in items:
            yield item if isinstance(item, Failure) else self._pipeline.process(item)


_worker_pipeline: Pipeline | None = None
_worker_load_error: StageLoadError | None = None


def _start_worker(stages: tuple[str, ...], modules: tuple[str, ...], log_file: str | None) -> None:
    global _worker_pipeline, _worker_load_error
    log_errors_to(log_file)
    try:
        import_stages(modules)  # a fresh process knows only the stages its imports register
        _worker_pipeline = Pipeline(stages)  # models load once per worker, not per document
    except StageLoadError as error:
        # Raised from the initializer it would break the pool, and every document would read as a crash: keep it
        # and raise it from the first task instead, where the parent sees it and stops the run.
        _worker_load_error = error
    except Exception as error:
        log.error("worker could not start its pipeline", exc_info=True)
        _worker_load_error = StageLoadError("(import)", f"{type(error).__name__}: {error}")


def _process_in_worker(document: Document) -> Result:
    if _worker_load_error is not None:
        raise _worker_load_error
    assert _worker_pipeline is not None, "worker started without its pipeline"
    return _worker_pipeline.process(document)


class ProcessPoolRunner(LocalRunner):
    """Worker processes, each building the pipeline once; results come back in input order.

    At most ``workers * 4`` documents are in flight, so memory stays flat on any corpus size.
    A worker that dies (a crash in native code) costs only the document it was working on; a stage that cannot be
    built stops the run with StageLoadError.
    """

    def __init__(
        self, stages: Sequence[str] = DEFAULT_STAGES, workers: int | None = None, *, log_file: str | None = None
    ) -> None:
        check_pipeline(stages)  # here, not in each worker, where it would read as a stage that failed to load
        self.stages = tuple(stages)
        self._modules = stage_modules(self.stages)
        self.workers = workers or os.cpu_count() or 1
        self.log_file = log_file
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
            initargs=(self.stages, self._modules, self.log_file),
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


def make_runner(
    workers: int, stages: Sequence[str] = DEFAULT_STAGES, *, log_file: str | None = None
) -> InProcessRunner | ProcessPoolRunner:
    """In-process for one worker, a process pool for more."""
    if workers <= 1:
        return InProcessRunner(stages, log_file=log_file)
    return ProcessPoolRunner(stages, workers, log_file=log_file)


@functools.cache
def shared_runner() -> InProcessRunner:
    """One in-process runner of the default stages per process: the models load on its first use, not on every call."""
    return InProcessRunner()
