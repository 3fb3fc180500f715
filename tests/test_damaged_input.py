"""Damaged and hostile input (issue #26): NUL and other characters no store holds, stray bytes, binary files.

A page with a few bad bytes is decoded with U+FFFD and a warning, not refused or misread in a legacy code page; NUL
and the other characters PostgreSQL text or XML 1.0 cannot hold are taken out wherever they are, and counted; a
binary file is one failure whatever its name; an article the database refuses fails alone, never its batch.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import newstrace.store._write as store_write
from newstrace.cli import app
from newstrace.ingest import decode_bytes, document_from_bytes, iter_documents, iter_shards, read_shard, text_document
from newstrace.ingest._decode import storable
from newstrace.model import Article, Document, Failure
from newstrace.store import Store
from newstrace.web import ServeSettings, create_app
from test_store import POSTGRES_URL, _postgres_store, article

# Bytes that are never part of valid UTF-8, wherever they stand.
NEVER_UTF8 = [0xC0, 0xC1, *range(0xF5, 0x100)]
# What PostgreSQL text or XML 1.0 cannot hold, and what is taken out of a text for it.
UNSTORABLE = [*(chr(code) for code in range(0x20) if chr(code) not in "\t\n\r"), "\ufffe", "\uffff"]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """An in-memory SQLite store, and a PostgreSQL one on an emptied test database."""
    opened = Store(memory=True) if request.param == "sqlite" else _postgres_store()
    yield opened
    opened.close()


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A SQLite file, and the emptied PostgreSQL test database, as ``--db`` names them."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return str(tmp_path / "store.db")
    _postgres_store(migrate=False).close()
    return POSTGRES_URL


def seed_with_bad_bytes(seed: bytes, count: int) -> bytes:
    """The seed with ``count`` bytes that are never UTF-8 put in at line ends, away from its words."""
    lines = seed.split(b"\n")
    for number in range(count):
        lines[2 + 3 * number] += bytes([0xFF])
    return b"\n".join(lines)


# Decoding


@pytest.mark.parametrize("count", [1, 3])
def test_the_seed_with_stray_bytes_is_utf8_with_a_warning_not_refused_or_misread(seed_path: Path, count: int) -> None:
    document = document_from_bytes(seed_with_bad_bytes(seed_path.read_bytes(), count), "seed.txt", "text/plain", None)
    assert isinstance(document, Document), document
    assert document.encoding == "utf-8"
    assert "“swallowing”" in document.raw and "ÔÇť" not in document.raw
    assert document.raw.count("\ufffd") == count
    assert document.warnings == [f"{count} byte{'s' if count > 1 else ''} not valid UTF-8, shown as U+FFFD"]


@pytest.mark.parametrize("text", ["Галузин сказал «нет».\nМосква", "加卢津说：不。\n莫斯科", "Galuzin said no."])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_byte_order_mark_reads_utf16_and_two_stray_bytes_before_utf8_do_not(text: str, codec: str) -> None:
    mark = b"\xff\xfe" if codec == "utf-16-le" else b"\xfe\xff"
    document = document_from_bytes(mark + text.encode(codec), "a.txt", "text/plain", None)
    assert isinstance(document, Document) and document.raw == text and document.encoding == "utf-16"
    if text.isascii():
        return  # before plain ASCII, two stray high bytes are left to detection, as anywhere else in a text
    # The same two bytes before UTF-8 (a hypothesis example): damaged UTF-8, not text in another script.
    stray = document_from_bytes(mark + text.encode("utf-8"), "b.txt", "text/plain", None)
    assert isinstance(stray, Document) and stray.encoding == "utf-8" and stray.raw == "\ufffd\ufffd" + text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=300),
    bad=st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(NEVER_UTF8)), min_size=1, max_size=3),
)
def test_a_few_bad_bytes_in_utf8_text_decode_with_the_right_count(body: str, bad: list[tuple[int, int]]) -> None:
    text = f"Galuzin said “no” to RIA Novosti. {body}"
    characters = list(text)
    expected = list(text)
    for position, byte in sorted(bad, reverse=True):  # from the end, so earlier positions stand
        at = position % (len(characters) + 1)
        characters.insert(at, chr(0xDC00 + byte))
        expected.insert(at, "\ufffd")
    data = "".join(characters).encode("utf-8", "surrogateescape")
    document = document_from_bytes(data, "a.txt", "text/plain", None)
    assert isinstance(document, Document), document
    assert document.encoding == "utf-8" and document.raw == "".join(expected)
    assert document.warnings[0].startswith(f"{len(bad)} byte{'s' if len(bad) > 1 else ''} not valid UTF-8")


def test_a_legacy_code_page_is_still_read_as_one() -> None:
    data = "Le ministre a déclaré « non » à l'été, à Genève et à Zürich. ".encode("cp1252") * 20
    text, encoding = decode_bytes(data)
    assert "déclaré" in text and "\ufffd" not in text and encoding != "utf-8"


def test_a_nul_past_the_first_64_kib_is_taken_out_and_counted() -> None:
    data = b"Opening paragraph.\n" * 4000 + b"A late line with a NUL\x00 in it.\n"
    assert len(data) > 65536
    document = document_from_bytes(data, "late.txt", "text/plain", None)
    assert isinstance(document, Document)
    assert "\x00" not in document.raw and "A late line with a NUL in it." in document.raw
    assert document.warnings == ["1 character no store can hold removed (U+0000)"]


def test_one_nul_at_the_start_of_a_good_page_is_damage_not_binary_data(seed_path: Path) -> None:
    document = document_from_bytes(b"\x00" + seed_path.read_bytes(), "seed.txt", "text/plain", None)
    assert isinstance(document, Document) and "“swallowing”" in document.raw
    assert "\x00" not in document.raw and document.warnings


@pytest.mark.parametrize(
    "data",
    [
        random.Random(7).randbytes(200_000),
        gzip.compress(b"The port reopened after repairs. " * 5000),
        b"\x89PNG\r\n\x1a\n" + random.Random(8).randbytes(5_000),
    ],
    ids=["random", "gzip-bytes", "png"],
)
def test_binary_data_is_still_refused(data: bytes) -> None:
    document = document_from_bytes(data, "blob.txt", "text/plain", None)
    assert isinstance(document, Failure) and document.reason.startswith("binary data")


@settings(max_examples=80, deadline=None)
@given(st.text(st.sampled_from([*UNSTORABLE, "\ud800", "\udfff", "a", "é", "“", " ", "\n", "\t", "\r"])))
def test_storable_text_holds_nothing_a_store_refuses_and_counts_what_it_took(text: str) -> None:
    kept, warnings = storable(text)
    assert not any(char in kept for char in UNSTORABLE)
    assert not any("\ud800" <= char <= "\udfff" for char in kept)
    taken = sum(text.count(char) for char in UNSTORABLE)
    lone = sum(1 for char in text if "\ud800" <= char <= "\udfff")
    assert len(kept) == len(text) - taken
    said = " ".join(warnings)
    assert (f"{taken:,} character" in said) == bool(taken) and (f"{lone:,} lone surrogate" in said) == bool(lone)


def test_texts_in_memory_and_their_metadata_lose_the_characters_too() -> None:
    document = text_document("Port\x00 reopens.\x1b Story.", headline="Head\x00line", url="https://a.example/\x00x")
    assert document.raw == "Port reopens. Story." and document.title == "Headline"
    assert document.url == "https://a.example/x"
    assert document.warnings == ["2 characters no store can hold removed (U+0000, U+001B)"]


# A binary file is one failure


def test_a_binary_file_named_jsonl_is_one_failure(tmp_path: Path) -> None:
    blob = tmp_path / "lines.jsonl"
    blob.write_bytes(random.Random(3).randbytes(300_000))
    results = list(iter_documents([str(blob)]))
    assert len(results) == 1
    assert isinstance(results[0], Failure) and results[0].reason.startswith("binary data")
    shards = list(iter_shards([str(blob)], records_per_shard=10))
    assert len(shards) == 1  # read whole, not as thousands of runs of "lines"
    assert len(list(read_shard(shards[0]))) == 1


def test_a_jsonl_line_with_escaped_nul_is_stored_without_it(tmp_path: Path) -> None:
    lines = tmp_path / "lines.jsonl"
    item = {"text": "The port\u0000 reopened.\n\nStory.", "title": "Port\u0000 reopens", "url": "https://a.example/1"}
    lines.write_text(json.dumps(item) + "\n")
    (document,) = iter_documents([str(lines)])
    assert isinstance(document, Document)
    assert document.raw == "The port reopened.\n\nStory." and document.title == "Port reopens"
    assert document.warnings == ["1 character no store can hold removed (U+0000)"]


# The store: one article the database refuses fails alone


def test_an_article_the_database_refuses_fails_alone(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    refused = article(2)
    if store.engine.dialect.name == "sqlite":
        original = store_write.article_row

        def with_a_bad_row(item: Article, now: str) -> dict[str, object]:
            row = original(item, now)
            return {**row, "text": None} if item is refused else row  # text is NOT NULL: the database refuses it

        monkeypatch.setattr(store_write, "article_row", with_a_bad_row)
    else:
        refused.text += "\x00"  # PostgreSQL text cannot hold NUL
    outcome = store.write([article(1), refused, article(3), Failure("bad.txt", "ingest", "empty input")])
    assert (outcome.stored, outcome.failures) == (2, 2)
    assert [failure.source for failure in outcome.refused] == ["doc2.txt"]
    assert outcome.refused[0].stage == "store"
    assert outcome.refused[0].reason.startswith("the database refused the article (")
    assert "\n" not in outcome.refused[0].reason
    assert store.count() == 2 and store.get(article(3).id) is not None and store.get(refused.id) is None
    recorded = {(failure.source, failure.stage) for failure in store.failures()}
    assert recorded == {("doc2.txt", "store"), ("bad.txt", "ingest")}
    assert store.known_sources([refused.source_hash]) == set()  # a re-run tries it again
    again = store.write([refused])
    assert again.stored == 0 and len(again.refused) == 1
    assert len(store.failures()) == 2  # recorded once


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_a_late_nul_in_one_input_of_a_batch_loses_nothing(tmp_path: Path, db_url: str, seed_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_bytes(seed_path.read_bytes())
    late = b"Port Aven reopens after repairs\n\n" + b"\n" * 70_000 + b"The harbour master said the port\x00 reopened.\n"
    (inputs / "b.txt").write_bytes(late)
    (inputs / "c.txt").write_text("Storm closes harbour\n\nThe storm closed the harbour at Port Aven on Monday.\n")
    result = CliRunner().invoke(app, ["ingest", str(inputs), "--db", db_url, "--workers", "1"])
    assert result.exit_code == 0, result.output
    with Store(db_url) as opened:
        assert opened.count() == 3
        stored = {item.source.rsplit("/", 1)[-1]: item for item in opened.iter_articles()}
    assert "\x00" not in stored["b.txt"].text and "the port reopened." in stored["b.txt"].text
    assert stored["b.txt"].warnings == ["1 character no store can hold removed (U+0000)"]
    assert stored["a.txt"].warnings == [] and stored["c.txt"].warnings == []


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
@pytest.mark.parametrize("count", [1, 3])
def test_the_seed_with_bad_bytes_is_stored_with_its_quotes_and_a_warning(
    tmp_path: Path, db_url: str, seed_path: Path, count: int
) -> None:
    damaged = tmp_path / "seed.txt"
    damaged.write_bytes(seed_with_bad_bytes(seed_path.read_bytes(), count))
    result = CliRunner().invoke(app, ["ingest", str(damaged), "--db", db_url, "--workers", "1"])
    assert result.exit_code == 0, result.output
    with Store(db_url) as opened:
        (stored,) = opened.iter_articles()
        shown = CliRunner().invoke(app, ["show", stored.id, "--db", db_url])
    assert "“swallowing”" in stored.text
    warning = f"{count} byte{'s' if count > 1 else ''} not valid UTF-8, shown as U+FFFD"
    assert stored.warnings == [warning]
    assert f"newstrace: warning {damaged}: {warning}" in result.stderr  # said as it is stored
    assert warning in shown.stdout


# The API


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_posting_an_article_with_nul_stores_it_without_the_character(db_url: str) -> None:
    settings_ = ServeSettings(max_body_bytes=100_000, analysis_timeout=120)
    with Store(db_url) as store, TestClient(create_app(store, settings_)) as client:
        body = {"text": "Port Aven reopens\n\nThe harbour master said the port\u0000 reopened on Monday."}
        response = client.post("/articles", content=json.dumps(body), headers={"content-type": "application/json"})
        assert response.status_code == 201, response.text
        (answer,) = response.json()["articles"]
        stored = store.get(answer["id"])
    assert stored is not None and "\x00" not in stored.text and "the port reopened" in stored.text
    assert stored.warnings == ["1 character no store can hold removed (U+0000)"]
