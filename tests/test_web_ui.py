"""The web UI's pages through TestClient: what each page shows, and that no asset comes from elsewhere."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newstrace.model import Article, RemovedSpan
from newstrace.present import statements
from newstrace.store import Store
from newstrace.web import create_app
from newstrace.web._render import marked_text
from newstrace.web._ui import timeline_chart
from newstrace.web._views import MarkView, StatementView, article_view, speaker_classes
from test_cli_corpus import DENIAL, PATROL, PATROL_COPY, _article
from test_store import annotated


def desk_pages() -> list[Article]:
    """The desk's pages: one annotated article, a story of two copies, a denial."""
    return [
        annotated(1),
        _article("a" * 64, PATROL, "coast-wire.example", "2026-03-03", "Joint patrol to begin in April"),
        _article("b" * 64, PATROL_COPY, "harbour-blog.example", "2026-03-04", "Patrol to begin in April"),
        _article("c" * 64, DENIAL, "daily-gull.example", "2026-03-12", "No fishing ban, commissioner says"),
    ]


@contextmanager
def desk(path: Path) -> Iterator[TestClient]:
    """A client of a store holding the desk's pages."""
    with Store(path) as store:
        store.write(desk_pages())
        with TestClient(create_app(store)) as test_client:
            yield test_client


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with desk(tmp_path / "ui.db") as test_client:
        yield test_client


