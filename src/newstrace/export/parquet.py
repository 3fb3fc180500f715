"""Every store table as a Parquet file (pyarrow), typed from the table's columns, written in bounded batches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Float, Integer, LargeBinary, Table, select

from newstrace.store import Store
from newstrace.store.rows import span_texts
from newstrace.store.schema import FACT_TABLES, articles, failures, sources

__all__ = ["EXPORTED_TABLES", "export_parquet"]

EXPORTED_TABLES: tuple[Table, ...] = (articles, *FACT_TABLES, sources, failures)
BATCH_ROWS = 20_000


def _arrow_type(column_type: Any) -> Any:
    import pyarrow as pa

    if isinstance(column_type, Boolean):
        return pa.bool_()
    if isinstance(column_type, Integer):
        return pa.int64()
    if isinstance(column_type, Float):
        return pa.float64()
    if isinstance(column_type, LargeBinary):
        return pa.binary()
    return pa.string()


def export_parquet(store: Store, folder: Path) -> dict[str, int]:
    """Write ``<table>.parquet`` per table of ``store`` into ``folder`` (needs pyarrow); return the rows per table.

    The articles' compressed ``data`` column is left out: what it holds (removed spans, the source map) is in the
    JSON Lines export, and analysis tools cannot read zlib. Fact tables get their span texts back (``content_text``,
    ``text``, ...), cut from the article text as the store reads them.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for table in EXPORTED_TABLES:
        columns: list[Any] = [column for column in table.columns if not (table is articles and column.name == "data")]
        texts = span_texts(table)
        schema = pa.schema(
            [pa.field(column.name, _arrow_type(column.type)) for column in columns]
            + [pa.field(label.name, pa.string()) for label in texts]
        )
        columns += texts
        query = select(*columns).order_by(*table.primary_key.columns)
        if texts:
            query = query.join_from(table, articles, articles.c.pk == table.c.article)
        rows = 0
        with pq.ParquetWriter(folder / f"{table.name}.parquet", schema) as writer, store.engine.connect() as connection:
            result = connection.execution_options(yield_per=BATCH_ROWS).execute(query)
            for partition in result.partitions():
                batch = {field.name: [row[i] for row in partition] for i, field in enumerate(schema)}
                writer.write_table(pa.Table.from_pydict(batch, schema=schema))
                rows += len(partition)
        written[table.name] = rows
    return written
