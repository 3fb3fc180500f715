"""Ingest: formats, encodings, caps and every kind of bad input, each named with its reason."""

from __future__ import annotations

import gzip
import io
import json
import os
from datetime import date
from pathlib import Path

import pytest

from conftest import gzip_members, warc_record
from newstrace.ingest import (
    InputError,
    Shard,
    decode_bytes,
    document_from_bytes,
    html_document,
    iter_documents,
    iter_shards,
    read_shard,
    text_document,
)
from newstrace.model import Document, Failure


def collect(paths: list[str], **options: object) -> tuple[list[Document], list[Failure]]:
    items = list(iter_documents(paths, **options))  # type: ignore[arg-type]
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, Failure)]


def test_decode_utf8_and_bom() -> None:
    assert decode_bytes("Kiev – “quoted”".encode()) == ("Kiev – “quoted”", "utf-8")
    assert decode_bytes(b"\xef\xbb\xbfhello")[0] == "hello"
    assert decode_bytes("hé".encode("utf-16"))[0] == "hé"


def test_decode_legacy_code_page() -> None:
    text, encoding = decode_bytes("Le président a déclaré à la presse qu'il était prêt.".encode("cp1252"))
    assert "président" in text and encoding != "utf-8"


def test_decode_honours_declared_html_charset() -> None:
    html = '<html><head><meta charset="windows-1251"></head><body>Привет мир</body></html>'.encode("cp1251")
    text, encoding = decode_bytes(html, html=True)
    assert "Привет" in text and encoding == "cp1251"


# A short Chinese page as such sites write it: declared "gb2312", holding GBK characters beyond it (請, 轉); guessing
# reads these bytes as Shift JIS.
GBK_TITLE = "請勿轉載"
GBK_BODY = "<p>Home | News | 2020-04-09 admin</p>"


def gbk_page(meta: str) -> bytes:
    return f"<html><head>{meta}<title>{GBK_TITLE}</title></head><body>{GBK_BODY}</body></html>".encode("gbk")


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="gb2312">',
        '<meta http-equiv="Content-Type" content="text/html; charset=GB2312">',
        '<meta http-equiv="Content-Type" content="text/html;charset=gbk" />',
    ],
)
def test_decode_gbk_page_declared_by_meta(meta: str) -> None:
    text, encoding = decode_bytes(gbk_page(meta), html=True)
    assert GBK_TITLE in text and encoding == "gb18030"


def test_decode_header_charset_wins_and_a_wrong_one_gives_way_to_meta() -> None:
    assert decode_bytes(gbk_page(""), declared="gb2312", html=True)[0].count(GBK_TITLE) == 1
    # A server that labels every page UTF-8, over a page that says what it is.
    text, encoding = decode_bytes(gbk_page('<meta charset="gbk">'), declared="utf-8", html=True)
    assert GBK_TITLE in text and encoding == "gb18030"


def test_decode_latin1_label_reads_cp1252_quotes() -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body>“Déjà vu”, he said</body></html>'.encode("cp1252")
    text, encoding = decode_bytes(html, html=True)
    assert "“Déjà vu”" in text and encoding == "cp1252"


