"""The pipeline on Ray Data: input shards read as blocks, the stages on an actor pool, results streamed back in order.

Needs the optional extra (``pip install 'newstrace[ray]'``). The driver (this process) lists the shards, passes the
content hashes its sink holds to the readers so stored inputs are skipped before any work, and writes the results
through the same sinks as the local runners, in input order, one transaction per batch.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from newstrace.ingest import DEFAULT_MAX_BYTES, Shard, iter_shards, read_shard
from newstrace.model import Article, Failure
from newstrace.pipeline import DEFAULT_STAGES, Pipeline, StageLoadError
from newstrace.runner import Present, import_stages, log_errors_to, stage_modules

__all__ = ["RAY_MISSING", "ClusterError", "RayRunner", "ray_available"]

RAY_MISSING = "--engine ray needs Ray: pip install 'newstrace[ray]'"

# Rows between the stages: what kind of item and the item itself, pickled (Ray Data moves bytes columns cheaply).
_DOCUMENT, _FAILURE, _ARTICLE, _PRESENT = "document", "failure", "article", "present"


class ClusterError(Exception):
    """The Ray cluster cannot be reached or started; the message says which and why, in one line."""


def ray_available() -> bool:
    """Whether Ray Data can be imported here."""
    try:
        import ray.data  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class _Reader:
    """Reads the shard a row names into rows; inputs whose hash is in ``known`` become 'present' rows without bytes."""

    known: Any  # an ObjectRef of a frozenset of hashes: one copy per node, not one per task
    max_bytes: int
    captured: str

    def __call__(self, row: dict[str, Any]) -> list[dict[str, Any]]:
        import ray

        known: frozenset[str] = ray.get(self.known)
        rows = []
        for item in read_shard(_shard_from_row(row), max_bytes=self.max_bytes, captured=self.captured):
            if isinstance(item, Failure):
                rows.append({"kind": _FAILURE, "payload": pickle.dumps(item)})
            elif item.source_hash in known:
                rows.append({"kind": _PRESENT, "payload": pickle.dumps(Present(item.source, item.source_hash))})
            else:
                rows.append({"kind": _DOCUMENT, "payload": pickle.dumps(item)})
        return rows


def _shard_row(shard: Shard) -> dict[str, Any]:
    """A shard as a row of plain columns (a count of -1: to the end of the file)."""
    return {
        "path": shard.path,
        "in_directory": shard.in_directory,
        "offset": shard.offset,
        "first": shard.first,
        "count": -1 if shard.count is None else shard.count,
    }


def _shard_from_row(row: dict[str, Any]) -> Shard:
    count = int(row["count"])
    return Shard(
        str(row["path"]),
        bool(row["in_directory"]),
        int(row["offset"]),
        int(row["first"]),
        None if count < 0 else count,
    )


class _PipelineActor:
    """One per actor: builds the pipeline once (its models load here) and runs it over each batch of documents."""

    def __init__(self, stages: tuple[str, ...], modules: tuple[str, ...], log_file: str | None) -> None:
        log_errors_to(log_file)
        self.load_error: StageLoadError | None = None
        self.pipeline: Pipeline | None = None
        try:
            import_stages(modules)
            self.pipeline = Pipeline(stages)
        except StageLoadError as error:
            # Raised here Ray would restart the actor again and again; raised from the first batch it stops the run.
            self.load_error = error

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        if self.load_error is not None:
            raise self.load_error
        assert self.pipeline is not None
        kinds, payloads = [], []
        for kind, payload in zip(batch["kind"], batch["payload"], strict=True):
            if kind == _DOCUMENT:
                result = self.pipeline.process(pickle.loads(payload))
                kind = _ARTICLE if isinstance(result, Article) else _FAILURE
                payload = pickle.dumps(result)
            kinds.append(str(kind))
            payloads.append(bytes(payload))
        return {"kind": kinds, "payload": payloads}


class RayRunner:
    """The pipeline over input shards on a Ray cluster (``address``), or a local Ray started here.

    ``actors`` pipeline actors of one CPU each run batches of ``batch_size`` documents (default: one actor per CPU
    of the cluster); WARC and JSONL files are split into shards of ``records_per_shard`` records read in parallel.
    Ray retries a batch whose actor died, on a new actor; results come back in input order.
    """

    def __init__(
        self,
        stages: Sequence[str] = DEFAULT_STAGES,
        *,
        address: str | None = None,
        num_cpus: int | None = None,
        actors: int | None = None,
        batch_size: int = 8,
        records_per_shard: int = 50,
        log_file: str | None = None,
    ) -> None:
        self.stages = tuple(stages)
        self.address = address
        self.num_cpus = num_cpus
        self.actors = actors
        self.batch_size = batch_size
        self.records_per_shard = records_per_shard
        self.log_file = os.path.abspath(log_file) if log_file else None

    def shards(self, paths: Iterable[str]) -> list[Shard]:
        """The shards these paths split into."""
        return list(iter_shards(paths, records_per_shard=self.records_per_shard))

    def run_shards(
        self,
        shards: Sequence[Shard],
        *,
        known: frozenset[str] = frozenset(),
        max_bytes: int = DEFAULT_MAX_BYTES,
        today: date | None = None,
    ) -> Iterator[Article | Failure | Present]:
        """Every result of the shards' inputs, in input order; StageLoadError if a stage cannot be built, ClusterError
        if Ray cannot be reached."""
        import ray
        import ray.data

        if any(shard.path == "-" for shard in shards):
            raise ValueError("--engine ray reads files, not standard input")
        if not shards:
            return
        self._connect()
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True  # the store numbers articles in input order, as locally
        context.enable_progress_bars = False  # the caller shows one bar for the whole run
        context.print_on_execution_start = False
        resources: dict[str, float] = ray.cluster_resources()  # type: ignore[no-untyped-call]
        actors = self.actors or max(1, int(resources.get("CPU", 1)))
        reader = _Reader(ray.put(known), max_bytes, (today or date.today()).isoformat())
        dataset = (
            # One block per shard: each read task reads one shard, named in its row (the list is not sent to each).
            ray.data.from_items([_shard_row(shard) for shard in shards], override_num_blocks=len(shards))
            # Readers hold no CPU of their own: with one pipeline actor per CPU they would otherwise never be scheduled.
            # Reading is a small share of the work (the stages take ~100x longer), and the pool size bounds them.
            .flat_map(reader, num_cpus=0, compute=ray.data.TaskPoolStrategy(size=max(1, actors // 2)))
            .map_batches(
                _PipelineActor,
                fn_constructor_kwargs={
                    "stages": self.stages,
                    "modules": stage_modules(self.stages),
                    "log_file": self.log_file,
                },
                batch_size=self.batch_size,
                compute=ray.data.ActorPoolStrategy(size=actors),
                num_cpus=1,
            )
        )
        logging.getLogger("ray.data").setLevel(logging.ERROR)
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", module=r"ray\..*")  # advice about block counts, not about results
                for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
                    for payload in batch["payload"]:
                        yield pickle.loads(payload)
        except Exception as error:
            load_error = _load_error(error)
            if load_error is None:
                raise
            raise load_error from None

    def _connect(self) -> None:
        import ray

        if ray.is_initialized():
            return
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        # Ray's own INFO lines would break the progress bar; its logs stay in its session folder.
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.ERROR}
        try:
            if self.address:
                ray.init(address=self.address, **options)
            else:
                ray.init(num_cpus=self.num_cpus, **options)
        except (ConnectionError, TimeoutError, RuntimeError, ValueError) as error:
            where = f"the Ray cluster at {self.address}" if self.address else "a local Ray instance"
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise ClusterError(f"cannot use {where} ({reason})") from None


def _load_error(error: BaseException) -> StageLoadError | None:
    """The StageLoadError an actor raised, from under Ray's wrappers: its cause chain, else its rendered traceback.

    Ray Data re-raises a failed batch as ``RayTaskError(UserCodeException)``, whose chain does not always keep the
    original exception object; the worker's traceback text, which it always carries, names it.
    """
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, StageLoadError):
            return StageLoadError(current.stage, current.reason)
        cause = getattr(current, "cause", None)
        pending += [cause if isinstance(cause, BaseException) else None, current.__cause__, current.__context__]
    found = _LOAD_ERROR_LINE.findall(str(error))
    return StageLoadError(found[-1][0], found[-1][1]) if found else None


_LOAD_ERROR_LINE = re.compile(r"StageLoadError: stage '([^'\n]+)' failed to load \((.*)\)$", re.M)