class Page(HTMLParser):
    """Elements with their attributes and text: enough to read what a page shows."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text_in: dict[str, str] = {}  # text inside each element with an id
        self.open: list[tuple[str, dict[str, str]]] = []
        self.all_text = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag not in ("meta", "link", "input", "br", "img", "line", "circle"):
            self.open.append((tag, attributes))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("meta", "link", "input", "br", "img", "line", "circle"):
            return
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.all_text += data
        for _, attributes in self.open:
            if "id" in attributes:
                self.text_in[attributes["id"]] = self.text_in.get(attributes["id"], "") + data

    def having(self, attribute: str) -> list[dict[str, str]]:
        return [attributes for _, attributes in self.elements if attribute in attributes]


def test_article_page_marks_statements_times_figures_and_evidence(client: TestClient) -> None:
    article = annotated(1)
    response = client.get(f"/ui/articles/{article.id}")
    assert response.status_code == 200
    page = Page(response.text)
    assert page.text_in["article-text"] == article.text  # every character once, in order
    [statement] = [a for a in page.having("data-statement") if a["data-statement"] == "0"]
    content = article.quotes[0].content
    assert (int(statement["data-start"]), int(statement["data-end"])) == (content.start, content.end)
    assert statement["data-speaker"] == "Mikhail Galuzin" and statement["data-cue"] == "told"
    assert statement["data-channel"] == "RIA Novosti" and statement["data-confidence"] == "0.90"
    assert statement["tabindex"] == "0" and "sp0" in statement["class"]
    assert page.text_in["st-0"] == content.text
    [time] = page.having("data-time")
    assert time["title"] == "DATE 2022-12-24" and page.text_in["article-text"][int(time["data-start"]) :].startswith(
        "Saturday"
    )
    [figure] = page.having("data-figure")
    assert figure["title"] == "9,000 troops (count, around)"
    assert "misleading" in page.text_in["verdict"] and "the body denies it" in page.text_in["verdict"]
    assert page.text_in["ev-0"] == article.headline_check.evidence[0].span.text  # type: ignore[union-attr]
    assert "Mikhail Galuzin" in page.text_in["speakers"] and "unnamed source" in page.text_in["speakers"]
    assert "footer" in page.text_in["removed"] and "Share!" in page.text_in["removed"]


def test_an_unannotated_language_is_said_and_removed_spans_are_collapsed_and_escaped_once(tmp_path: Path) -> None:
    raw = "<nav>Components &amp; Peripherals</nav><p>La pattuglia comincia ad aprile.</p>"
    italian = _article("e" * 64, "La pattuglia comincia ad aprile.", "giornale.example", "2026-03-05", "Pattuglia")
    italian.language, italian.raw = "it", raw
    italian.removed = [RemovedSpan(0, 39, raw[0:39], "boilerplate")]
    with Store(tmp_path / "it.db") as store:
        store.write([italian])
        with TestClient(create_app(store)) as test_client:
            html = test_client.get("/ui/articles/" + "e" * 12).text
    assert "another language (it)" in html and "No statements found" not in html
    removed = html[html.index('id="removed"') :]
    assert "<details>" in removed and "Components &amp; Peripherals" in removed and "&amp;amp;" not in removed


def test_an_article_links_to_its_story_and_says_how_it_joined(client: TestClient) -> None:
    html = client.get("/ui/articles/" + "b" * 64).text
    link = re.search(r'<a id="story" href="/ui/stories/(a{64})">', html)
    assert link and re.search(r"this one: (copy|syndicated) 0\.\d\d", html)
    assert "this one: origin" in client.get("/ui/articles/" + "a" * 64).text


def test_claims_and_evidence_are_numbered_from_one(client: TestClient) -> None:
    html = client.get(f"/ui/articles/{1:064x}").text
    assert '<ol class="claims">' in html and 'start="0"' not in html
    assert "claim 1" in html and "claim 0" not in html


def test_pages_load_nothing_from_other_hosts(client: TestClient) -> None:
    for path in (
        "/ui/",
        f"/ui/articles/{annotated(1).id}",
        "/ui/speakers/Marsh",
        "/ui/stories/",
        "/ui/stories/" + "a" * 64,
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        for tag, attributes in Page(response.text).elements:
            for name in ("src", "href"):
                if name in attributes and tag in ("script", "link", "img"):
                    assert attributes[name].startswith("/static/"), (path, attributes[name])
                    assert client.get(attributes[name]).status_code == 200


def test_speaker_page_draws_a_point_per_dated_statement_and_outlet(client: TestClient) -> None:
    page = Page(client.get("/ui/speakers/Elena Marsh").text)
    points = [a for tag, a in page.elements if tag == "circle"]
    timeline = client.get("/timeline", params={"speaker": "Elena Marsh"}).json()
    expected = sorted((e["date"], c["site"]) for e in timeline["entries"] if e["date"] for c in e["carriers"])
    assert sorted((p["data-date"], p["data-outlet"]) for p in points) == expected and len(expected) >= 3
    rows = {p["cy"] for p in points}
    assert len(rows) == len({site for _, site in expected})  # one row per outlet
    later = {p["data-date"]: float(p["cx"]) for p in points}
    assert later["2026-03-03"] < later["2026-03-12"]


def test_timeline_chart_leaves_undated_statements_off() -> None:
    from newstrace.corpus import StatementRecord, timeline
    from newstrace.model import Span

    records = [
        StatementRecord("x1", "Ana Duarte", Span(0, 5, "Hello"), "2026-01-02", site="a.example"),
        StatementRecord("x2", "Ana Duarte", Span(0, 9, "Goodbye!!"), None, site="b.example"),
        StatementRecord("x3", "Ana Duarte", Span(0, 4, "Well"), "2026-02", site="b.example"),
        StatementRecord("x4", "Ana Duarte", Span(0, 5, "Again"), "2026-01-02", site="a.example"),
    ]
    chart = timeline_chart(timeline(records, "Duarte"))
    assert sorted((p.date, p.outlet) for p in chart.points) == [
        ("2026-01-02", "a.example"),
        ("2026-01-02", "a.example"),
        ("2026-02", "b.example"),
    ]
    assert [outlet for outlet, _ in chart.outlets] == ["a.example", "b.example"]
    same_day = [p.x for p in chart.points if p.date == "2026-01-02"]
    assert abs(same_day[0] - same_day[1]) >= 12  # side by side, not one on top of the other


def test_speaker_page_filters_by_dates_outlet_and_confidence_in_the_url(client: TestClient) -> None:
    def dates(**params: str) -> list[str]:
        page = Page(client.get("/ui/speakers/Elena Marsh", params=params).text)
        return sorted(p["data-date"] for tag, p in page.elements if tag == "circle")

    everything = dates()
    assert dates(since="2026-03-10") == [d for d in everything if d >= "2026-03-10"] != []
    assert dates(until="2026-03-04") == [d for d in everything if d <= "2026-03-04"] != []
    gull = Page(client.get("/ui/speakers/Elena Marsh", params={"site": "gull"}).text)
    assert {p["data-outlet"] for tag, p in gull.elements if tag == "circle"} == {"daily-gull.example"}
    values = {a["name"]: a.get("value") for a in gull.having("name")}
    assert values["site"] == "gull" and values["since"] == ""  # the form shows the filters of the URL
    exports = [a["href"] for a in gull.having("href") if a["href"].startswith("/export/statements?")]
    assert exports and all("site=gull" in href and "speaker=Elena" in href for href in exports)
    assert dates(min_confidence="1") == []
    assert client.get("/ui/speakers/Elena Marsh", params={"since": "2026-02-30"}).status_code == 422
    api = client.get("/timeline", params={"speaker": "Elena Marsh", "site": "gull"}).json()
    assert {c["site"] for e in api["entries"] for c in e["carriers"]} == {"daily-gull.example"}


def test_speaker_page_filters_by_topic_words_as_the_statements_search_does(client: TestClient) -> None:
    page = Page(client.get("/ui/speakers/Elena Marsh", params={"words": "FISHING  ban"}).text)
    listed = page.all_text[page.all_text.index("Statements (") :]
    assert "fishing ban" in listed and "joint patrol" not in listed and "Statements (2)" in listed
    points = {(p["data-date"], p["data-outlet"]) for tag, p in page.elements if tag == "circle"}
    searched = client.get("/statements", params={"speaker": "Elena Marsh", "words": "FISHING  ban"}).json()["items"]
    assert {item["article_id"] for item in searched} == {
        p["href"][13:] for p in page.having("href") if p["href"].startswith("/ui/articles/")
    }
    assert ("2026-03-12", "daily-gull.example") in points and len(points) == 3  # the ban, carried twice, and its denial
    values = {a["name"]: a.get("value") for a in page.having("name")}
    assert values["words"] == "FISHING  ban"
    exports = [a["href"] for a in page.having("href") if a["href"].startswith("/export/statements?")]
    assert exports and all("words=FISHING+ban" in href or "words=FISHING++ban" in href for href in exports)
    exported = client.get(exports[0]).text.splitlines()
    assert len(exported) == 1 + len(searched)
    assert "patrol" in Page(client.get("/ui/speakers/Elena Marsh", params={"words": "patrol"}).text).all_text
    none = Page(client.get("/ui/speakers/Elena Marsh", params={"words": "trawler"}).text)
    assert "Statements (0)" in none.all_text and not [1 for tag, _ in none.elements if tag == "circle"]
    api = client.get("/timeline", params={"speaker": "Elena Marsh", "words": "ban not"}).json()
    assert [entry["content"] for entry in api["entries"]] == [
        "a seasonal fishing ban was not being prepared for the northern banks"
    ]


def test_the_chart_labels_its_date_axis_in_order_without_crowding() -> None:
    import datetime

    from newstrace.web._ui import MAX_TICKS, axis_ticks

    def labels(first: str, last: str) -> list[str]:
        day = datetime.date.fromisoformat
        return [label for label, _ in axis_ticks(day(first).toordinal(), day(last).toordinal())]

    assert labels("2026-03-03", "2026-03-05") == ["2026-03-03", "2026-03-04", "2026-03-05"]
    assert labels("2026-01-02", "2026-02-01") == ["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"]  # Mondays
    assert labels("2026-01-02", "2026-04-20") == ["2026-02", "2026-03", "2026-04"]
    assert labels("2019-11-01", "2026-04-20")[0] == "2020-01"
    assert labels("2026-03-03", "2026-03-03") == ["2026-03-03"]
    for first, last in (("2020-01-01", "2020-01-31"), ("2019-05-17", "2020-02-02"), ("2001-01-01", "2026-12-31")):
        found = labels(first, last)
        assert 2 <= len(found) <= MAX_TICKS and found == sorted(found), (first, last, found)
    from newstrace.corpus import StatementRecord, timeline
    from newstrace.model import Span

    records = [
        StatementRecord("x1", "Ana Duarte", Span(0, 5, "Hello"), "2019-W46", site="a.example"),
        StatementRecord("x2", "Ana Duarte", Span(0, 4, "Well"), "2019-11-19", site="a.example"),
    ]
    chart = timeline_chart(timeline(records, "Duarte"))
    at = {p.date: p.x for p in chart.points}
    assert at["2019-W46"] < at["2019-11-19"] and chart.ticks[0][0] == "2019-11-11"


def test_story_search_and_error_pages(client: TestClient) -> None:
    story = client.get("/ui/stories/" + "a" * 12)
    assert story.status_code == 200 and "Joint patrol to begin in April" in story.text
    assert re.search(r'id="origin" href="/ui/articles/a{64}"', story.text)
    assert "harbour-blog.example" in story.text
    # Each member says how it joined, readable: the copy by its MinHash Jaccard.
    assert re.search(r'<td class="link">(copy|syndicated) 0\.\d\d</td>', story.text)
    listing = client.get("/ui/stories")
    assert listing.status_code == 200 and re.search(r"weakest link 0\.\d\d", listing.text)
    grouped = client.get("/ui/stories/", params={"min_size": 2})
    assert grouped.status_code == 200 and "Stories of 2 articles or more" in grouped.text
    assert grouped.text.count('<td><a href="/ui/stories/') < listing.text.count('<td><a href="/ui/stories/')
    api = client.get("/stories", params={"min_size": 2}).json()
    assert api["total"] >= 1 and all(item["articles"] >= 2 for item in api["items"])
    assert client.get("/stories", params={"min_size": 0}).status_code == 422
    found = client.get("/ui/", params={"q": "patrol"})
    assert found.status_code == 200 and "/ui/articles/" + "b" * 64 in found.text
    # Matches are marked, not bracketed.
    assert re.search(r"<mark>patrol</mark>", found.text, re.IGNORECASE) and "[patrol]" not in found.text.lower()
    bad = client.get("/ui/", params={"q": '"unclosed'})
    assert (
        bad.status_code == 400
        and "cannot read the query" in bad.text
        and bad.headers["content-type"].startswith("text/html")
    )
    missing = client.get("/ui/articles/" + "9" * 64)
    assert missing.status_code == 404 and "no article" in missing.text
    assert client.get("/ui/speakers/Nobody Here").status_code == 404
    assert client.get("/", follow_redirects=False).headers["location"] == "/ui/"


class _Text(HTMLParser):
    """The text content of an HTML fragment and, per statement index, the text inside its pieces."""

    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self.open: list[dict[str, str | None]] = []
        self.statements: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text += data
        for attributes in self.open:
            index = attributes.get("data-statement")
            if index is not None:
                self.statements[index] = self.statements.get(index, "") + data


def test_marked_text_keeps_every_character_and_splits_crossing_marks() -> None:
    text = 'He said "a < b" & left. Then she said the rest.'
    statement = StatementView(
        0, 8, 30, text[8:30], "direct", "Ana", "e1", 0, [], "He", 0, "said", None, None, None, 0.8
    )
    marks = [
        MarkView("statement", 0, 8, 30, "Ana"),
        MarkView("evidence", 0, 0, 23, "refutes claim 0"),  # crosses the statement's end
        MarkView("time", 0, 24, 28, "DATE 2026-03-03"),
    ]
    rendered = marked_text(text, marks, [statement])
    parsed = _Text()
    parsed.feed(str(rendered))
    assert parsed.text == text
    assert parsed.statements == {"0": text[8:30]}
    assert str(rendered).count('data-statement="0"') == 2 and str(rendered).count('tabindex="0"') == 1
    assert "&lt; b&#34; &amp;" in str(rendered) or "&lt; b&quot; &amp;" in str(rendered)


def test_article_view_gives_each_speaker_one_colour() -> None:
    article = annotated(1)
    view = article_view(article)
    assert [(s.name, s.colour, s.statements) for s in view.speakers] == [("Mikhail Galuzin", 0, 1)]
    unnamed = view.statements[1]
    assert unnamed.speaker == "unnamed source" and unnamed.colour == -1
    assert {mark.kind for mark in view.marks} == {"statement", "time", "figure", "evidence"}
    for mark in view.marks:
        assert 0 <= mark.start < mark.end <= len(article.text)


def test_a_statement_split_by_its_cue_is_one_statement_with_every_piece_marked() -> None:
    article = annotated(1)
    whole = article.quotes[0]
    middle = whole.content.start + len("Minsk will")
    first = dataclasses.replace(whole, content=article.span(whole.content.start, middle))
    second = dataclasses.replace(whole, content=article.span(middle + 1, whole.content.end))
    article.quotes = [first, second, *article.quotes[1:]]
    view = article_view(article)
    # The CLI's report counts the same statements: the pieces that share a cue are one.
    assert len(view.statements) == len(statements(article.quotes)) == 2
    assert [(s.name, s.statements) for s in view.speakers] == [("Mikhail Galuzin", 1)]
    rendered = str(marked_text(article.text, view.marks, view.statements))
    page = Page(rendered)
    pieces = [a for a in page.having("data-statement") if a["data-statement"] == "0"]
    assert [(int(p["data-start"]), int(p["data-end"])) for p in pieces] == [
        (first.content.start, first.content.end),
        (second.content.start, second.content.end),
    ]
    assert [p["data-part"] for p in pieces] == ["first", "cont"] and rendered.count('id="st-0"') == 1
    assert [p.get("tabindex") for p in pieces] == ["0", None]
    parsed = _Text()
    parsed.feed(rendered)
    assert parsed.text == article.text and parsed.statements["0"] == first.content.text + second.content.text


def test_twelve_speakers_keep_their_own_colours_and_the_next_ones_a_pattern() -> None:
    classes = [speaker_classes(number) for number in range(30)]
    assert len(set(classes[:12])) == 12 and all(" " not in c for c in classes[:12])
    assert len(set(classes)) == 30 and classes[12] == "sp0 pat1" and classes[24] == "sp0 pat2"
    assert speaker_classes(-1) == "sp-none"


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_highlight_colours_keep_the_text_readable() -> None:
    css = (Path(__file__).resolve().parents[1] / "src/newstrace/web/static/newstrace.css").read_text(encoding="utf-8")
    ink = re.search(r"--ink: (#[0-9a-f]{6})", css).group(1)  # type: ignore[union-attr]
    backgrounds = re.findall(r"\.sp(?:\d+|-none) \{ background: (#[0-9a-f]{6})", css)
    assert len(backgrounds) == 13  # twelve speaker colours and the unnamed source's grey
    assert len(set(backgrounds)) == 13
    for background in backgrounds:
        light, dark = sorted((_luminance(background), _luminance(ink)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 7.0, background  # WCAG AAA for body text


def test_pages_forbid_other_origins_and_unsafe_links(tmp_path: Path) -> None:
    article = annotated(3)
    article.url = "javascript:alert(1)"
    article.headline = '<script>alert("x")</script>'
    with Store(tmp_path / "x.db") as store:
        store.write([article])
        with TestClient(create_app(store)) as client:
            response = client.get(f"/ui/articles/{article.id}")
    assert response.status_code == 200
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert "javascript:" not in response.text and '<script>alert("x")' not in response.text
    assert "&lt;script&gt;" in response.text


def test_listings_page_through_every_result_once(tmp_path: Path) -> None:
    # 130 matches: more than a page (100) held. The search page used to stop at 100 with no way on.
    items = [annotated(number) for number in range(1, 131)]
    with Store(tmp_path / "many.db") as store:
        store.write(items)
        with TestClient(create_app(store)) as client:
            for path in ("/ui/?q=Minsk", "/ui/"):
                seen: list[str] = []
                url: str | None = path
                while url is not None:
                    page = Page(client.get(url).text)
                    seen += [a["href"] for a in page.having("href") if a["href"].startswith("/ui/articles/")]
                    following = [a["href"] for a in page.having("rel") if a["rel"] == "next"]
                    url = following[0] if following else None
                assert len(seen) == len(set(seen)) == 130, path
            past = Page(client.get("/ui/?q=Minsk&offset=500").text)
            assert "No more matches" in past.all_text and "501–500" not in past.all_text
            # The search knows its total: past the end, "previous" leads to the last page that has hits.
            assert [a["href"] for a in past.having("rel") if a["rel"] == "prev"] == ["/ui/?q=Minsk&offset=100"]
            beyond = Page(client.get("/ui/?offset=500").text)  # 130 stored: the last page starts at 100
            assert [a["href"] for a in beyond.having("rel") if a["rel"] == "prev"] == ["/ui/?offset=100"]
            second = Page(client.get("/ui/?q=Minsk&offset=100").text)
            assert "Matches 101–130" in second.all_text
            assert [a["href"] for a in second.having("rel") if a["rel"] == "prev"] == ["/ui/?q=Minsk"]
            found: list[str] = []
            offset: int | None = 0
            while offset is not None:
                answer = client.get("/search", params={"q": "Minsk", "limit": 60, "offset": offset}).json()
                found += [item["id"] for item in answer["items"]]
                offset = answer["next_offset"]
            assert len(found) == len(set(found)) == 130
            statements: list[tuple[str, int]] = []
            offset = 0
            while offset is not None:
                answer = client.get("/statements", params={"limit": 100, "offset": offset}).json()
                statements += [(item["article_id"], item["content"]["start"]) for item in answer["items"]]
                offset = answer["next_offset"]
            assert len(statements) == len(set(statements)) == len(store.statements(limit=10_000)) > 100


def test_head_405_and_internal_errors_answer_as_http_says(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    for path in ("/ui/", "/ui/stories/", "/search?q=patrol", "/articles"):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code == 200 and head.content == b"", path
        assert head.headers["content-type"] == got.headers["content-type"]
    posted = client.post("/ui/")
    assert posted.status_code == 405 and posted.headers["allow"] == "GET, HEAD" and "<html" in posted.text
    assert client.put("/articles").headers["allow"] == "GET, HEAD, POST"  # GET and POST are two routes
    assert client.post("/static/newstrace.css").headers["allow"] == "GET, HEAD"  # a mount of files
    from newstrace.service import CorpusService

    def broken(*_: object) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(CorpusService, "article", broken)
    with TestClient(client.app, raise_server_exceptions=False) as failing:
        page = failing.get(f"/ui/articles/{'a' * 64}")
        assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
        assert "internal error (RuntimeError)" in page.text and "disk gone" not in page.text
        assert failing.get(f"/articles/{'a' * 64}").json()["error"]["code"] == "internal_error"


def test_a_speaker_whose_name_holds_a_slash_has_a_page(tmp_path: Path) -> None:
    with Store(tmp_path / "slash.db") as store:
        store.write([annotated(1, speaker="Ann O'Neil/AC")])
        with TestClient(create_app(store)) as client:
            article = Page(client.get(f"/ui/articles/{annotated(1, speaker='Ann O%27Neil/AC').id}").text)
            links = [a["href"] for a in article.having("href") if a["href"].startswith("/ui/speakers/")]
            assert links and all(client.get(link).status_code == 200 for link in links)


def test_ui_dates_must_exist(client: TestClient) -> None:
    for query in ("since=2026-02-30", "q=patrol&until=2026-99-99"):
        page = client.get(f"/ui/?{query}")
        assert page.status_code == 422 and "not a calendar date" in page.text
    assert client.get("/ui/?since=&until=").status_code == 200  # an empty form field is no date


def test_search_pages_end_at_the_ranked_matches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pages of 20 over 50 ranked matches: the last page holds 10, and no page looks past the ranking.
    import newstrace.service

    monkeypatch.setattr(newstrace.service, "SEARCH_CANDIDATES", 50)
    with Store(tmp_path / "ranked.db") as store:
        store.write([annotated(number) for number in range(1, 61)])
        service = newstrace.service.CorpusService(store)
        pages = [service.search_page("Minsk", 20, offset) for offset in (0, 20, 40, 60)]
    assert [(len(hits), more) for hits, more in pages] == [(20, True), (20, True), (10, False), (0, False)]