def test_warc_gbk_page_declared_only_by_http_header(tmp_path: Path) -> None:
    page = gbk_page("")
    path = tmp_path / "cn.warc.gz"
    path.write_bytes(
        gzip_members([warc_record("http://news.example.cn/a.html", page, content_type=b"text/html; charset=GB2312")])
    )
    docs, failures = collect([str(path)])
    assert not failures and len(docs) == 1
    assert GBK_TITLE in docs[0].raw and docs[0].encoding == "gb18030"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty input"),
        (b"  \n\t ", "empty input"),
        (b"\x00\x01\x02binary\x00\xff" * 50, "binary data"),
        (bytes(range(1, 9)) * 200, "binary data"),
    ],
)
def test_decode_rejects_bad_bytes(data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        decode_bytes(data)


def test_declared_utf8_that_is_not_is_read_as_its_bytes_are_with_a_warning() -> None:
    document = document_from_bytes(b"<html>caf\xe9</html>", "a.html", "text/html", None, declared="utf-8")
    assert isinstance(document, Document)
    assert "café" in document.raw and document.encoding != "utf-8"
    assert document.warnings == [f"declared UTF-8, but its bytes are not: read as {document.encoding}"]


def test_files_by_suffix_and_gzip(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Plain text story.\n\nSecond paragraph.")
    (tmp_path / "b.html").write_text("<html><body><p>Hello</p></body></html>")
    (tmp_path / "c.html.gz").write_bytes(gzip.compress(b"<html><body><p>Zipped</p></body></html>"))
    (tmp_path / ".hidden.txt").write_text("never read")
    documents, failures = collect([str(tmp_path)])
    assert [Path(d.source).name for d in documents] == ["a.txt", "b.html", "c.html.gz"]
    assert [d.media_type for d in documents] == ["text/plain", "text/html", "text/html"]
    assert failures == []


def test_directory_reports_unsupported_files(tmp_path: Path) -> None:
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    _, failures = collect([str(tmp_path)])
    assert [f.reason for f in failures] == ["unsupported file type (.png)"]


def test_size_cap_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2000)
    _, failures = collect([str(big)], max_bytes=1000)
    assert failures[0].reason.startswith("too large")


def test_gzip_bomb_and_truncation(tmp_path: Path) -> None:
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 5_000_000))
    whole = gzip.compress(b"story text " * 10_000)
    (tmp_path / "cut.txt.gz").write_bytes(whole[: len(whole) // 2])
    _, failures = collect([str(tmp_path)], max_bytes=1_000_000)
    reasons = {Path(f.source).name: f.reason for f in failures}
    assert reasons["bomb.txt.gz"].startswith("too large (decompresses")
    assert reasons["cut.txt.gz"].startswith("truncated gzip")


def test_missing_path_is_named(tmp_path: Path) -> None:
    _, failures = collect([str(tmp_path / "nope.txt")])
    assert failures == [Failure(str(tmp_path / "nope.txt"), "ingest", "cannot read (no such file)")] or (
        failures[0].reason == "no such file"
    )


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "url": "https://a.example/1",
                "html": "<html><body><p>One</p></body></html>",
                "title": "One",
            }
        ),
        "{not json",
        json.dumps({"text": "Two.", "published": "2024-02-03T10:00:00"}),
        json.dumps([1, 2]),
        "",
        json.dumps({"url": "https://a.example/3"}),
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines))
    documents, failures = collect([str(feed)])
    assert [d.source for d in documents] == [f"{feed}:1", f"{feed}:3"]
    assert documents[0].title == "One" and documents[0].url == "https://a.example/1"
    assert documents[1].published == "2024-02-03" and documents[1].media_type == "text/plain"
    assert [(f.source, f.reason.split(" (")[0]) for f in failures] == [
        (f"{feed}:2", "line is not JSON"),
        (f"{feed}:4", "line is not a JSON object"),
        (f"{feed}:6", "object has no 'html' or 'text' string"),
    ]


def test_stdin_is_sniffed() -> None:
    html = b"<!DOCTYPE html><html><body><p>From a pipe</p></body></html>"
    documents, _ = collect(["-"], stdin=io.BytesIO(html))
    assert documents[0].source == "<stdin>" and documents[0].media_type == "text/html"
    documents, _ = collect(["-"], stdin=io.BytesIO(gzip.compress(b"Just text.")))
    assert documents[0].media_type == "text/plain" and documents[0].raw == "Just text."


