"""The command line, end to end: analyze, ingest (bad input included), search, show, export."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from conftest import ROOT, news_html, warc_record
from newstrace.cli import EXIT_SKIPPED, app
from newstrace.model import Failure
from newstrace.store import Store
from test_store import annotated, article

runner = CliRunner()


def invoke(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_analyze_prints_a_readable_report(example_text: Path) -> None:
    code, stdout, _ = invoke("analyze", str(example_text))
    assert code == 0
    assert "Coastal Alliance Unveils Joint Patrol Plan, Will Fishing Be Banned?" in stdout
    assert "Port Aven" in stdout and "2026-03-03" in stdout
    assert "copyright notice" in stdout and "share buttons" in stdout


def test_analyze_json_from_stdin(example_text: Path) -> None:
    code, stdout, _ = invoke("analyze", "-", "--json", input=example_text.read_bytes())
    assert code == 0 and stdout.count("\n") == 1  # JSON Lines even for one article
    data = json.loads(stdout)
    assert data["source"] == "<stdin>" and data["dateline"] == "Port Aven"
    for span in data["paragraphs"]:
        assert data["text"][span["start"] : span["end"]] == span["text"]


def test_seed_analyze_json(seed_path: Path) -> None:
    code, stdout, _ = invoke("analyze", str(seed_path), "--json")
    assert code == 0
    data = json.loads(stdout)
    assert data["headline"] == "Russia Reveals Joint Force Plan With Belarus, Will Attack Ukraine?"
    assert data["dateline"] == "Moscow"
    assert (data["reference_date"], data["reference_date_source"]) == ("2022-12-24", "text")
    assert data["text"].startswith("Russian Deputy Foreign Minister Mikhail Galuzin")
    assert "Post a Comment" not in data["text"] and "Previous Post" not in data["text"]
    assert "Russia Reveals" not in data["text"]
    raw = seed_path.read_text(encoding="utf-8")
    for removed in data["removed"]:
        assert raw[removed["start"] : removed["end"]] == removed["text"] and removed["reason"]
    assert {"Post a Comment", "Previous Post Next Post"} <= {r["text"] for r in data["removed"]}


def bad_input_corpus(folder: Path) -> dict[str, str]:
    """Every kind of bad input beside good ones; returns each bad file's expected reason."""
    (folder / "good.txt").write_text("Harbour Reopens\n\nThe harbour reopened on Monday after repairs.\n")
    (folder / "good.html").write_text(
        news_html("Bridge Closes", ["The council voted to close the old bridge on Tuesday."] * 4)
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.html").write_bytes(bytes(range(256)) * 64)
    # Damaged, not bad: decoded with U+FFFD for its 3 bad bytes and stored with a warning (issue #26).
    (folder / "invalid-utf8.txt").write_bytes("Galuzin said “no” today. ".encode() * 40 + b"\xc3\x28\xa0\xa1")
    whole = gzip.compress(("The harbour story. " * 5000).encode())
    (folder / "truncated.txt.gz").write_bytes(whole[: len(whole) // 2])
    record = warc_record("https://a.example/1", news_html("Port", ["Port news today."] * 50).encode())
    (folder / "truncated.warc").write_bytes(record[: len(record) // 2])
    with (folder / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # a 50 MB file
    deep = "<html><body>" + "<div>" * 100_000 + "<p>deep</p>" + "</div>" * 100_000 + "</body></html>"
    (folder / "deep.html").write_text(deep)
    good_line = json.dumps({"url": "https://b.example/2", "text": "Talks Resume\n\nTalks resumed in Geneva on Friday."})
    (folder / "feed.jsonl").write_text(good_line + "\n{this is not json\n")
    (folder / "deep.jsonl").write_text('{"text": "Hi.", "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    (folder / "cut-header.warc").write_bytes(record + record[:60])  # the second record's header is cut short
    return {
        "empty.txt": "empty input",
        "junk.html": "binary data",
        "truncated.txt.gz": "truncated gzip",
        "truncated.warc#0": "truncated WARC record",
        "huge.txt": "too large",
        "deep.html": "HTML nested deeper than 3,000 elements",  # refused before parsing, not after 10 s
        "feed.jsonl:2": "line is not JSON",
        "deep.jsonl:1": "nested too deeply",
        "cut-header.warc": "truncated WARC (a record header is cut short)",
    }


def test_bad_input_corpus_runs_to_completion(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    expected = bad_input_corpus(corpus)
    db = tmp_path / "t.db"
    code, _, stderr = invoke("ingest", str(corpus), "--db", str(db), "--workers", "2")
    assert code == EXIT_SKIPPED
    error_lines = [line for line in stderr.splitlines() if line.startswith("newstrace: skipped")]
    assert len(error_lines) == len(expected)
    for name, reason in expected.items():
        (line,) = [line for line in error_lines if f"{corpus / name}:" in line]
        assert reason in line, line
    with Store(db) as store:
        # good.txt, good.html, the damaged invalid-utf8.txt, the good feed line and cut-header.warc's whole record
        assert store.count() == 5
        recorded = store.failures()
    assert re.search(r"ingested 5, already present 0, skipped 9", stderr)
    (warning,) = [line for line in stderr.splitlines() if line.startswith("newstrace: warning")]
    assert "invalid-utf8.txt" in warning and "3 bytes not valid UTF-8" in warning
    code, _, stderr = invoke("ingest", str(corpus), "--db", str(db), "--workers", "2")
    assert code == EXIT_SKIPPED and re.search(r"ingested 0, already present 5, skipped 9", stderr)
    with Store(db) as store:
        assert store.count() == 5 and store.failures() == recorded  # a re-run adds nothing


def test_ingest_twice_adds_nothing(tmp_path: Path, example_text: Path, example_html: Path) -> None:
    db = tmp_path / "t.db"
    assert invoke("ingest", str(example_text), str(example_html), "--db", str(db), "--workers", "1")[0] == 0
    code, _, stderr = invoke("ingest", str(example_text), str(example_html), "--db", str(db), "--workers", "1")
    assert code == 0 and "ingested 0, already present 2" in stderr
    with Store(db) as store:
        assert store.count() == 2


def test_a_plain_copy_of_the_file_after_ingest_holds_every_article(
    tmp_path: Path, example_text: Path, example_html: Path
) -> None:
    """Ingest folds the write-ahead log into the file when it ends, even with another connection open (the server,
    a reader), which keeps SQLite from doing it on the last close: copying the .db alone loses nothing."""
    db = tmp_path / "t.db"
    assert invoke("ingest", str(example_text), "--db", str(db), "--workers", "1")[0] == 0
    with Store(db) as reader:
        assert reader.count() == 1  # its connection stays open in its pool while the next ingest runs
        assert invoke("ingest", str(example_html), "--db", str(db), "--workers", "1")[0] == 0
        copy = tmp_path / "copy" / "t.db"
        copy.parent.mkdir()
        copy.write_bytes(db.read_bytes())
    with Store(copy) as copied:
        assert copied.count() == 2


def test_backup_copies_a_store_while_another_connection_writes(
    tmp_path: Path, example_text: Path, example_html: Path
) -> None:
    db, target = tmp_path / "t.db", tmp_path / "backup.db"
    assert invoke("ingest", str(example_text), "--db", str(db), "--workers", "1")[0] == 0
    with Store(db) as writer, writer.engine.begin() as open_transaction:
        # A write transaction under way in another connection: the backup copies what is committed.
        open_transaction.exec_driver_sql("CREATE TABLE scratch_in_progress (x INTEGER)")
        code, stdout, _ = invoke("backup", str(target), "--db", str(db))
        assert code == 0 and str(target) in stdout
        open_transaction.exec_driver_sql("DROP TABLE scratch_in_progress")
    with Store(target) as copied, Store(db) as stored:
        assert [a.id for a in copied.iter_articles()] == [a.id for a in stored.iter_articles()] != []
    code, _, stderr = invoke("backup", str(target), "--db", str(db))
    assert code == 2 and "already exists" in stderr


def test_search_show_export(tmp_path: Path, example_text: Path, example_html: Path) -> None:
    db = tmp_path / "t.db"
    invoke("ingest", str(example_text), str(example_html), "--db", str(db), "--workers", "1")
    code, stdout, _ = invoke("search", "trawlers quotas", "--db", str(db))
    assert code == 0 and stdout.count("Coastal Alliance") == 2
    assert invoke("search", "zebra", "--db", str(db))[0] == 1
    article_id = stdout.split()[0]
    code, stdout, _ = invoke("show", article_id, "--db", str(db), "--json")
    assert code == 0 and json.loads(stdout)["id"].startswith(article_id)
    code, stdout, _ = invoke("export", "--db", str(db))
    assert [json.loads(line)["dateline"] for line in stdout.splitlines()] == [
        "Port Aven",
        "Port Aven",
    ]
    out = tmp_path / "out.jsonld"
    assert invoke("export", "--db", str(db), "--format", "jsonld", "--output", str(out))[0] == 0
    graph = json.loads(out.read_text())["@graph"]
    assert len([item for item in graph if item["@type"] == "NewsArticle"]) == 2
    assert {item["@type"] for item in graph} >= {"NewsArticle", "Quotation", "ClaimReview"}
    assert all("@id" in item for item in graph)


def test_commands_without_a_database_say_so(tmp_path: Path) -> None:
    code, _, stderr = invoke("search", "x", "--db", str(tmp_path / "none.db"))
    assert code == 1 and "no database" in stderr


def test_every_command_is_documented() -> None:
    docs = (ROOT / "docs" / "CLI.md").read_text(encoding="utf-8")
    group = get_command(app)
    names = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        names += [f"{name} {child}" for child in sub] if sub else [name]
    for name in names:
        assert f"## newstrace {name}" in docs, f"docs/CLI.md lacks a section for `newstrace {name}`"


def test_shared_warc_files_ingest(tmp_path: Path) -> None:
    from conftest import shared_path

    warc_dir = shared_path("eval", "warc")
    db = tmp_path / "w.db"
    code, _, stderr = invoke("ingest", str(warc_dir), "--db", str(db), "--workers", "1")
    html_records = _count_html_records(warc_dir)
    summary = re.search(r"ingested (\d+), already present (\d+), skipped (\d+)", stderr)
    assert summary is not None
    stored, present, skipped = map(int, summary.groups())
    assert (stored, present, skipped) == (html_records, 0, 0) and html_records == 46
    assert code == 0
    code, _, stderr = invoke("ingest", str(warc_dir), "--db", str(db), "--workers", "1")
    assert f"ingested 0, already present {stored}" in stderr


def _count_html_records(folder: Path) -> int:
    """HTML response records, counted straight from the archives' text."""
    count = 0
    for archive in sorted(folder.glob("*.warc.gz")):
        data = gzip.decompress(archive.read_bytes())
        for block in data.split(b"WARC/")[1:]:
            if b"WARC-Type: response" in block[:600]:
                http_head = block[block.find(b"HTTP/") : block.find(b"HTTP/") + 2000].lower()
                if b" 200 " in http_head[:20] and b"content-type: text/html" in http_head:
                    count += 1
    return count


def test_statements_in_report_and_by_speaker(tmp_path: Path, example_text: Path, example_html: Path) -> None:
    code, stdout, _ = invoke("analyze", str(example_text))
    assert code == 0 and "Elena Marsh (Fisheries Commissioner) — said —" in stdout
    # "The patrol is said to involve around 40 vessels" is a claim nobody is named as making: not a statement.
    assert "— is said —" not in stdout
    db = tmp_path / "q.db"
    invoke("ingest", str(example_text), str(example_html), "--db", str(db), "--workers", "1")
    code, stdout, _ = invoke("quotes", "--speaker", "marsh", "--db", str(db))
    assert code == 0
    assert stdout.count("Nobody is going to stop a family boat") == 2  # the text copy and the HTML copy
    assert "Harbour Gazette" in stdout and "Reyne" not in stdout.split("—")[0]
    assert invoke("quotes", "--speaker", "nobody-at-all", "--db", str(db))[0] == 1


def _stored(tmp_path: Path) -> Path:
    """A database holding three articles written straight to the store (no pipeline run)."""
    db = tmp_path / "facts.db"
    with Store(db) as store:
        low = annotated(2, "Alexander Lukashenko", confidence=0.3)
        store.write([annotated(1), low, article(3, "Talks in Kiev.")])
        store.write([Failure("junk.bin", "ingest", "binary data", "ab12")])
    return db


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_version() -> None:
    from newstrace import __version__

    assert invoke("--version") == (0, f"newstrace {__version__}\n", "")


def test_an_empty_path_is_refused_not_read_as_the_current_directory(tmp_path: Path) -> None:
    code, stdout, stderr = invoke("analyze", "")
    assert code == 2 and stdout == "" and "empty" in _one_line(stderr)
    code, _, stderr = invoke("ingest", "", "--db", str(tmp_path / "x.db"))
    assert code == 2 and "empty" in _one_line(stderr) and not (tmp_path / "x.db").exists()


@pytest.mark.parametrize("kind", ["not a database", "directory"])
def test_a_db_that_is_not_a_database_is_one_line(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "x.db"
    if kind == "directory":
        db.mkdir()
    else:
        db.write_bytes(b"hello, this is text and not SQLite" * 50)
    before = db.read_bytes() if db.is_file() else None
    for command in (["search", "x"], ["quotes", "--speaker", "x"], ["export"], ["failures"], ["ingest", "-"]):
        code, _, stderr = invoke(*command, "--db", str(db), input=b"")
        line = _one_line(stderr)
        assert code == 2 and str(db) in line and (kind in line or "not a newstrace database" in line), command
    assert (db.read_bytes() if db.is_file() else None) == before


def test_an_unwritable_output_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    db = _stored(tmp_path)
    before = db.read_bytes()
    target = tmp_path / "missing-folder" / "out.jsonl"
    code, _, stderr = invoke("export", "--db", str(db), "-o", str(target))
    assert code == 2 and str(target) in _one_line(stderr)
    assert db.read_bytes() == before


def test_search_language_filters_json_and_syntax_errors(tmp_path: Path) -> None:
    db = _stored(tmp_path)
    code, stdout, _ = invoke("search", "Minsk NOT Lukashenko", "--db", str(db), "--json")
    hits = [json.loads(line) for line in stdout.splitlines()]
    assert code == 0 and [hit["id"] for hit in hits] == [annotated(1).id]
    assert set(hits[0]) == {"id", "headline", "published", "site", "snippet", "score", "matched"}
    # Each matched word's place in the snippet, inside its brackets.
    assert [hits[0]["snippet"][a - 1 : b + 1] for a, b in hits[0]["matched"]] == ["[Minsk]"]
    code, stdout, _ = invoke("search", "Kiev OR Minsk", "--db", str(db), "--json", "--speaker", "galuzin")
    assert code == 0 and [json.loads(line)["id"] for line in stdout.splitlines()] == [annotated(1).id]
    code, stdout, stderr = invoke("search", '"Minsk will', "--db", str(db))
    assert code == 2 and stdout == "" and "not closed" in _one_line(stderr)
    code, _, stderr = invoke("search", "Minsk", "--db", str(db), "--since", "last week")
    assert code == 2 and "--since" in _one_line(stderr)


def test_quotes_read_the_statements_table_with_a_confidence_floor(tmp_path: Path) -> None:
    db = _stored(tmp_path)
    code, stdout, _ = invoke("quotes", "--speaker", "lukashenko", "--db", str(db), "--json")
    (record,) = [json.loads(line) for line in stdout.splitlines()]
    assert code == 0 and record["speaker"]["name"] == "Alexander Lukashenko" and record["confidence"] == 0.3
    assert record["speaker_roles"] == ["Deputy Foreign Minister"] and record["date"] == "2022-12-24"
    assert invoke("quotes", "--speaker", "lukashenko", "--db", str(db), "--min-confidence", "0.5")[0] == 1
    code, stdout, _ = invoke("quotes", "--speaker", "galuzin", "--db", str(db))
    assert code == 0 and "Mikhail Galuzin (Deputy Foreign Minister) — told — Minsk will not attack." in stdout


def test_failures_lists_what_was_rejected(tmp_path: Path) -> None:
    db = _stored(tmp_path)
    code, stdout, _ = invoke("failures", "--db", str(db), "--json")
    assert code == 0
    assert [json.loads(line) for line in stdout.splitlines()] == [
        {"source": "junk.bin", "stage": "ingest", "reason": "binary data", "source_hash": "ab12"}
    ]
    code, stdout, _ = invoke("failures", "--db", str(db))
    assert code == 0 and "junk.bin: binary data" in stdout


def test_stages_in_run_order() -> None:
    code, stdout, _ = invoke("stages", "--json")
    records = [json.loads(line) for line in stdout.splitlines()]
    assert code == 0 and [r["name"] for r in records][:4] == ["clean", "annotate", "lede_vector", "headline_check"]
    annotate = records[1]
    assert annotate["provided_by"]["text"] == "clean" and annotate["problems"] == []
    assert records[0]["provided_by"] == {"raw": "document", "media_type": "document"}


def test_stages_checks_a_pipeline_and_names_what_is_missing() -> None:
    code, stdout, _ = invoke("stages", "--pipeline", "headline_check")
    assert code == 1
    assert "problem:" in stdout and "requires 'text', 'headline', 'paragraphs', 'language'" in stdout
    assert "'clean' assigns 'text', 'headline', 'paragraphs', 'language'" in " ".join(stdout.split())
    code, stdout, _ = invoke("stages", "--pipeline", "clean,headline_check", "--json")
    check = next(json.loads(line) for line in stdout.splitlines() if json.loads(line)["name"] == "headline_check")
    assert code == 0 and check["provided_by"]["text"] == "clean" and check["in_pipeline"]
    code, _, stderr = invoke("stages", "--pipeline", "clean,nope")
    assert code == 2 and "no stage named 'nope'" in _one_line(stderr)


def test_export_parquet_needs_a_folder_and_writes_one_file_per_table(tmp_path: Path) -> None:
    db = _stored(tmp_path)
    code, _, stderr = invoke("export", "--db", str(db), "--format", "parquet")
    assert code == 2 and "-o DIR" in _one_line(stderr)
    code, _, stderr = invoke("export", "--db", str(db), "--format", "parquet", "-o", str(tmp_path / "pq"))
    assert code == 0 and "articles.parquet: 3 rows" in stderr
    assert {p.name for p in (tmp_path / "pq").iterdir()} >= {"articles.parquet", "statements.parquet"}


def test_ingest_progress_counts_input_bytes_up_front(tmp_path: Path) -> None:
    from newstrace.cli.ingest import InputBytes

    (tmp_path / "a.html").write_bytes(b"x" * 100)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.warc").write_bytes(b"y" * 300)
    (tmp_path / ".hidden").write_bytes(b"z" * 1000)
    inputs = InputBytes([str(tmp_path)])
    assert inputs.total == 400 and inputs.describe() == "2 files, 0.0 MB"
    warc = str(tmp_path / "sub" / "b.warc")
    assert inputs.finished_before(str(tmp_path / "a.html")) == 0
    assert inputs.finished_before(warc + "#0") == 100  # the first file is done once the archive's records arrive
    assert inputs.finished_before(warc + "#1") == 0
    assert InputBytes(["-", str(tmp_path)]).total is None  # standard input has no size


def test_text_that_looks_like_markup_is_printed_as_written(tmp_path: Path) -> None:
    # A backslash before a bracket made Rich read "[/b]" as a closing tag: a MarkupError traceback.
    page = tmp_path / "path.txt"
    page.write_text("Backslash C:\\[/b] in headline\n\nOfficial Mark Stone said on Monday that C:\\[/i] was fine.\n")
    code, stdout, _ = invoke("analyze", str(page))
    assert code == 0 and "Backslash C:\\[/b] in headline" in stdout and "C:\\[/i] was fine" in stdout


def test_reading_commands_never_turn_a_file_into_a_store(tmp_path: Path) -> None:
    import sqlite3

    foreign = tmp_path / "contacts.db"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE contacts (name TEXT)")
    before = foreign.read_bytes()
    code, _, stderr = invoke("entities", "--db", str(foreign))
    assert code == 2 and "not a newstrace database (it holds other tables: contacts)" in _one_line(stderr)
    assert foreign.read_bytes() == before
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    code, _, stderr = invoke("search", "talks", "--db", str(empty))
    assert code == 2 and "no newstrace store here yet" in _one_line(stderr) and empty.read_bytes() == b""
    assert invoke("ingest", str(ROOT / "src/newstrace/examples/wire_blog_copy.txt"), "--db", str(empty))[0] == 0


def test_a_store_from_a_newer_newstrace_is_refused(tmp_path: Path) -> None:
    import sqlite3

    db = _stored(tmp_path)
    with sqlite3.connect(db) as connection:
        connection.execute("INSERT INTO schema_migrations VALUES (99, 'from the future', '2030-01-01')")
    for command in (["search", "talks"], ["ingest", str(ROOT / "src/newstrace/examples/wire_blog_copy.txt")]):
        code, _, stderr = invoke(*command, "--db", str(db))
        assert code == 2 and "written by a newer newstrace (schema 99 > " in _one_line(stderr), command


def test_an_up_to_date_store_opens_while_an_ingest_holds_the_write_lock(tmp_path: Path) -> None:
    import sqlite3

    db = _stored(tmp_path)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a running ingest's write transaction
    try:
        # Opening took the write lock to look for migrations: it waited out the busy timeout, then failed.
        with Store(db) as store:
            assert store.count() == 3 and [hit.headline for hit in store.search("Minsk")]
        with Store(f"sqlite:///file:{db}?mode=ro&uri=true") as store:
            assert store.count() == 3
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_database_and_output_errors_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from sqlalchemy.exc import DatabaseError

    db = _stored(tmp_path)
    long_name = str(tmp_path / ("a" * 300 + ".txt"))
    code, _, stderr = invoke("analyze", long_name)
    assert code == EXIT_SKIPPED and "cannot read (File name too long)" in _one_line(stderr)
    code, _, stderr = invoke("search", "talks", "--db", str(tmp_path / ("a" * 300 + ".db")))
    assert code == 2 and "File name too long" in _one_line(stderr)
    if Path("/dev/full").exists():
        code, _, stderr = invoke("export", "--db", str(db), "-o", "/dev/full")
        assert code == 2 and "cannot write /dev/full: No space left on device" in _one_line(stderr)
    assert invoke("entities", "--db", str(db), "--label", "PLANET")[0] == 2

    def damaged(*_: object) -> None:
        raise DatabaseError("SELECT", {}, Exception("database disk image is malformed"))

    monkeypatch.setattr(Store, "iter_articles", damaged)
    code, _, stderr = invoke("export", "--db", str(db))
    assert code == 2 and "the database cannot be used (database disk image is malformed)" in _one_line(stderr)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        code, _, stderr = invoke("serve", "--db", str(db), "--port", port)
    assert code == 2 and f"cannot listen on 127.0.0.1:{port}" in _one_line(stderr)
