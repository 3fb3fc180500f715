"""The ingest job: the inputs under paths through a runner into a sink, in batches; what the CLI and the API run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from newstrace.export.sinks import Sink
from newstrace.ingest import DEFAULT_MAX_BYTES
from newstrace.model import Article, Failure
from newstrace.run.local import Present, Runner

__all__ = ["IngestSummary", "failure_kind", "ingest", "store_results"]

ItemCallback = Callable[[str, Article | Failure | Present], None]


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
    runner: Runner,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_size: int = 50,
    on_item: ItemCallback | None = None,
) -> IngestSummary:
    """Ingest every input under ``paths`` into ``store`` (a Store or another sink); safe to re-run and to resume.

    Inputs whose content hash is stored already are passed over before any work (the runner asks the sink); each
    batch of results is committed in one transaction, so a killed run loses at most its open batch, which the next
    run redoes.
    """
    results = runner.run_paths(paths, held=store, max_bytes=max_bytes)
    return store_results(results, store, batch_size=batch_size, on_item=on_item)


def store_results(
    results: Iterable[Article | Failure | Present],
    store: Sink,
    *,
    batch_size: int = 50,
    on_item: ItemCallback | None = None,
) -> IngestSummary:
    """Write a runner's results into ``store``, ``batch_size`` to a transaction, and count them.

    ``on_item`` hears of each result as it comes: "processed" (an Article), "skipped" (a Failure) or "present".
    """
    summary = IngestSummary()
    notify = on_item or (lambda _status, _item: None)

    def commit(batch: list[Article | Failure]) -> None:
        written = store.write(batch)
        summary.stored += written.stored
        summary.already_present += written.already_present
        for refused in written.refused:  # an article the database could not hold: skipped, its batch stored
            summary.skipped[failure_kind(refused)] += 1
            notify("skipped", refused)
        batch.clear()

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