def test_warc_html_records_only(tmp_path: Path) -> None:
    records = [
        warc_record("https://a.example/1", b"<html><body><p>First page</p></body></html>"),
        warc_record("https://a.example/logo.png", b"\x89PNG...", content_type=b"image/png"),
        warc_record("https://a.example/old", b"", status=b"301 Moved Permanently"),
        # ClueWeb09 quirk: HTTP header lines end in a bare LF.
        warc_record("https://b.example/2", b"<html><body><p>Second</p></body></html>", line_end=b"\n"),
    ]
    archive = tmp_path / "crawl.warc.gz"
    archive.write_bytes(gzip_members(records))
    documents, failures = collect([str(archive)])
    assert [d.url for d in documents] == ["https://a.example/1", "https://b.example/2"]
    assert documents[1].raw == "<html><body><p>Second</p></body></html>"
    assert documents[0].captured == "2024-05-18"
    assert failures == []


def test_warc_chunked_payload_is_decoded(tmp_path: Path) -> None:
    body = b"<html><body><p>Chunked</p></body></html>"
    chunked = hex(len(body))[2:].encode() + b"\r\n" + body + b"\r\n0\r\n\r\n"
    record = warc_record("https://c.example/", chunked, extra_headers=b"Transfer-Encoding: chunked\r\n")
    (tmp_path / "c.warc").write_bytes(record)
    documents, _ = collect([str(tmp_path / "c.warc")])
    assert documents[0].raw == body.decode()


def test_truncated_warc_is_reported(tmp_path: Path) -> None:
    records = [
        warc_record(f"https://a.example/{n}", b"<html><body><p>" + b"text " * 2000 + b"</p></body></html>")
        for n in range(3)
    ]
    data = b"".join(records)
    cut = len(records[0]) + len(records[1]) // 2  # inside the second record's payload
    (tmp_path / "cut.warc").write_bytes(data[:cut])
    documents, failures = collect([str(tmp_path / "cut.warc")])
    assert len(documents) == 1
    assert failures[0].source.endswith("cut.warc#1")
    assert failures[0].reason.startswith("truncated WARC record")


