"""The Ray Data runner: the same stored results as the local runner, bad input reported alike, kills survived."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import _ray_stages  # noqa: F401  (registers the stages the tests below run)
from conftest import gzip_members, news_html, stored_articles, warc_record
from newstrace.cli import app
from newstrace.ingest import iter_documents
from newstrace.model import Article, Document
from newstrace.pipeline import StageLoadError
from newstrace.run._bloom import BloomFilter
from newstrace.run.job import ingest
from newstrace.run.local import Held, InProcessRunner
from newstrace.run.ray_engine import RayRunner
from newstrace.store import Store

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'newstrace[ray]'); CI installs it")
pytest.importorskip("ray.data", reason="Ray Data is not installed (pip install 'newstrace[ray]')")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.*")

TESTS = Path(__file__).resolve().parent
MOMENTS = {"ingested_at", "failed_at", "applied_at"}


@pytest.fixture(scope="session")
def ray_address(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One local Ray instance of 2 CPUs for every Ray test; its address lets a subprocess join it."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    flag = tmp_path_factory.mktemp("ray") / "crashed-once"
    environment = {"PYTHONPATH": str(TESTS), "NEWSTRACE_TEST_FLAG": str(flag), "RAY_USAGE_STATS_ENABLED": "0"}
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, runtime_env={"env_vars": environment})
    os.environ["NEWSTRACE_TEST_FLAG"] = str(flag)
    yield str(ray.get_runtime_context().gcs_address)
    ray.shutdown()


def write_warc(path: Path, count: int, *, crash_at: int | None = None) -> Path:
    """A WARC of ``count`` news pages (one with CRASH in it, if asked), an image and a binary record among them."""
    records = []
    for number in range(count):
        marker = " CRASH" if number == crash_at else ""
        paragraphs = [
            f"Ana Duarte, the harbour chair, said on Monday that berth {number} would reopen{marker}.",
            f"Around {number + 40} ships wait in the bay, officials told Reuters.",
            "\u201cWe will not close the port,\u201d she said.",
        ]
        records.append(
            warc_record(f"https://news.example/{number}", news_html(f"Harbour Vote {number}", paragraphs).encode())
        )
    records.insert(2, warc_record("https://news.example/logo.png", b"\x89PNG\r\n", content_type=b"image/png"))
    records.insert(5, warc_record("https://news.example/junk", b"\x00\x01\x02 binary" * 30))
    path.write_bytes(gzip_members(records))
    return path


def tables(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, timestamps and the story index's batch token left out."""
    with sqlite3.connect(db) as connection:
        names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        dump = {}
        for name in names:
            cursor = connection.execute(f'SELECT * FROM "{name}"')
            keep = [i for i, column in enumerate(cursor.description) if column[0] not in MOMENTS]
            dump[name] = sorted((tuple(row[i] for i in keep) for row in cursor), key=repr)
        # The story index's batch token is drawn at random each write, as a timestamp is taken: left out with them.
        dump["story_counters"] = [row for row in dump.get("story_counters", []) if row[0] != "batch"]
    return dump


def test_ray_and_local_store_identical_results(ray_address: str, tmp_path: Path) -> None:
    warc = write_warc(tmp_path / "crawl.warc.gz", 24)
    with Store(tmp_path / "local.db") as local_store:
        local = ingest([str(warc)], local_store, InProcessRunner(), batch_size=5)
    with Store(tmp_path / "ray.db") as ray_store:
        on_ray = ingest([str(warc)], ray_store, RayRunner(records_per_shard=6, batch_size=4), batch_size=5)
    assert (local.stored, dict(local.skipped)) == (24, {"binary data, not text": 1})
    assert (on_ray.stored, on_ray.already_present, on_ray.skipped) == (local.stored, 0, local.skipped)
    local_rows, ray_rows = tables(tmp_path / "local.db"), tables(tmp_path / "ray.db")
    assert local_rows.keys() == ray_rows.keys()
    for name in local_rows:
        assert ray_rows[name] == local_rows[name], name
    assert len(local_rows["statements"]) >= 24 and len(local_rows["quantities"]) >= 24


def test_cli_ray_reports_bad_input_and_writes_parquet(ray_address: str, tmp_path: Path) -> None:
    warc = write_warc(tmp_path / "crawl.warc.gz", 6)
    (tmp_path / "empty.txt").write_text("")
    db, out = tmp_path / "cli.db", tmp_path / "parquet"
    arguments = ["ingest", str(warc), str(tmp_path / "empty.txt"), "--db", str(db), "--engine", "ray"]
    result = CliRunner().invoke(app, [*arguments, "--output", "db", "--output", f"parquet:{out}"])
    assert result.exit_code == 3, result.output
    skipped = [line for line in result.stderr.splitlines() if line.startswith("newstrace: skipped")]
    assert skipped == [
        f"newstrace: skipped {warc}#5: binary data, not text (control bytes)",
        f"newstrace: skipped {tmp_path / 'empty.txt'}: empty input",
    ]
    assert "ingested 6, already present 0, skipped 2" in result.stderr
    assert "skipped 1: binary data, not text" in result.stderr and "skipped 1: empty input" in result.stderr
    with Store(db) as store:
        assert store.count() == 6 and len(store.failures()) == 2
    import pyarrow.parquet as pq

    assert pq.read_table(out / "articles").num_rows == 6 and pq.read_table(out / "failures").num_rows == 2
    again = CliRunner().invoke(app, [*arguments, "--output", f"parquet:{out}"])
    assert "ingested 0, already present 6, skipped 2" in again.stderr
    assert pq.read_table(out / "articles").num_rows == 6


