"""Sinks: Parquet per table beside the store, idempotent by content hash, a killed batch redone on reopening."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import news_html
from newstrace.export.parquet import export_parquet
from newstrace.export.sinks import NoStoreForOutput, ParquetSink, TeeSink, UnknownOutput, parse_output
from newstrace.run.job import ingest
from newstrace.run.local import InProcessRunner
from newstrace.store import Store

pq = pytest.importorskip("pyarrow.parquet", reason="Parquet output needs pyarrow (the parquet extra)")

STAGES = ("clean", "annotate")


def corpus(folder: Path, count: int) -> list[str]:
    folder.mkdir()
    for number in range(count):
        paragraphs = [f"Ana Duarte said on Monday that berth {number} would reopen.", "Around 40 ships wait."]
        (folder / f"{number:02}.html").write_text(news_html(f"Harbour Vote {number}", paragraphs))
    (folder / "empty.txt").write_text("")
    return [str(folder)]


def read(folder: Path, table: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = pq.read_table(folder / table).to_pylist()
    return sorted(rows, key=lambda row: str(row["source_hash"])) if table.startswith("sources") else rows


def test_parquet_tables_hold_what_the_store_holds(tmp_path: Path) -> None:
    paths = corpus(tmp_path / "in", 4)
    store, parquet = Store(memory=True), ParquetSink(tmp_path / "out")
    summary = ingest(paths, TeeSink([store, parquet]), InProcessRunner(STAGES), batch_size=3)
    assert (summary.stored, summary.skipped_total) == (4, 1)
    export_parquet(store, tmp_path / "export")
    for table in ("articles", "entities", "mentions", "statements", "times", "quantities", "sources", "failures"):
        ours, exported = read(tmp_path / "out", table), read(tmp_path / "export", f"{table}.parquet")
        moments = ("ingested_at", "failed_at")
        assert [{k: v for k, v in r.items() if k not in moments} for r in ours] == [
            {k: v for k, v in r.items() if k not in moments} for r in exported
        ], table
    assert len(read(tmp_path / "out", "statements")) >= 4
    assert parquet.held_sources() == store.held_sources() and len(store.held_sources()) == 4
    assert TeeSink([store, parquet]).held_sources() == store.held_sources()


def test_rerun_adds_nothing_and_a_killed_batch_is_redone(tmp_path: Path) -> None:
    paths = corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    ingest(paths, ParquetSink(out), InProcessRunner(STAGES), batch_size=2)
    again = ingest(paths, ParquetSink(out), InProcessRunner(STAGES), batch_size=2)
    assert (again.stored, again.already_present) == (0, 3)
    assert [row["reason"] for row in read(out, "failures")] == ["empty input"]  # empty.txt, recorded once
    # A run killed between writing a batch's article part and its sources part (the commit) left this behind.
    stray = out / "articles" / "part-999999-1.parquet"
    stray.write_bytes((out / "articles" / sorted(p.name for p in (out / "articles").iterdir())[0]).read_bytes())
    reopened = ParquetSink(out)
    assert not stray.exists()
    assert len(read(out, "articles")) == 3 and len(reopened.hashes) == 3
    pks = [row["pk"] for row in read(out, "articles")]
    assert sorted(pks) == [1, 2, 3]
    facts = {row["article"] for row in read(out, "mentions")}
    assert facts <= set(pks)


def test_parse_output_names_what_is_wrong_by_type(tmp_path: Path) -> None:
    store = Store(memory=True)
    assert parse_output("db", store) is store
    assert isinstance(parse_output(f"parquet:{tmp_path / 'out'}", None), ParquetSink)
    with pytest.raises(UnknownOutput) as unknown:
        parse_output("csv:out", store)
    assert unknown.value.output == "csv:out"
    with pytest.raises(UnknownOutput):
        parse_output("parquet: ", store)
    with pytest.raises(NoStoreForOutput):
        parse_output("db", None)
    (tmp_path / "file").write_text("")
    with pytest.raises(OSError):
        parse_output(f"parquet:{tmp_path / 'file'}", store)
