"""Sinks: where a run's results go. The store (SQL) and Parquet files per table, both idempotent by content hash."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from newstrace.export.parquet import EXPORTED_TABLES, _arrow_type
from newstrace.model import Article, Failure
from newstrace.store import Store, WriteResult
from newstrace.store.rows import article_row, fact_rows, with_span_texts
from newstrace.store.schema import SPAN_TEXTS, articles, failures, metadata

__all__ = ["Held", "NoStoreForOutput", "OutputError", "ParquetSink", "Sink", "TeeSink", "UnknownOutput", "parse_output"]


class Held(Protocol):
    """What a sink holds already, as runners ask it: in batches as inputs stream by, or all at once up front."""

    def known_sources(self, hashes: Iterable[str]) -> set[str]:
        """Which of these input hashes are held already."""
        ...

    def held_sources(self) -> set[str]:
        """Every input hash held: a runner that reads its inputs remotely passes over these before any work."""
        ...


class Sink(Held, Protocol):
    """Takes batches of results; knows which inputs (content hashes) it holds already."""

    def write(self, results: Iterable[Article | Failure]) -> WriteResult:
        """Keep a batch of articles and failures, all or nothing; content held already is kept once."""
        ...


class ParquetSink:
    """One folder per store table (``articles/``, ``statements/``, … ``sources/``, ``failures/``) of Parquet parts.

    Each ``write`` adds one part to every table, with the same columns as the store's tables and ``export --format
    parquet`` (the articles' compressed ``data`` aside); facts join articles on ``article`` = ``articles.pk`` as in
    the store. The ``sources`` part is written last and commits the batch: on opening, parts of a batch a killed run
    left without its ``sources`` part are removed, so re-running redoes that batch and holds each input once.
    """

    def __init__(self, folder: str | Path) -> None:
        import pyarrow.parquet as pq

        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._schemas = {table.name: _schema(table) for table in EXPORTED_TABLES}
        for name in self._schemas:
            (self.folder / name).mkdir(exist_ok=True)
        committed = {part.name for part in (self.folder / "sources").glob("part-*.parquet")}
        for name in self._schemas:
            for part in (self.folder / name).glob("part-*"):
                if part.name not in committed:
                    part.unlink()  # the rest of a batch whose commit never happened
        self._parts = len(committed)
        self.hashes: set[str] = set()
        self._article_ids: set[str] = set()
        # (source, source hash, stage, reason): a re-run over the same bytes records each failure once.
        self._failures: set[tuple[str, str | None, str, str]] = set()
        self._next_pk: dict[str, int] = {name: 1 for name in self._schemas}
        for name in self._schemas:
            key = _counter(name)
            for part in sorted((self.folder / name).glob("part-*.parquet")):
                if key is not None:
                    numbers = pq.read_table(part, columns=[key]).column(key).to_pylist()
                    self._next_pk[name] = max([self._next_pk[name] - 1, *numbers]) + 1
                if name == "articles":
                    self._article_ids.update(pq.read_table(part, columns=["id"]).column("id").to_pylist())
                if name == "sources":
                    self.hashes.update(pq.read_table(part, columns=["source_hash"]).column("source_hash").to_pylist())
                if name == "failures":
                    table = pq.read_table(part, columns=["source", "source_hash", "stage", "reason"]).to_pydict()
                    columns = (table["source"], table["source_hash"], table["stage"], table["reason"])
                    self._failures.update(zip(*columns, strict=True))

    def known_sources(self, hashes: Iterable[str]) -> set[str]:
        """Which of these input hashes the folder holds already."""
        return {value for value in hashes if value in self.hashes}

    def held_sources(self) -> set[str]:
        """Every input hash the folder holds."""
        return set(self.hashes)

    def write(self, results: Iterable[Article | Failure]) -> WriteResult:
        """Add one part per table for this batch; an article whose id is held already adds only its source."""
        outcome = WriteResult()
        now = _now()
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in self._schemas}
        ids: set[str] = set()
        failed: set[tuple[str, str | None, str, str]] = set()
        for item in results:
            if isinstance(item, Failure):
                outcome.failures += 1
                key = (item.source, item.source_hash, item.stage, item.reason)
                if key in self._failures or key in failed:
                    continue
                failed.add(key)
                rows["failures"].append(
                    {
                        "id": self._take("failures"),
                        "source": item.source,
                        "source_hash": item.source_hash,
                        "stage": item.stage,
                        "reason": item.reason,
                        "failed_at": now,
                    }
                )
                continue
            if item.id in self._article_ids or item.id in ids:
                outcome.already_present += 1
            else:
                ids.add(item.id)
                pk = self._take("articles")
                row = article_row(item, now)
                del row["data"]
                rows["articles"].append({"pk": pk, **row})
                for name, facts in fact_rows(item, pk).items():
                    for fact in facts:
                        fact = with_span_texts(name, fact, item.text)  # as `export --format parquet` writes them
                        rows[name].append(
                            {"pk": self._take(name), **fact} if "pk" in self._schemas[name].names else fact
                        )
                outcome.stored += 1
            if item.source_hash not in self.hashes:
                self.hashes.add(item.source_hash)
                rows["sources"].append(
                    {"source_hash": item.source_hash, "source": item.source, "article_id": item.id, "ingested_at": now}
                )
        self._commit(rows)
        self._article_ids |= ids
        self._failures |= failed
        return outcome

    def _take(self, table: str) -> int:
        pk = self._next_pk[table]
        self._next_pk[table] = pk + 1
        return pk

    def _commit(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        name = f"part-{self._parts:06}-{os.getpid()}.parquet"
        self._parts += 1
        for table in [*(t for t in self._schemas if t != "sources"), "sources"]:  # sources last: it commits
            schema = self._schemas[table]
            columns = {field.name: [row.get(field.name) for row in rows[table]] for field in schema}
            temporary = self.folder / table / f".{name}.tmp"
            pq.write_table(pa.Table.from_pydict(columns, schema=schema), temporary)
            temporary.rename(self.folder / table / name)


class TeeSink:
    """Several sinks as one: an input is known only when every sink holds it, and each batch goes to all."""

    def __init__(self, sinks: list[Sink]) -> None:
        self.sinks = sinks

    def known_sources(self, hashes: Iterable[str]) -> set[str]:
        """The hashes every sink holds."""
        wanted = list(hashes)
        known = set(wanted)
        for sink in self.sinks:
            known &= sink.known_sources(wanted)
        return known

    def held_sources(self) -> set[str]:
        """The hashes every sink holds."""
        held = [sink.held_sources() for sink in self.sinks]
        return set.intersection(*held) if held else set()

    def write(self, results: Iterable[Article | Failure]) -> WriteResult:
        """Write to each sink; the counts are the first sink's."""
        batch = list(results)
        outcomes = [sink.write(batch) for sink in self.sinks]
        return outcomes[0]


class OutputError(ValueError):
    """An output value that names no sink here; ``output`` is the value as given."""

    def __init__(self, output: str, message: str) -> None:
        super().__init__(message)
        self.output = output


class UnknownOutput(OutputError):
    """The value is neither ``db`` nor ``parquet:DIR``."""


class NoStoreForOutput(OutputError):
    """``db`` was asked for without a store to write to."""


def parse_output(value: str, store: Store | None) -> Sink:
    """``db`` (the store) or ``parquet:DIR``: UnknownOutput or NoStoreForOutput when the value names no sink.

    ImportError where pyarrow is missing and OSError where the folder cannot be made pass through as they are.
    """
    if value == "db":
        if store is None:
            raise NoStoreForOutput(value, "output db without a store")
        return store
    kind, _, where = value.partition(":")
    if kind != "parquet" or not where.strip():
        raise UnknownOutput(value, f"unknown output {value!r}")
    return ParquetSink(where)


def _schema(table: Any) -> Any:
    import pyarrow as pa

    columns = [column for column in table.columns if not (table is articles and column.name == "data")]
    texts = [pa.field(name, pa.string()) for name in SPAN_TEXTS.get(table.name, {})]
    return pa.schema([pa.field(column.name, _arrow_type(column.type)) for column in columns] + texts)


def _counter(table: str) -> str | None:
    """The column a table numbers its rows by (None: keyed otherwise, by hash, by article or by article and number)."""
    if table == failures.name:
        return "id"
    return "pk" if "pk" in metadata.tables[table].c else None


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
