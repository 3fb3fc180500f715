"""Hostile pages: nesting hidden by markup tricks, a paragraph too long to parse, WARC headers that lie."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import warc_record
from newstrace.ingest import MAX_HTML_DEPTH, html_document
from newstrace.ingest._depth import nests_deeper_than
from newstrace.ingest._warc import from_warc
from newstrace.model import Article, Document, Failure, Span
from newstrace.pipeline import StageError

TRICKS = {
    "plain": "<div>",
    "comment": "<div><!-- x -->",
    "cdata": "<div><![CDATA[x]]>",
    "processing instruction": "<div><?php echo 1; ?>",
    "declaration": "<div><!x>",
    "stray end tag": "<div></span>",
    "self-closing slash": "<div/>",
}


@pytest.mark.parametrize("unit", TRICKS.values(), ids=TRICKS.keys())
def test_html_nested_deep_through_any_markup_trick_is_refused_before_parsing(unit: str) -> None:
    page = "<html><body>" + unit * 100_000 + "<p>Ana Duarte said the port would reopen.</p></body></html>"
    refused = html_document(page)
    assert isinstance(refused, Failure) and "nested deeper than" in refused.reason


# Ways to open one element that a parser keeps open, each hiding the nesting from a plain run of opening tags.
OPENERS = st.sampled_from([*TRICKS.values(), "<b class='a>b'>", "<div\n>", "<DIV>", '<section data-x="</div>">'])


@settings(max_examples=60, deadline=None)
@given(openers=st.lists(OPENERS, min_size=1, max_size=6), extra=st.integers(1, 5_000))
def test_any_mixture_of_openers_past_the_depth_is_refused_below_it_not(openers: list[str], extra: int) -> None:
    def nested(depth: int) -> str:
        return "<html><body>" + "".join(openers[n % len(openers)] for n in range(depth)) + "<p>Text.</p>"

    assert nests_deeper_than(nested(MAX_HTML_DEPTH + extra), MAX_HTML_DEPTH + 2)  # + html and body
    assert not nests_deeper_than(nested(MAX_HTML_DEPTH - 3), MAX_HTML_DEPTH)  # + html, body and p


@pytest.mark.parametrize(
    "page",
    [
        "<div><p>text</p></div>" * 20_000,  # many elements, none deep
        "<ul>" + "<li>an item" * 20_000 + "</ul>",  # list items close their open sibling
        "<p>a paragraph" * 20_000,
        "<br><img src=x><hr>" * 20_000,  # void elements never open
        "<script>" + "'<div>' + " * 20_000 + "'';</script><p>text</p>",  # tags inside a script are text
        "<!--" + "<div>" * 20_000 + "-->",  # tags inside a comment are text
        "<svg>" + "<path d='M0'/>" * 20_000 + "</svg>",
    ],
)
def test_wide_pages_are_not_counted_as_deep(page: str) -> None:
    assert not nests_deeper_than(page, MAX_HTML_DEPTH)
    assert nests_deeper_than("<div>" * (MAX_HTML_DEPTH + 1), MAX_HTML_DEPTH)
    assert not nests_deeper_than("<div>" * MAX_HTML_DEPTH, MAX_HTML_DEPTH)


def test_the_depth_walk_is_linear_on_tags_that_never_end() -> None:
    # Each "<a " tried to the end of the page made this quadratic: bounded by counting the regex's work instead of
    # timing it is not possible here, so a page this size finishing at all (it took hours) is the check.
    for unit in ("<a ", "<!--", "<?", "</a ", '<a x="', "<a x='", '<a x=""\'', "<a x='<"):
        assert not nests_deeper_than(unit * 300_000, MAX_HTML_DEPTH)


def test_a_paragraph_too_long_to_parse_is_refused_before_any_annotation(monkeypatch: pytest.MonkeyPatch) -> None:
    import newstrace.annotate as annotate

    calls: list[str] = []
    monkeypatch.setattr(annotate, "annotate_times", lambda article: calls.append("times") or article)
    stage = annotate.Annotate()
    text = "The port " + "reopened and " * (stage.nlp.max_length // 13 + 1) + "closed."
    article = Article.from_document(Document("<text>", text, "text/plain", "h"))
    article.text, article.language = text, "en"
    article.paragraphs = [Span(0, len(text), text)]
    with pytest.raises(StageError, match="too long to parse"):
        stage(article)
    assert calls == []  # no stage work spent on it: the times took a minute on a 5 MB paragraph


GOOD = warc_record("https://example.org/a", b"<html><body><p>" + b"Ana Duarte said the port reopened. " * 5 + b"</p>")


@pytest.mark.parametrize("length", [b"-5", b"abc", b"12x", b"+12", b""])
def test_a_warc_record_with_a_content_length_that_is_no_byte_count_is_called_so(length: bytes) -> None:
    declared = GOOD.split(b"Content-Length: ")[1].split(b"\r\n")[0]
    bad = GOOD.replace(b"Content-Length: " + declared, b"Content-Length: " + length, 1)
    found = list(from_warc(io.BytesIO(GOOD + bad + GOOD), "lying.warc", 1_000_000))
    assert isinstance(found[0], Document) and len(found) == 2
    assert isinstance(found[1], Failure) and "bad Content-Length" in found[1].reason
    assert "truncated" not in found[1].reason
