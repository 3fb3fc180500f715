"""Property-based fuzzing: readers, cleaner, annotator and store take generated junk without crashing.

Every rejection is a Failure with one line of reason; every article that comes out keeps the provenance rule;
the store returns what it was given and loses nothing already stored. The examples are derandomised so that CI
sees the same ~1,100 inputs on every run (a failure reproduces); bombs are checked for time and memory.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import tempfile
import time
import tracemalloc
import zlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import warc_record
from newstrace.ingest import MAX_HTML_DEPTH, iter_documents
from newstrace.model import Article, Document, Failure, Mention, Quote
from newstrace.pipeline import Pipeline
from newstrace.store import QuerySyntaxError, Store

FUZZ = settings(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

QUOTE_MARKS = "\"'“”‘’«»„‟‹›"
CONTROL = "".join(chr(c) for c in range(1, 32)) + "\x7f\u200b\u202e\ufeff"
prose = st.text(alphabet=st.sampled_from("abc xyz ABC Minsk said .,;:!?\n" + QUOTE_MARKS + CONTROL), max_size=400)
unicode_text = st.text(max_size=400)


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    """Tag soup: unbalanced, nested, with attributes, entities, scripts, quote marks and control characters."""
    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<b>", "</i>", "<br>", "<script>", "</script>"]),
                st.sampled_from(["<h1>", "</h1>", "<title>", "</title>", "<!--", "-->", "&amp;", "&#0;", "&bogus;"]),
                st.sampled_from(['<a href="x">', "<meta charset=latin-1>", "<html>", "</html>", "<![CDATA[", "]]>"]),
                prose,
            ),
            max_size=40,
        )
    )
    return "".join(pieces)


def _encoded(text: str, codec: str) -> bytes:
    return text.encode(codec, errors="replace")


raw_inputs = st.one_of(
    st.binary(max_size=2000),
    st.builds(_encoded, unicode_text, st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252", "shift_jis"])),
    st.builds(lambda a, b: a.encode("utf-8") + b.encode("latin-1", "replace"), unicode_text, unicode_text),
    st.builds(lambda page: page.encode("utf-8", "replace"), html_pages()),
    st.builds(lambda data, cut: gzip.compress(data)[: max(1, cut)], st.binary(max_size=800), st.integers(1, 900)),
    st.builds(
        lambda page, cut: warc_record("https://example.org/a", page.encode("utf-8", "replace"))[:cut],
        html_pages(),
        st.integers(0, 3000),
    ),
    st.builds(lambda line: ("x" * 5000 + line).encode(), prose),  # a very long line
)


def _assert_one_line(failure: Failure) -> None:
    assert failure.reason.strip() and "\n" not in failure.reason and "Traceback" not in failure.reason, failure


@settings(FUZZ, max_examples=450)
@given(data=raw_inputs, suffix=st.sampled_from([".txt", ".html", ".html.gz", ".warc", ".warc.gz", ".jsonl", ""]))
def test_readers_turn_any_bytes_into_documents_or_one_line_failures(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        results = list(iter_documents([str(path)], max_bytes=200_000))
    results += list(iter_documents(["-"], stdin=io.BytesIO(data), max_bytes=200_000))
    assert results
    for result in results:
        assert isinstance(result, Document | Failure)
        if isinstance(result, Failure):
            _assert_one_line(result)
            assert result.stage == "ingest"


@functools.cache
def _pipeline(stages: tuple[str, ...]) -> Pipeline:
    return Pipeline(stages)


def _check_result(result: Article | Failure) -> None:
    if isinstance(result, Failure):
        _assert_one_line(result)
    else:
        assert result.provenance_errors() == []


@settings(FUZZ, max_examples=200)
@given(page=html_pages(), plain=prose)
def test_the_cleaner_keeps_provenance_or_says_why_not(page: str, plain: str) -> None:
    clean = _pipeline(("clean",))
    _check_result(clean.process(Document("page.html", page, "text/html", "h1")))
    _check_result(clean.process(Document("page.txt", plain, "text/plain", "h2")))


@settings(FUZZ, max_examples=120)
@given(text=st.lists(prose, min_size=1, max_size=4).map("\n\n".join))
def test_the_annotator_keeps_provenance_on_odd_quote_marks_and_control_characters(text: str) -> None:
    annotate = _pipeline(("clean", "annotate"))
    _check_result(annotate.process(Document("odd.txt", "Headline here\n\n" + text, "text/plain", "h3")))


@st.composite
def articles(draw: st.DrawFn, number: int) -> Article:
    """An article with generated text and a mention and a statement cut from it at generated offsets."""
    text = draw(st.text(min_size=1, max_size=300).filter(lambda t: "\x00" not in t))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    article = Article(
        id=f"{number:064x}",
        source=draw(st.text(min_size=1, max_size=40)),
        source_hash=f"{number:064x}",
        media_type="text/plain",
        text=text,
        headline=draw(st.none() | st.text(max_size=60)),
        published=draw(st.none() | st.dates().map(str)),
    )
    span = article.span(start, end)
    article.paragraphs = [article.span(0, len(text))]
    article.entities = [Mention(span.text, "PERSON", start, end, "e1")]
    article.quotes = [Quote("direct", span, None, None, None, confidence=draw(st.floats(0, 1)))]
    return article


@settings(FUZZ, max_examples=350)
@given(
    first=st.lists(st.integers(1, 10**6), min_size=1, max_size=3, unique=True).flatmap(
        lambda numbers: st.tuples(*(articles(n) for n in numbers))
    ),
    query=st.text(max_size=40),
)
def test_the_store_returns_what_it_was_given_and_loses_nothing(first: tuple[Article, ...], query: str) -> None:
    with contextlib.closing(Store(memory=True)) as store:
        store.write(list(first))
        for article in first:
            found = store.get(article.id)
            assert found is not None and found.to_json_dict() == article.to_json_dict()
        broken = Article("f" * 64, "broken", "f" * 64, "text/plain", None)  # type: ignore[arg-type]
        # The database refuses it (no text): it fails alone, recorded as a failure, and nothing of it lands.
        assert [failure.source for failure in store.write([broken]).refused] == ["broken"]
        assert store.count() == len(first) and store.get(broken.id) is None
        try:
            hits = store.search(query)
        except QuerySyntaxError as error:
            assert str(error) and "\n" not in str(error)
        else:
            assert {hit.id for hit in hits} <= {article.id for article in first}


def _bounded(call: object) -> tuple[object, float, float]:
    """The call's result, its wall time in seconds and its peak Python allocation in MB."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = call()  # type: ignore[operator]
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    return result, elapsed, peak


