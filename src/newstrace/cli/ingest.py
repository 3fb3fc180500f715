"""``newstrace ingest``: analyse inputs into the store (or Parquet) with a progress bar over the input bytes."""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from newstrace.cli._common import (
    DEFAULT_DB,
    EXIT_SKIPPED,
    DbOption,
    MaxBytesOption,
    err,
    open_store,
    report_failure,
    require_path,
    usage_error,
)
from newstrace.ingest import DEFAULT_MAX_BYTES, input_files, source_name
from newstrace.model import Article, Failure

if TYPE_CHECKING:
    from newstrace.export.sinks import Sink
    from newstrace.run.local import Present, Runner
    from newstrace.store import Store

RAY_MISSING = "--engine ray needs Ray: pip install 'newstrace[ray]'"


class Engine(StrEnum):
    """Where ingest runs the pipeline."""

    local = "local"
    ray = "ray"


def ingest_command(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, archives, or - for stdin.")],
    db: DbOption = DEFAULT_DB,
    workers: Annotated[int, typer.Option("--workers", help="Worker processes (1 runs in-process).", min=1)] = 2,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Articles per transaction.", min=1)] = 50,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    engine: Annotated[Engine, typer.Option("--engine", help="local (worker processes) or ray (a Ray cluster).")] = (
        Engine.local
    ),
    address: Annotated[
        str | None, typer.Option("--address", help="Ray cluster: auto or ray://HOST:PORT (default: start one here).")
    ] = None,
    outputs: Annotated[
        list[str] | None, typer.Option("--output", help="db (the default) or parquet:DIR; repeat for both.")
    ] = None,
    log_file: Annotated[
        str, typer.Option("--log", help="File for the tracebacks of internal errors (made when one happens).")
    ] = "newstrace-errors.log",
) -> None:
    """Analyse inputs and store the articles; re-running adds nothing already stored."""
    # The runners, the store and the sinks load with the command, not with every command's start.
    from newstrace.export.sinks import TeeSink
    from newstrace.pipeline import StageLoadError
    from newstrace.run.job import ingest
    from newstrace.run.local import make_runner
    from newstrace.run.ray_engine import ClusterError, RayRunner

    for path in paths:
        require_path(path)
    if engine is Engine.ray:
        from newstrace.run.ray_engine import ray_available

        if not ray_available():
            usage_error(RAY_MISSING)
        if "-" in paths:
            usage_error("--engine ray reads files, not standard input")
    elif address is not None:
        usage_error("--address needs --engine ray")
    wanted = outputs or ["db"]
    for value in wanted:
        if value != "db" and not re.fullmatch(r"parquet:.*\S.*", value):
            usage_error(f"--output {value!r}: expected 'db' or 'parquet:DIR'")  # before the database is made
    inputs = InputBytes(paths)
    with open_store(db, must_exist=False) if "db" in wanted else contextlib.nullcontext() as store:
        sinks = [_output(value, store) for value in dict.fromkeys(wanted)]
        sink = sinks[0] if len(sinks) == 1 else TeeSink(sinks)
        runner: Runner
        if engine is Engine.ray:
            # A local instance gets --workers CPUs and as many actors; a cluster's size decides for itself.
            local_cpus = None if address else workers
            runner = RayRunner(address=address, num_cpus=local_cpus, actors=local_cpus, log_file=log_file)
            runner_note = f"Ray ({address or f'local, {workers} CPUs'})"
        else:
            runner = make_runner(workers, log_file=log_file)
            runner_note = f"{workers} worker{'s' if workers > 1 else ''}"
        progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("[dim]{task.fields[status]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=err,
        )
        counts: Counter[str] = Counter()
        with progress:
            if store is not None:
                store.stories.on_replay = _story_replay_progress(progress)
            # Until the first result, the workers are starting and loading their models: say so, not "0 inputs".
            task = progress.add_task("loading models", total=inputs.total, status=f"{inputs.describe()}, {runner_note}")

            def on_item(status: str, item: Article | Failure | Present) -> None:
                counts[status] += 1
                if isinstance(item, Failure):
                    report_failure(item, progress.console)
                elif isinstance(item, Article):  # stored, but not as its bytes were: damaged or unstorable characters
                    for warning in item.warnings:
                        progress.console.print(f"newstrace: warning {item.source}: {warning}", markup=False)
                progress.update(
                    task,
                    description="ingesting",
                    advance=inputs.finished_before(item.source),
                    status=f"{counts['processed']} analysed, {counts['present']} present, {counts['skipped']} skipped",
                )

            try:
                summary = ingest(paths, sink, runner, max_bytes=max_bytes, batch_size=batch_size, on_item=on_item)
            except StageLoadError as error:
                progress.stop()
                usage_error(f"{error}; traceback in {log_file}")
            except ClusterError as error:
                progress.stop()
                usage_error(str(error))
            progress.update(task, completed=inputs.total or 0)
        total = store.count() if store is not None else None
    where = f"; {total} articles in {db}" if total is not None else ""
    written = ", ".join(value.removeprefix("parquet:") for value in wanted if value != "db")
    where += f"; Parquet in {written}" if written else ""
    err.print(
        f"ingested {summary.stored}, already present {summary.already_present}, skipped {summary.skipped_total}{where}",
        markup=False,
    )
    for reason, count in summary.skipped.most_common():
        err.print(f"  skipped {count}: {reason}", markup=False)
    if summary.skipped_total:
        raise typer.Exit(EXIT_SKIPPED)


