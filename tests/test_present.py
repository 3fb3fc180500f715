"""The presentation layer: one way to merge, count and name statements and to write figures, for the CLI and the UI."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.model import Article, Quantity, Quote
from newstrace.present import figure, figure_value, one_line, speaker_label, speaker_name, statements
from newstrace.store import Store
from newstrace.web._views import article_view
from test_store import annotated


def _split(article: Article) -> tuple[Quote, Quote]:
    """Article's first quote cut in two pieces that keep its cue, as PolNeAR splits "X is said to Y"."""
    whole = article.quotes[0]
    middle = whole.content.start + len("Minsk will")
    first = dataclasses.replace(whole, content=article.span(whole.content.start, middle))
    second = dataclasses.replace(whole, content=article.span(middle + 1, whole.content.end))
    article.quotes = [first, second, *article.quotes[1:]]
    return first, second


def test_pieces_that_share_a_cue_are_one_statement() -> None:
    article = annotated(1)
    first, second = _split(article)
    said = statements(article.quotes)
    assert [s.quotes for s in said] == [(first, second), (article.quotes[2],)]
    assert said[0].text == "Minsk will … not attack." and said[0].quote is first
    assert said[0].pieces == [first.content, second.content]
    # A quote without a cue is never merged, even beside another without one.
    assert len(statements([article.quotes[2], article.quotes[2]])) == 2


def test_speakers_and_figures_read_one_way() -> None:
    article = annotated(1)
    galuzin, unnamed = article.quotes
    assert speaker_name(galuzin) == "Mikhail Galuzin" and speaker_name(unnamed) is None
    assert speaker_label("Mikhail Galuzin", ["Deputy Foreign Minister"]) == "Mikhail Galuzin (Deputy Foreign Minister)"
    assert speaker_label(None, []) == "unnamed source"
    assert figure(article.quantities[0]) == "9,000 troops (count, around)"
    assert figure(Quantity("2.5%", 0, 4, 2.5, "percent", None, None, "percent")) == "2.5 percent (percent)"
    assert figure_value(1234567.0) == "1,234,567"
    assert one_line("a\n  b " + "c" * 20, 10) == "a b ccc…"  # the first limit - 3 characters and "…"


def test_the_cli_report_and_the_web_page_count_the_same_statements(tmp_path: Path) -> None:
    article = annotated(1)
    _split(article)
    with Store(tmp_path / "p.db") as store:
        store.write([article])
    result = CliRunner().invoke(app, ["show", article.id, "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 0
    assert "Statements: 2" in result.stdout
    assert "Mikhail Galuzin (Deputy Foreign Minister) — told — Minsk will … not attack." in result.stdout
    view = article_view(article)
    assert len(view.statements) == 2 and [(s.name, s.statements) for s in view.speakers] == [("Mikhail Galuzin", 1)]
