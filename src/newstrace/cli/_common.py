"""What every command shares: the Typer apps, the consoles, the options, opening the store, one-line errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from typer.core import TyperGroup

from newstrace.model import Failure

if TYPE_CHECKING:
    from newstrace.service import CorpusService
    from newstrace.store import Store

T = TypeVar("T")
EXIT_SKIPPED = 3
EXIT_USAGE = 2
DEFAULT_DB = "newstrace.db"
DbOption = Annotated[str, typer.Option("--db", help="SQLite database file, or a postgresql:// URL.")]
JsonLinesOption = Annotated[bool, typer.Option("--json", help="Print one JSON object per line.")]
MaxBytesOption = Annotated[int, typer.Option("--max-bytes", help="Largest input accepted, in bytes.", min=1)]

# Text is printed as written: no emoji codes (":fire:" in a headline, "lines.jsonl:100:" in a source) turned into
# emoji; markup is only this package's own: input text goes in a rich Text or is printed with markup=False, never
# through rich's escape(), which mangles backslashes ("\\[" prints as "[", a last "\\" as two).
out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


class _Commands(TyperGroup):
    """The command group: a database that fails while a command uses it (damaged, locked) is one line and exit 2."""

    def invoke(self, ctx: Any) -> Any:  # typer.Context, whose base is typer's own copy of click's
        # The store's modules are imported by the commands that open one, not at start: here only once one has failed.
        try:
            return super().invoke(ctx)
        except Exception as error:
            from sqlalchemy.exc import DatabaseError

            from newstrace.store import store_error_line

            if not isinstance(error, DatabaseError):
                raise
            err.print(f"newstrace: the database cannot be used ({store_error_line(error.orig or error)})", markup=False)
            raise typer.Exit(EXIT_USAGE) from None


app = typer.Typer(
    cls=_Commands,
    no_args_is_help=True,
    add_completion=False,
    help="Turn raw news pages into an evidence-linked record of who said what, when.",
)
evaluate_app = typer.Typer(no_args_is_help=True, help="Score newstrace on public benchmarks.")


def _print_version(value: bool) -> None:
    if value:
        from newstrace import __version__

        typer.echo(f"newstrace {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Turn raw news pages into an evidence-linked record of who said what, when."""


def report_failure(failure: Failure, console: Console = err) -> None:
    """One line on stderr naming an input that was skipped and why."""
    console.print(f"newstrace: skipped {failure.source}: {failure.reason}", markup=False)


def usage_error(message: str) -> NoReturn:
    """One line on stderr and exit code 2: the command was given something it cannot use."""
    err.print(f"newstrace: {message}", markup=False)
    raise typer.Exit(EXIT_USAGE)


def within_budget(what: str, read: Callable[[], T]) -> T:
    """``read()``, or one line and exit 2 when it runs past the store's time budget (as the API's 503)."""
    from newstrace.store import QueryTimeout

    try:
        return read()
    except QueryTimeout as error:
        usage_error(f"the {what} took longer than {error.seconds:g} s; narrow it")


def not_found(message: str) -> NoReturn:
    """One line on stderr and exit code 1: what was asked for is not in the store."""
    err.print(f"newstrace: {message}", markup=False)
    raise typer.Exit(1)


def require_path(path: str) -> None:
    """An empty input path ends the command with one line and exit code 2."""
    # An empty argument (an unset shell variable) would otherwise read as the current directory.
    if not path.strip():
        usage_error("an input path is empty (an unset variable?)")


def is_date(value: str) -> bool:
    """Whether ``value`` is a YYYY-MM-DD calendar date."""
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def check_dates(**dates: str | None) -> None:
    """A --since or --until that is not a YYYY-MM-DD date ends the command with one line and exit code 2."""
    for name, value in dates.items():
        if value is not None and not is_date(value):
            usage_error(f"--{name} {value!r} is not a date (YYYY-MM-DD)")


def open_store(db: str, *, must_exist: bool = True) -> Store:
    """The store at ``db``; a missing file (when one must exist) exits 1, an unusable one exits 2, each in one line."""
    from newstrace.store import Store, StoreError

    if not db.strip():
        usage_error("--db is empty")
    try:
        missing = must_exist and "://" not in db and not Path(db).expanduser().exists()
    except OSError as error:  # a name too long for the file system
        usage_error(f"{db}: {error.strerror or error}")
    if missing:
        err.print(f"newstrace: no database at {db} (run `newstrace ingest` first)", markup=False)
        raise typer.Exit(1)
    try:
        # Only ingest makes a store; a reading command never turns an empty or foreign file into one.
        return Store(db, create=not must_exist)
    except StoreError as error:
        usage_error(str(error))


def corpus_service(store: Store) -> CorpusService:
    """The service layer over an open store (imported here: a command's start does not load the store's code)."""
    from newstrace.service import CorpusService

    return CorpusService(store)


def progress_bar(label: str) -> Progress:
    """A transient progress bar on stderr for a run over a benchmark's items."""
    return Progress(
        SpinnerColumn(),
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


@contextmanager
def benchmark_folder() -> Iterator[None]:
    """A folder that is not in the benchmark's format ends the command with one line and exit code 2."""
    try:
        yield
    except FileNotFoundError as error:
        err.print(f"newstrace: {error}", markup=False)
        raise typer.Exit(2) from None