@pytest.mark.parametrize("gzipped", [False, True])
def test_a_warc_cut_inside_a_record_header_is_reported(tmp_path: Path, gzipped: bool) -> None:
    # fastwarc stops quietly there: without a check the second page vanished with no line and no count.
    records = _pages(2)
    if gzipped:
        members = [gzip.compress(record) for record in records]
        data = members[0] + members[1][: len(members[1]) // 3]
    else:
        data = records[0] + records[1][:60]  # inside the second record's WARC header
    archive = tmp_path / ("cut.warc.gz" if gzipped else "cut.warc")
    archive.write_bytes(data)
    documents, failures = collect([str(archive)])
    assert len(documents) == 1
    assert [f.source for f in failures] == [str(archive)]
    assert failures[0].reason.startswith("truncated WARC (")


def test_every_cut_of_a_warc_is_either_whole_records_or_reported(tmp_path: Path) -> None:
    records = _pages(2)
    for data in (b"".join(records), gzip_members(records)):
        boundaries = {len(records[0]), len(gzip.compress(records[0]))}
        for cut in range(1, len(data)):
            archive = tmp_path / ("a.warc.gz" if data[:2] == b"\x1f\x8b" else "a.warc")
            archive.write_bytes(data[:cut])
            documents, failures = collect([str(archive)])
            # A cut at a record's end leaves a whole archive of fewer records (its last CR LFs aside).
            whole = any(0 <= cut - boundary <= 4 or 0 <= boundary - cut <= 4 for boundary in boundaries)
            assert len(documents) == 2 or failures or whole, cut


def test_a_gzipped_warc_with_a_trailing_newline_is_whole(tmp_path: Path) -> None:
    archive = tmp_path / "padded.warc.gz"
    archive.write_bytes(gzip_members(_pages(3)) + b"\n")
    documents, failures = collect([str(archive)])
    assert len(documents) == 3 and failures == []


def test_a_warc_gzipped_as_one_member_is_read_whole_when_sharded(tmp_path: Path) -> None:
    # Its records' offsets are places in the compressed stream, not gzip members: a shard cannot start there.
    archive = tmp_path / "one-member.warc.gz"
    archive.write_bytes(gzip.compress(b"".join(_pages(5))))
    shards, items = _sharded([str(archive)], 2)
    assert len(shards) == 1 and sum(isinstance(item, Document) for item in items) == 5


def test_a_gzip_encoded_warc_response_is_inflated_no_further_than_the_cap(tmp_path: Path) -> None:
    bomb = gzip.compress(b" " * 5_000_000)
    record = warc_record("https://a.example/", bomb, extra_headers=b"Content-Encoding: gzip\r\n")
    (tmp_path / "bomb.warc").write_bytes(record)
    documents, failures = collect([str(tmp_path / "bomb.warc")], max_bytes=1_000_000)
    assert documents == []
    assert failures[0].reason == "too large (gzip content decompresses to more than the 1.0 MB cap)"
    page = b"<html><body><p>Encoded page</p></body></html>"
    record = warc_record("https://a.example/", gzip.compress(page), extra_headers=b"Content-Encoding: gzip\r\n")
    (tmp_path / "ok.warc").write_bytes(record)
    documents, _ = collect([str(tmp_path / "ok.warc")])
    assert documents[0].raw == page.decode()


def test_a_jsonl_line_nested_too_deeply_is_one_failure(tmp_path: Path) -> None:
    deep = '{"text": "Bob said hello.", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    good = json.dumps({"text": "Ann said goodbye.", "title": "Bye \udcff", "url": "https://a.example/\udcff"})
    (tmp_path / "feed.jsonl").write_text(deep + "\n" + good + "\n")
    documents, failures = collect([str(tmp_path / "feed.jsonl")])
    assert [f.source.rsplit(":", 1)[1] for f in failures] == ["1"] and "nested too deeply" in failures[0].reason
    # A lone surrogate escaped in JSON cannot be stored as UTF-8: it reads as U+FFFD.
    assert documents[0].title == "Bye \ufffd" and documents[0].url == "https://a.example/\ufffd"


def test_file_names_are_one_printable_line(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text("The minister said no.")
    (folder / "new\nline\x1b[31m.html").write_bytes(b"")
    undecodable = os.fsencode(folder) + b"/bad\xff.txt"
    with open(undecodable, "wb") as handle:
        handle.write(b"The minister said yes.")
    documents, failures = collect([str(folder)])
    assert sorted(Path(d.source).name for d in documents) == ["bad\\xff.txt", "ok.txt"]
    assert [Path(f.source).name for f in failures] == ["new\\x0aline\\x1b[31m.html"]
    for name in [*(d.source for d in documents), *(f.source for f in failures)]:
        name.encode("utf-8")  # storable: no surrogates left
        assert name.isprintable()


def test_a_linked_folder_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "story.txt").write_text("The minister said no.")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "linked").symlink_to(tmp_path / "real")
    (tmp_path / "in" / "latest").symlink_to(tmp_path / "real")  # a second way to the same folder
    (tmp_path / "in" / "again").symlink_to(tmp_path / "in")  # a loop
    documents, failures = collect([str(tmp_path / "in")])
    assert [Path(d.source).name for d in documents] == ["story.txt"] and failures == []


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(codec: str) -> None:
    text = "The minister said “no” in Minsk.\nCafé talks go on."
    assert decode_bytes(text.encode(codec)) == (text, codec)