def _output(value: str, store: Store | None) -> Sink:
    from newstrace.export.sinks import NoStoreForOutput, UnknownOutput, parse_output

    """The sink an ``--output`` value names; a usage error saying what is wrong where it names none."""
    try:
        return parse_output(value, store)
    except UnknownOutput:
        usage_error(f"--output {value!r}: expected 'db' or 'parquet:DIR'")
    except NoStoreForOutput:
        usage_error("--output db needs a database")
    except ImportError:
        usage_error("parquet output needs pyarrow: pip install 'newstrace[parquet]'")
    except OSError as error:
        usage_error(f"--output {value!r}: cannot write there ({error.strerror or error})")


class InputBytes:
    """The input files' sizes, counted before ingest starts, so progress has a total and an ETA.

    Progress is by bytes of input files finished: an archive's many records count as its size once the next file's
    first record arrives (results come back in input order). Standard input has no size: then there is no total.
    """

    def __init__(self, paths: list[str]) -> None:
        self.sizes: dict[str, int] = {}
        self.unknown = False
        for path in paths:
            target = Path(path)
            try:
                readable = path != "-" and target.exists()
                files = list(input_files(target)) if readable and target.is_dir() else [target]
            except OSError:  # a name too long to look at: ingest names it as a skipped input
                readable = False
            if not readable:
                self.unknown = self.unknown or path == "-"
                continue
            for file in files:
                with contextlib.suppress(OSError):
                    self.sizes[source_name(file)] = file.stat().st_size
        self.current: str | None = None

    @property
    def total(self) -> int | None:
        """All input bytes, or None when some come from standard input."""
        return None if self.unknown else sum(self.sizes.values())

    def describe(self) -> str:
        """'3 files, 1.2 MB' for the status line."""
        return f"{len(self.sizes):,} files, {sum(self.sizes.values()) / 1e6:,.1f} MB"

    def finished_before(self, source: str) -> int:
        """Bytes of the file that was being read, if this result comes from the next one; else 0."""
        file = source if source in self.sizes else re.sub(r"(#|:)\d+$", "", source)
        if file not in self.sizes or file == self.current:
            return 0
        finished = self.sizes.get(self.current, 0) if self.current is not None else 0
        self.current = file
        return finished


def _story_replay_progress(progress: Progress) -> Callable[[int, int], None]:
    """Shows the stored articles a store upgraded from v8 adds to its story index's tables before its first write,
    as their own bar (with its ETA), hidden when done."""
    task: TaskID | None = None

    def on_replay(done: int, total: int) -> None:
        nonlocal task
        if task is None:
            task = progress.add_task("indexing stories", total=total, status=f"{total} stored articles")
        progress.update(task, completed=done, visible=done < total)
        if done >= total:
            task = None  # a later build (another writer's, cut short) gets a bar of its own

    return on_replay
