"""The desk's links between pages: entity mentions in an article's text, statements about an entity, contradictions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newstrace.store import Store
from newstrace.web._render import marked_text
from newstrace.web._views import MarkView, StatementView
from test_store import annotated
from test_web_ui import Page, desk


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with desk(tmp_path / "links.db") as test_client:
        yield test_client


class Nesting(HTMLParser):
    """Checks that every element closes in the order it opened and that no link holds a focusable element."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, dict[str, str]]] = []
        self.text = ""
        self.links: list[tuple[dict[str, str], str]] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if any(open_tag == "a" for open_tag, _ in self.open) and (tag == "a" or attributes.get("tabindex") == "0"):
            self.problems.append(f"<{tag}> inside a link")
        self.open.append((tag, attributes))
        if tag == "a":
            self.links.append((attributes, ""))

    def handle_endtag(self, tag: str) -> None:
        opened, _ = self.open.pop()
        if opened != tag:
            self.problems.append(f"</{tag}> closes <{opened}>")

    def handle_data(self, data: str) -> None:
        self.text += data
        if any(tag == "a" for tag, _ in self.open):
            attributes, text = self.links[-1]
            self.links[-1] = (attributes, text + data)


def test_entity_mentions_in_the_text_link_to_their_pages(client: TestClient) -> None:
    article = annotated(1)
    response = client.get(f"/ui/articles/{article.id}")
    page = Page(response.text)
    assert page.text_in["article-text"] == article.text  # every character once, in order
    text = re.search(r'<div id="article-text"[^>]*>(.*?)</div>', response.text, re.S)
    assert text is not None
    nesting = Nesting()
    nesting.feed(text[1])
    assert nesting.problems == [] and nesting.open == []
    linked = {attributes["href"]: words for attributes, words in nesting.links}
    assert linked == {"/ui/entities/person%3Amikhail-galuzin": "Mikhail Galuzin", "/ui/entities/place%3Aminsk": "Minsk"}
    assert all(attributes["tabindex"] == "-1" for attributes, _ in nesting.links)  # Tab stays on statements
    # "Minsk" is inside a statement: the statement's mark holds the link, and still takes focus.
    assert '<a data-start="71"' in page_text(response.text, "st-0")
    for href in linked:
        assert client.get(href).status_code == 200


def page_text(html: str, element_id: str) -> str:
    """The markup from the element with this id to the end of its line of marks."""
    return html[html.index(f'id="{element_id}"') :]


def test_a_link_crossing_other_marks_is_cut_to_stay_innermost_and_escaped() -> None:
    text = 'Ana <Bo> "Cy Dee" met.'
    statement = StatementView(0, 9, 16, text[9:16], "direct", "Ana", "e1", 0, [], None, None, None, None, None, None, 1)
    marks = [
        MarkView("statement", 0, 9, 16, "Ana"),
        MarkView("time", 0, 4, 11, "DATE x"),
        # The mention of "<Bo> "Cy" crosses the time's end and the statement's start.
        MarkView("entity", 0, 4, 12, 'x"><img onerror=alert(1)>', target='person:"><script>'),
        MarkView("entity", 1, 13, 16, "Dee", target="person:dee"),
    ]
    rendered = str(marked_text(text, marks, [statement]))
    nesting = Nesting()
    nesting.feed(rendered)
    assert nesting.problems == [] and nesting.open == [] and nesting.text == text
    assert "<script>" not in rendered and "<img" not in rendered
    pieces = [words for attributes, words in nesting.links if attributes["data-entity"] == 'person:"><script>']
    assert "".join(pieces) == text[4:12] and len(pieces) == 3  # cut at the statement's start and the time's end
    assert {attributes["href"] for attributes, _ in nesting.links} == {
        "/ui/entities/person%3A%22%3E%3Cscript%3E",
        "/ui/entities/person%3Adee",
    }
    assert rendered.count('tabindex="0"') == 1


def test_an_entity_page_lists_statements_about_it_apart_from_its_own(client: TestClient) -> None:
    page = client.get("/ui/entities/place:minsk")
    assert page.status_code == 200
    shown = Page(page.text)
    # Mikhail Galuzin's "Minsk will not attack." names Minsk in its content.
    assert "Statements about Minsk (1)" in shown.all_text
    about = page.text[page.text.index('id="about"') : page.text.index("</ol>", page.text.index('id="about"'))]
    assert "Minsk will not attack." in about and 'href="/ui/speakers/Mikhail%20Galuzin"' in about
    assert f'href="/ui/articles/{annotated(1).id}"' in about
    # His own page: he says it, and no one's statement names him, so nothing is about him.
    galuzin = client.get("/ui/entities/person:mikhail-galuzin").text
    assert "Statements about Mikhail Galuzin (0)" in galuzin and "No statement by anyone else names" in galuzin
    assert "Minsk will not attack." in galuzin  # among the statements by him
    # Paged 100 at a time: past the end, a link back to the last page.
    past = client.get("/ui/entities/place:minsk", params={"offset": 100}).text
    assert 'id="about"' not in past and 'rel="prev" href="/ui/entities/place%3Aminsk"' in past