def test_source_hash_is_of_the_raw_bytes(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Same words.")
    (tmp_path / "b.txt").write_text("Same words.")
    documents, _ = collect([str(tmp_path)])
    assert documents[0].source_hash == documents[1].source_hash


def _sharded(paths: list[str], records_per_shard: int) -> tuple[list[Shard], list[Document | Failure]]:
    shards = list(iter_shards(paths, records_per_shard=records_per_shard))
    return shards, [item for shard in shards for item in read_shard(shard, captured="2026-01-01")]


def _pages(count: int) -> list[bytes]:
    return [
        warc_record(f"https://a.example/{n}", f"<html><body><p>Page {n} text</p></body></html>".encode())
        for n in range(count)
    ]


@pytest.mark.parametrize("gzipped", [False, True])
def test_warc_shards_read_as_the_whole_file_does(tmp_path: Path, gzipped: bool) -> None:
    records = _pages(23)
    records.insert(5, warc_record("https://a.example/logo.png", b"\x89PNG", content_type=b"image/png"))
    records.insert(9, warc_record("https://a.example/bad", b"\x00\x01 binary" * 20))
    archive = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    archive.write_bytes(gzip_members(records) if gzipped else b"".join(records))
    shards, items = _sharded([str(archive)], 7)
    assert [(s.first, s.count) for s in shards] == [(0, 7), (7, 7), (14, 7), (21, 4)]
    assert items == list(iter_documents([str(archive)], today=date(2026, 1, 1)))
    assert [i.source.rsplit("#", 1)[1] for i in items][:7] == ["0", "1", "2", "3", "4", "6", "7"]


def test_jsonl_shards_keep_line_numbers(tmp_path: Path) -> None:
    lines = [json.dumps({"url": f"https://a.example/{n}", "text": f"Story {n} here."}) for n in range(10)]
    lines[4] = "{not json"
    lines.insert(6, "")
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    shards, items = _sharded([str(tmp_path / "feed.jsonl")], 4)
    assert len(shards) == 3
    assert items == list(iter_documents([str(tmp_path / "feed.jsonl")], today=date(2026, 1, 1)))
    assert items[4].source.endswith("feed.jsonl:5") and isinstance(items[4], Failure)


def test_a_truncated_warc_reads_sharded_as_whole(tmp_path: Path) -> None:
    records = [
        warc_record(f"https://a.example/{n}", b"<html><body><p>" + b"text " * 2000 + b"</p></body></html>")
        for n in range(12)
    ]
    cut = sum(len(record) for record in records[:7]) + len(records[7]) // 2  # inside the eighth record's payload
    (tmp_path / "cut.warc").write_bytes(b"".join(records)[:cut])
    _, items = _sharded([str(tmp_path / "cut.warc")], 3)
    assert items == list(iter_documents([str(tmp_path / "cut.warc")], today=date(2026, 1, 1)))
    assert sum(isinstance(item, Document) for item in items) == 7
    assert isinstance(items[-1], Failure) and items[-1].reason.startswith("truncated WARC record")


def test_document_from_bytes_is_public() -> None:
    document = document_from_bytes(b"<p>Hello there</p>", "a.html", "text/html", "2026-03-03", url="https://a.example")
    assert isinstance(document, Document) and document.url == "https://a.example" and document.captured == "2026-03-03"
    failure = document_from_bytes(b"   ", "b.txt", "text/plain", None)
    assert isinstance(failure, Failure) and failure.reason == "empty input"


def test_a_text_in_memory_is_named_and_hashed_as_the_same_file_read(tmp_path: Path) -> None:
    text = "Harbour Vote\n\nAna Duarte said the port would reopen on Monday."
    (tmp_path / "vote.txt").write_text(text, encoding="utf-8")
    [read] = iter_documents([str(tmp_path / "vote.txt")])
    document = text_document(text, headline="Harbour Vote", published="2026-03-03")
    assert isinstance(read, Document) and document.source_hash == read.source_hash
    assert (document.source, document.title, document.published) == ("<text>", "Harbour Vote", "2026-03-03")
    page = html_document("<html><body><p>Ana Duarte said so.</p></body></html>", url="https://news.example/a")
    assert isinstance(page, Document) and (page.source, page.url) == ("<html>", "https://news.example/a")
    nested = html_document("<div>" * 3001 + "deep")
    assert isinstance(nested, Failure) and (nested.source, nested.stage) == ("<html>", "ingest")
    assert nested.reason == "HTML nested deeper than 3,000 elements" and nested.source_hash
