"""Jobs that tie the stages together: ingest a corpus into the store."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from newstrace.export.sinks import Sink, held_sources
from newstrace.ingest import DEFAULT_MAX_BYTES, iter_documents
from newstrace.model import Article, Document, Failure
from newstrace.run.local import Present, Runner
from newstrace.run.ray_engine import RayRunner

__all__ = ["IngestSummary", "failure_kind", "ingest"]

ItemCallback = Callable[[str, Article | Document | Failure | Present], None]


@dataclass(slots=True)
class IngestSummary:
    """What an ingest run did: stored, already present, and skipped by reason."""

    stored: int = 0
    already_present: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def skipped_total(self) -> int:
        """How many inputs were skipped, whatever the reason."""
        return sum(self.skipped.values())


def failure_kind(failure: Failure) -> str:
    """The reason without its details: "too large (52.4 MB > 20.0 MB cap)" -> "too large"."""
    return failure.reason.split(" (", 1)[0]


def ingest(
    paths: Iterable[str],
    store: Sink,
    runner: Runner | RayRunner,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_size: int = 50,
    on_item: ItemCallback | None = None,
) -> IngestSummary:
    """Ingest every input under ``paths`` into ``store`` (a Store or another sink); safe to re-run and to resume.

    Inputs whose content hash is stored already are passed over before any work; each batch of
    results is committed in one transaction, so a killed run loses at most its open batch, which
    the next run redoes. A RayRunner reads the inputs' shards itself, on the cluster.
    """
    summary = IngestSummary()
    notify = on_item or (lambda _status, _item: None)

    def unseen(items: Iterator[Document | Failure]) -> Iterator[Document | Failure]:
        buffer: list[Document | Failure] = []
        for item in items:
            buffer.append(item)
            if len(buffer) >= batch_size:
                yield from drop_known(buffer)
                buffer = []
        yield from drop_known(buffer)

    def drop_known(buffer: list[Document | Failure]) -> Iterator[Document | Failure]:
        known = store.known_sources(item.source_hash for item in buffer if isinstance(item, Document))
        for item in buffer:
            if isinstance(item, Document) and item.source_hash in known:
                summary.already_present += 1
                notify("present", item)
            else:
                yield item

    def commit(batch: list[Article | Failure]) -> None:
        written = store.write(batch)
        summary.stored += written.stored
        summary.already_present += written.already_present
        batch.clear()

    results: Iterator[Article | Failure | Present]
    if isinstance(runner, RayRunner):
        shards = runner.shards(paths)
        results = runner.run_shards(shards, known=frozenset(held_sources(store)), max_bytes=max_bytes)
    else:
        results = runner.run(unseen(iter_documents(paths, max_bytes=max_bytes)))
    batch: list[Article | Failure] = []
    for result in results:
        if isinstance(result, Present):
            summary.already_present += 1
            notify("present", result)
            continue
        if isinstance(result, Failure):
            summary.skipped[failure_kind(result)] += 1
            notify("skipped", result)
        else:
            notify("processed", result)
        batch.append(result)
        if len(batch) >= batch_size:
            commit(batch)
    commit(batch)
    return summary