def test_an_actor_reads_its_shard_and_sends_results_in_blocks(ray_address: str, tmp_path: Path) -> None:
    import pickle

    from newstrace.ingest import DEFAULT_MAX_BYTES, read_shard
    from newstrace.model import Failure
    from newstrace.run.local import stage_modules
    from newstrace.run.ray_engine import _Maybe, _PipelineActor, _shard_row

    warc = write_warc(tmp_path / "crawl.warc.gz", 5)
    [shard] = RayRunner(records_per_shard=10).shards([str(warc)])
    inputs = list(read_shard(shard, captured="2026-12-02"))
    stored_before = next(item for item in inputs if isinstance(item, Document))
    skip = BloomFilter.of([stored_before.source_hash], capacity=1, error=1e-6)
    actor = _PipelineActor(
        ("clean",), stage_modules(("clean",)), None, ray.put(skip), DEFAULT_MAX_BYTES, "2026-12-02", 4,
    )  # fmt: skip
    assert actor.skip is not None and not actor.skip.bits.flags.writeable  # read in place in the object store
    blocks = list(actor({column: [value] for column, value in _shard_row(shard).items()}))
    assert [len(block["payload"]) for block in blocks] == [4, 2]
    results = [pickle.loads(payload) for block in blocks for payload in block["payload"]]
    assert [type(result) for result in results] == [_Maybe, Article, Article, Article, Failure, Article]
    assert [result.source for result in results] == [item.source for item in inputs]
    assert results[0] == _Maybe(stored_before.source, stored_before.source_hash, shard)  # the driver asks about it
    redone = pickle.loads(actor.redo(shard, stored_before.source, stored_before.source_hash))
    assert isinstance(redone, Article) and redone.source == stored_before.source


class HeldHashes:
    """A sink's holdings, as runners ask them; counts the hashes asked about, and refuses to list them all."""

    def __init__(self, hashes: set[str]) -> None:
        self.hashes = hashes
        self.asked: list[int] = []

    def known_sources(self, hashes: Iterable[str]) -> set[str]:
        wanted = set(hashes)
        self.asked.append(len(wanted))
        return self.hashes & wanted

    def held_sources(self) -> set[str]:
        return set(self.hashes)


class EveryHashHeld(RayRunner):
    """A runner whose skip filter says yes to every hash: every input is a positive that the sink must settle."""

    def skip_filter(self, held: Held) -> BloomFilter:
        every = BloomFilter(1, 0.5)
        every.bits[:] = 0xFF
        return every


def test_a_false_positive_of_the_skip_filter_is_run_in_its_place(ray_address: str, tmp_path: Path) -> None:
    warc = write_warc(tmp_path / "crawl.warc.gz", 7)
    documents = [item for item in iter_documents([str(warc)]) if isinstance(item, Document)]
    held = HeldHashes({documents[1].source_hash, documents[4].source_hash})
    local = list(InProcessRunner(("clean",)).run_paths([str(warc)], held=held))
    assert [type(result).__name__ for result in local].count("Present") == 2
    held.asked.clear()
    on_ray = list(EveryHashHeld(("clean",), records_per_shard=3, batch_size=2).run_paths([str(warc)], held=held))
    assert [(type(result).__name__, result.source) for result in on_ray] == [
        (type(result).__name__, result.source) for result in local
    ]  # the 5 new inputs run (on the spare actor), in their places; the 2 held passed over
    articles = [(result.id, result.text) for result in on_ray if isinstance(result, Article)]
    assert articles == [(result.id, result.text) for result in local if isinstance(result, Article)]
    assert sum(held.asked) == len(documents)  # every document asked about once, in batches


def test_a_worker_killed_mid_batch_loses_nothing(ray_address: str, tmp_path: Path) -> None:
    warc = write_warc(tmp_path / "crawl.warc.gz", 12, crash_at=7)
    runner = RayRunner(("clean", "test-exit-once"), records_per_shard=4, batch_size=3)
    with Store(tmp_path / "crash.db") as store:
        summary = ingest([str(warc)], store, runner, batch_size=4)
        assert Path(os.environ["NEWSTRACE_TEST_FLAG"]).exists(), "no worker was killed"
        assert (summary.stored, dict(summary.skipped)) == (12, {"binary data, not text": 1})
        assert store.count() == 12


def test_a_stage_that_cannot_load_stops_the_ray_run(ray_address: str, tmp_path: Path) -> None:
    warc = write_warc(tmp_path / "crawl.warc.gz", 4)
    runner = RayRunner(("clean", "test-cannot-load"), records_per_shard=2)
    with pytest.raises(StageLoadError, match=r"'test-cannot-load' failed to load \(OSError: weights file missing\)"):
        list(runner.run_shards(runner.shards([str(warc)])))


@pytest.mark.slow
def test_killed_ray_ingest_resumes_without_loss_or_duplicates(ray_address: str, tmp_path: Path) -> None:
    count = 90
    warc = write_warc(tmp_path / "crawl.warc.gz", count)
    db = tmp_path / "resume.db"
    command = [sys.executable, "-m", "newstrace", "ingest", str(warc), "--db", str(db), "--batch-size", "5"]
    command += ["--engine", "ray", "--address", ray_address]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 240
    while stored_articles(db) < 10 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "ingest finished before it could be killed; make the corpus larger"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    halfway = stored_articles(db)
    assert 0 < halfway < count
    finished = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 3, finished.stderr
    assert f"ingested {count - halfway}, already present {halfway}, skipped 1" in finished.stderr
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (count, count)
        assert connection.execute("SELECT count(*), count(DISTINCT source_hash) FROM sources").fetchone() == (
            count,
            count,
        )