def test_a_gzip_bomb_is_refused_quickly_in_bounded_memory(tmp_path: Path) -> None:
    # Gzip members may follow one another: 1,024 copies of one member holding 1 MiB of zeros expand to 1 GiB.
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    member = compressor.compress(b"\0" * (1 << 20)) + compressor.flush()
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(member * 1024)
    assert bomb.stat().st_size < 2_000_000
    results, elapsed, peak = _bounded(lambda: list(iter_documents([str(bomb)])))
    (failure,) = results  # type: ignore[misc]
    assert isinstance(failure, Failure) and "too large" in failure.reason
    _assert_one_line(failure)
    assert elapsed < 1.0 and peak < 200, (elapsed, peak)


def test_a_100000_deep_html_nesting_is_refused_quickly_in_bounded_memory(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 100_000 + "text " * 20 + "</div>" * 100_000 + "</body></html>")
    results, elapsed, peak = _bounded(lambda: list(iter_documents([str(page)])))
    (failure,) = results  # type: ignore[misc]
    assert isinstance(failure, Failure) and f"deeper than {MAX_HTML_DEPTH:,}" in failure.reason
    _assert_one_line(failure)
    assert elapsed < 1.0 and peak < 200, (elapsed, peak)


def test_an_ordinary_page_with_many_unclosed_paragraphs_is_not_refused() -> None:
    page = "<html><body>" + "<p>para <a href='x'>link</a> " * 5000 + "</body></html>"
    (result,) = iter_documents(["-"], stdin=io.BytesIO(page.encode()))
    assert isinstance(result, Document)
