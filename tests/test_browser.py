"""The web UI in a real browser (Debian's Chromium driven by Playwright) on the seed article, served by uvicorn."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import ROOT, running_server
from newstrace import Article, analyze
from newstrace.present import statements
from newstrace.store import Store

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "build" / "screenshots"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _browser_or_skip() -> Any:
    """Playwright's sync API; without Chromium or Playwright the test skips, except under CI=true, where it fails."""
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} is absent (apt-get install -y chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = problem or "playwright is not installed (the test extra pins it)"
    if problem is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {problem}")
        pytest.skip(problem)
    return sync_playwright


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[tuple[str, Article]]:
    seed = ROOT.parent / "shared" / "seed" / "seed_article.txt"
    if not seed.exists():
        pytest.skip(f"{seed} is absent: the browser tests open the seed's pages")
    (article,) = analyze(str(seed))
    assert isinstance(article, Article)
    db = tmp_path_factory.mktemp("browser") / "seed.db"
    with Store(db) as store:
        store.write([article])
    with running_server(db) as base:
        yield base, article


@pytest.fixture(scope="module")
def page(served: tuple[str, Article]) -> Iterator[Any]:
    sync_playwright = _browser_or_skip()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 1000})
            # Nothing but this server: a request to another host would be a page fetching from the internet.
            base = served[0]
            outside: list[str] = []

            def refuse(route: Any) -> None:
                outside.append(route.request.url)
                route.abort()

            context.route(lambda url: not url.startswith(base), refuse)
            yield context.new_page()
            assert outside == [], f"the pages asked for {outside}"
        finally:
            browser.close()


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000


# For each statement index: where its first piece starts in the text, the text of all its pieces, and its speaker.
STATEMENTS_JS = """() => {
  const root = document.getElementById('article-text');
  const found = {};
  for (const piece of root.querySelectorAll('.st[data-statement]')) {
    const index = piece.dataset.statement;
    if (!(index in found)) {
      const range = document.createRange();
      range.setStart(root, 0);
      range.setEnd(piece, 0);
      found[index] = {offset: range.toString().length, text: '', speaker: piece.dataset.speaker,
                      colour: getComputedStyle(piece).backgroundColor, focusable: piece.tabIndex === 0};
    }
    found[index].text += piece.textContent;
  }
  return {text: root.textContent, statements: found};
}"""


def test_article_page_highlights_galuzins_quotes_and_shows_the_verdict(page: Any, served: tuple[str, Article]) -> None:
    base, article = served
    page.goto(f"{base}/ui/articles/{article.id}")
    shown = page.evaluate(STATEMENTS_JS)
    assert shown["text"] == article.text
    # The page numbers statements as a reader takes them: the content pieces that share a cue are one.
    quotes = [
        (index, statement.quote)
        for index, statement in enumerate(statements(article.quotes))
        if statement.quote.kind == "direct"
        and statement.quote.speaker
        and statement.quote.speaker.name == "Mikhail Galuzin"
    ]
    assert len(quotes) == 3
    for index, quote in quotes:
        statement = shown["statements"][str(index)]
        assert statement["offset"] == quote.content.start
        assert statement["text"] == quote.content.text == article.text[quote.content.start : quote.content.end]
        assert statement["speaker"] == "Mikhail Galuzin" and statement["focusable"]
    colours = {shown["statements"][str(index)]["colour"] for index, _ in quotes}
    assert len(colours) == 1
    others = {s["colour"] for s in shown["statements"].values() if s["speaker"] != "Mikhail Galuzin"}
    assert colours.isdisjoint(others)

    verdict = page.locator("#verdict")
    assert verdict.locator(".verdict-word").inner_text().strip().lower() == "misleading"
    check = article.headline_check
    assert check is not None
    number, refuting = next((i, e) for i, e in enumerate(check.evidence) if e.role == "refutes")
    assert refuting.span.text in verdict.inner_text()
    assert int(page.locator(f"#ev-{number}").get_attribute("data-start")) == refuting.span.start
    pieces = f"[...document.querySelectorAll('.ev[data-evidence=\"{number}\"]')].map(e => e.textContent).join('')"
    assert page.evaluate(pieces) == refuting.span.text

    # Keyboard: Tab from the headline reaches the first statement, whose details fill the panel.
    page.focus("#quick-q")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('st')"):
            break
    focused = page.evaluate("document.activeElement.dataset.speaker")
    assert page.locator("#statement-details [data-field=speaker]").inner_text() == focused
    _shot(page, "article")


def test_speaker_page_has_a_point_per_dated_statement(page: Any, served: tuple[str, Article]) -> None:
    base, _ = served
    timeline = httpx.get(f"{base}/timeline", params={"speaker": "Mikhail Galuzin"}).json()
    dated = [(entry["date"], carrier["site"] or carrier["article_id"]) for entry in timeline["entries"]
             if entry["date"] for carrier in entry["carriers"]]  # fmt: skip
    assert len(dated) >= 3
    page.goto(f"{base}/ui/speakers/Mikhail Galuzin")
    points = page.locator("#timeline-chart circle.point")
    assert points.count() == len(dated)
    drawn = sorted((points.nth(i).get_attribute("data-date"), points.nth(i).get_attribute("data-outlet"))
                   for i in range(points.count()))  # fmt: skip
    assert drawn == sorted(dated)
    _shot(page, "speaker")


def test_story_and_search_pages(page: Any, served: tuple[str, Article]) -> None:
    base, article = served
    page.goto(f"{base}/ui/stories/{article.id}")
    assert page.locator("#origin").get_attribute("href") == f"/ui/articles/{article.id}"
    assert page.locator("table.members tbody tr").count() == 1
    _shot(page, "story")
    page.goto(f"{base}/ui/?q=Galuzin")
    assert page.locator("ol.results li").count() == 1
    _shot(page, "search")


def test_the_api_docs_render_every_operation(page: Any, served: tuple[str, Article]) -> None:
    """Swagger UI reads FastAPI's OpenAPI 3.1 and lists each operation (Swagger UI 4 showed only an error)."""
    import json
    import urllib.request

    base, _ = served
    with urllib.request.urlopen(f"{base}/openapi.json") as response:
        schema = json.load(response)
    assert schema["openapi"].startswith("3.1")
    methods = {"get", "post", "put", "patch", "delete", "head", "options"}
    operations = sum(1 for item in schema["paths"].values() for method in item if method in methods)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/docs")
    page.wait_for_selector(".opblock", timeout=15_000)
    assert page.locator(".opblock").count() == operations > 0
    assert "valid version field" not in page.content() and errors == []
