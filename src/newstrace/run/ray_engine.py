"""The pipeline on Ray Data: input shards as blocks, read and run by an actor pool, results streamed back in order.

Needs the optional extra (``pip install 'newstrace[ray]'``); Ray is imported only when a run starts. The driver (this
process) lists the shards and sends the actors a Bloom filter of the content hashes its sink holds (about 3.6 bytes a
hash, one copy per node), so inputs it holds are passed over before any work: an input the filter holds comes back
unrun, the driver asks the sink about it in a batch, and one the sink does not hold (a false positive, about one in a
million) is read again and run on a spare actor, in its place. The ingest job writes the results through the same sinks
as the local runners, in input order, one transaction per batch.
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
from newstrace.pipeline import DEFAULT_STAGES, Pipeline, StageLoadError, check_pipeline
from newstrace.run._bloom import BloomFilter
from newstrace.run.local import LOOKUP_BATCH, Held, Present, import_stages, log_errors_to, stage_modules

__all__ = ["SKIP_ERROR", "ClusterError", "RayRunner", "ray_available"]

# The share of new inputs the skip filter takes for stored ones: each is asked about and run apart (see _Settle).
SKIP_ERROR = 1e-6


class ClusterError(Exception):
    """The Ray cluster cannot be reached or started; the message says which and why, in one line."""


def ray_available() -> bool:
    """Whether Ray Data can be imported here."""
    try:
        import ray.data  # noqa: F401
    except ImportError:
        return False
    return True


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


@dataclass(frozen=True, slots=True)
class _Maybe:
    """An input whose hash the skip filter holds, not run: the driver asks the sink, and has it run if not held."""

    source: str
    source_hash: str
    shard: Shard  # where to read it again


class _PipelineActor:
    """One per actor: builds the pipeline once (its models load here), then reads each shard it is given and runs it.

    Reading happens here, not in a stage of its own, so a page's bytes never pass through Ray's object store: a reading
    stage ran ahead of the pipeline and filled the store with every page read, and each actor came to map more and more
    of its pages (the whole run's worth at 1,000 records). Only the results travel, in blocks of ``batch_size``.
    """

    def __init__(
        self,
        stages: tuple[str, ...],
        modules: tuple[str, ...],
        log_file: str | None,
        skip: Any,  # an ObjectRef of a BloomFilter of the hashes held (its bits: one copy per node), or None
        max_bytes: int,
        captured: str,
        batch_size: int,
    ) -> None:
        import ray

        log_errors_to(log_file)
        self.skip: BloomFilter | None = None if skip is None else ray.get(skip)
        self.max_bytes = max_bytes
        self.captured = captured
        self.batch_size = batch_size
        self.load_error: StageLoadError | None = None
        self.pipeline: Pipeline | None = None
        try:
            import_stages(modules)
            self.pipeline = Pipeline(stages)
        except StageLoadError as error:
            # Raised here Ray would restart the actor again and again; raised from the first batch it stops the run.
            self.load_error = error

    def __call__(self, shards: dict[str, Any]) -> Iterator[dict[str, list[bytes]]]:
        """Each result of the shards' inputs, pickled, in rows of one ``payload`` column, ``batch_size`` per block."""
        if self.load_error is not None:
            raise self.load_error
        assert self.pipeline is not None
        payloads: list[bytes] = []
        for index in range(len(shards["path"])):
            shard = _shard_from_row({column: values[index] for column, values in shards.items()})
            for item in read_shard(shard, max_bytes=self.max_bytes, captured=self.captured):
                result: Article | Failure | _Maybe
                if isinstance(item, Failure):
                    result = item
                elif self.skip is not None and item.source_hash in self.skip:
                    result = _Maybe(item.source, item.source_hash, shard)
                else:
                    result = self.pipeline.process(item)
                payloads.append(pickle.dumps(result))
                if len(payloads) >= self.batch_size:
                    yield {"payload": payloads}
                    payloads = []
        if payloads:
            yield {"payload": payloads}

    def redo(self, shard: Shard, source: str, source_hash: str) -> bytes:
        """The result of one input of ``shard`` that the filter took for a stored one and the sink does not hold."""
        if self.load_error is not None:
            raise self.load_error
        assert self.pipeline is not None
        for item in read_shard(shard, max_bytes=self.max_bytes, captured=self.captured):
            if not isinstance(item, Failure) and (item.source, item.source_hash) == (source, source_hash):
                return pickle.dumps(self.pipeline.process(item))
        return pickle.dumps(Failure(source, "ingest", "changed while the run read it", source_hash))


class RayRunner:
    """The pipeline over input shards on a Ray cluster (``address``), or a local Ray started here.

    ``actors`` pipeline actors of one CPU each (default: one per CPU of the cluster) read and run shards: WARC and
    JSONL files split into runs of ``records_per_shard`` records, other files one each. Results come back in blocks of
    ``batch_size`` and in input order; Ray retries a shard whose actor died, on a new actor.
    """

    def __init__(
        self,
        stages: Sequence[str] = DEFAULT_STAGES,
        *,
        address: str | None = None,
        num_cpus: int | None = None,
        actors: int | None = None,
        batch_size: int = 8,
        records_per_shard: int = 16,
        log_file: str | None = None,
        skip_error: float = SKIP_ERROR,
    ) -> None:
        check_pipeline(stages)  # in the driver: an actor that raised it would be restarted over and over
        self.stages = tuple(stages)
        self.address = address
        self.num_cpus = num_cpus
        self.actors = actors
        self.batch_size = batch_size
        self.records_per_shard = records_per_shard
        self.log_file = os.path.abspath(log_file) if log_file else None
        self.skip_error = skip_error

    def run_paths(
        self, paths: Iterable[str], *, held: Held | None = None, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> Iterator[Article | Failure | Present]:
        """Every result of the inputs under ``paths``, in input order; the actors read the shards themselves, so pages
        never pass through Ray's object store, and pass over every input ``held`` holds."""
        return self.run_shards(self.shards(paths), held=held, max_bytes=max_bytes)

    def shards(self, paths: Iterable[str]) -> list[Shard]:
        """The shards these paths split into."""
        return list(iter_shards(paths, records_per_shard=self.records_per_shard))

    def skip_filter(self, held: Held) -> BloomFilter | None:
        """A Bloom filter of every hash ``held`` holds, which the actors pass over (None: it holds none)."""
        hashes = held.held_sources()
        return BloomFilter.of(hashes, capacity=len(hashes), error=self.skip_error) if hashes else None

    def run_shards(
        self,
        shards: Sequence[Shard],
        *,
        held: Held | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        today: date | None = None,
    ) -> Iterator[Article | Failure | Present]:
        """Every result of the shards' inputs, in input order, those ``held`` holds as Present; StageLoadError if a
        stage cannot be built, ClusterError if Ray cannot be reached."""
        import ray
        import ray.data

        if any(shard.path == "-" for shard in shards):
            raise ValueError("the Ray runner reads files, not standard input")
        if not shards:
            return
        self._connect()
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True  # the store numbers articles in input order, as locally
        context.enable_progress_bars = False  # the caller shows one bar for the whole run
        context.print_on_execution_start = False
        resources: dict[str, float] = ray.cluster_resources()  # type: ignore[no-untyped-call]
        actors = self.actors or max(1, int(resources.get("CPU", 1)))
        skip = self.skip_filter(held) if held is not None else None
        arguments = {
            "stages": self.stages,
            "modules": stage_modules(self.stages),
            "log_file": self.log_file,
            "skip": None if skip is None else ray.put(skip),
            "max_bytes": max_bytes,
            "captured": (today or date.today()).isoformat(),
            "batch_size": self.batch_size,
        }
        del skip  # its bits are in the object store now
        dataset = ray.data.from_items(
            # One block per shard, each naming its shard in one row (the list is not sent to each actor).
            [_shard_row(shard) for shard in shards],
            override_num_blocks=len(shards),
        ).map_batches(
            _PipelineActor,
            fn_constructor_kwargs=arguments,
            batch_size=1,  # one shard per call; its results come back in blocks of batch_size
            compute=ray.data.ActorPoolStrategy(size=actors),
            num_cpus=1,
        )
        logging.getLogger("ray.data").setLevel(logging.ERROR)
        settle = _Settle(held, {**arguments, "skip": None})
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", module=r"ray\..*")  # advice about block counts, not about results
                blocks = dataset.iter_batches(batch_size=None, batch_format="numpy")
                yield from settle([pickle.loads(payload) for payload in batch["payload"]] for batch in blocks)
        except Exception as error:
            load_error = _load_error(error)
            if load_error is None:
                raise
            raise load_error from None
        finally:
            settle.close()

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


class _Settle:
    """The driver's half of the skip filter: which of the inputs the actors passed over the sink really holds.

    Results pass straight through until one is a ``_Maybe``; from there they wait, and the sink is asked about the
    waiting hashes in one batch once ``LOOKUP_BATCH`` of them wait, or a result to write waits behind them, or the
    results end. A hash it holds becomes Present; one it does not (a false positive of the filter) is read again and
    run on a spare actor, started at the first one (no CPU of its own: at ``SKIP_ERROR`` it is seldom needed), and its
    result takes its place: a false positive never passes over a new input, and the order stays the input order.
    """

    def __init__(self, held: Held | None, arguments: dict[str, Any]) -> None:
        self.held = held
        self.arguments = arguments
        self.actor: Any = None

    def __call__(self, blocks: Iterable[list[Article | Failure | _Maybe]]) -> Iterator[Article | Failure | Present]:
        waiting: list[Article | Failure | _Maybe] = []
        maybes = 0
        for block in blocks:
            waiting += block
            maybes += sum(isinstance(result, _Maybe) for result in block)
            if 0 < maybes == len(waiting) and maybes < LOOKUP_BATCH:
                continue  # only hashes to ask about wait: ask about more of them at once
            yield from self._settled(waiting)
            waiting, maybes = [], 0
        yield from self._settled(waiting)

    def _settled(self, results: list[Article | Failure | _Maybe]) -> Iterator[Article | Failure | Present]:
        import ray

        asked = [result.source_hash for result in results if isinstance(result, _Maybe)]
        known = self.held.known_sources(asked) if asked and self.held is not None else set()
        redone = {
            index: self._redo(result)
            for index, result in enumerate(results)
            if isinstance(result, _Maybe) and result.source_hash not in known
        }  # all sent before any is awaited
        for index, result in enumerate(results):
            if index in redone:
                yield pickle.loads(ray.get(redone[index]))
            elif isinstance(result, _Maybe):
                yield Present(result.source, result.source_hash)
            else:
                yield result

    def _redo(self, maybe: _Maybe) -> Any:
        import ray

        if self.actor is None:
            spare = ray.remote(_PipelineActor).options(num_cpus=0, max_restarts=3, max_task_retries=3)
            self.actor = spare.remote(**self.arguments)
        return self.actor.redo.remote(maybe.shard, maybe.source, maybe.source_hash)

    def close(self) -> None:
        """End the spare actor, if one was started."""
        if self.actor is not None:
            import ray

            ray.kill(self.actor)
            self.actor = None


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