def test_statements_about_an_entity_are_read_by_mention_spans_inside_the_content(tmp_path: Path) -> None:
    article = annotated(1)
    with Store(tmp_path / "about.db") as store:
        store.write([article])
        # e2 is Minsk, mentioned inside statement 0's content; e1 (Galuzin) only before its cue.
        [about_minsk] = store.statements_about([f"{article.id}/e2"])
        assert about_minsk.text == "Minsk will not attack." and about_minsk.speaker == "Mikhail Galuzin"
        assert store.statements_about([f"{article.id}/e1"]) == []
        assert store.statements_about([f"{'f' * 64}/e2"]) == []  # an article not stored


def test_the_speaker_page_flags_a_contradiction_with_both_quotes_and_their_articles(client: TestClient) -> None:
    page = client.get("/ui/speakers/Elena Marsh").text
    section = page[page.index('<section id="contradictions"') : page.index("</section>", page.index("contradictions"))]
    assert "Contradictions (1)" in section
    asserts = section[section.index('class="asserts"') : section.index("</blockquote>")]
    denies = section[section.index('class="denies"') :]
    assert "“a seasonal fishing ban was being prepared for the northern banks”" in asserts
    assert "“a seasonal fishing ban was not being prepared for the northern banks”" in denies
    # The claim, carried by the wire and its copy, and the denial, each linked to the articles that carry it.
    assert f'href="/ui/articles/{"a" * 64}"' in asserts and f'href="/ui/articles/{"b" * 64}"' in asserts
    assert f'href="/ui/articles/{"c" * 64}"' in denies and "on: ban, banks, fishing, northern" in section
    # Left out by a filter, the denial no longer contradicts anything shown.
    assert 'id="contradictions"' not in client.get("/ui/speakers/Elena Marsh", params={"until": "2026-03-10"}).text


def _carried_elsewhere(client: TestClient, article_id: str) -> tuple[list[dict[str, str]], list[str], str]:
    """An article page's statements carried elsewhere, the articles its legend links to, and the legend."""
    html = client.get(f"/ui/articles/{article_id}").text
    legend = html[html.index('id="speakers"') : html.index('id="statement-details"')]
    return Page(html).having("data-carried"), re.findall(r'href="/ui/articles/([0-9a-f]{64})"', legend), legend


def test_a_statement_links_to_the_other_articles_that_carry_it(client: TestClient) -> None:
    origin, copy, denial = "a" * 64, "b" * 64, "c" * 64
    carried, elsewhere, legend = _carried_elsewhere(client, origin)
    assert len(carried) >= 3  # Marsh's patrol and ban, Smith's depots: each carried by the copy too
    assert set(elsewhere) == {copy} and len(elsewhere) == len(carried)
    page = Page(client.get(f"/ui/articles/{origin}").text)
    for item in carried:
        assert f'href="#st-{item["data-carried"]}"' in legend and page.text_in.get(f"st-{item['data-carried']}")
    assert "harbour-blog.example" in legend and client.get(f"/ui/articles/{copy}").status_code == 200
    # The copy links back; the denial is another statement (it denies), carried by its own article alone.
    back, to, _ = _carried_elsewhere(client, copy)
    assert set(to) == {origin} and len(back) == len(carried)
    assert _carried_elsewhere(client, denial)[0] == [] and _carried_elsewhere(client, annotated(1).id)[0] == []


def _trail(html: str) -> tuple[list[str], list[str], str]:
    """A page's breadcrumbs: their labels, the links among them, and the label of the page itself."""
    crumbs = html[html.index('<nav class="crumbs"') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    labels = [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", crumbs)]
    current = re.findall(r'<span aria-current="page">(.*?)</span>', crumbs)
    assert len(current) == 1 and html.count('class="crumbs"') == 1
    return labels, re.findall(r'<a href="([^"]+)">', crumbs), current[0]


def test_article_story_speaker_and_entity_pages_have_breadcrumbs_that_resolve(client: TestClient) -> None:
    entity = next(
        e for e in client.get("/entities", params={"label": "PERSON"}).json()["items"] if e["name"] == "Elena Marsh"
    )
    story = "/ui/stories/" + "a" * 64
    expected = {
        "/ui/articles/" + "b" * 64: (
            ["Home", "Stories", "Joint patrol to begin in April", "Patrol to begin in April"],
            ["/ui/", "/ui/stories/", story],
        ),
        story: (["Home", "Stories", "Joint patrol to begin in April"], ["/ui/", "/ui/stories/"]),
        "/ui/speakers/Elena Marsh": (["Home", "Speakers", "Elena Marsh"], ["/ui/"]),
        f"/ui/entities/{entity['id']}": (["Home", "Entities", "Elena Marsh"], ["/ui/", "/ui/entities/"]),
    }
    for path, (labels, links) in expected.items():
        found, hrefs, current = _trail(client.get(path).text)
        assert (found, hrefs, current) == (labels, links, labels[-1]), path
        assert all(client.get(href).status_code == 200 for href in hrefs)
