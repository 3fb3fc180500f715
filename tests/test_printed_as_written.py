"""The commands print input text as written: no emoji codes turned into emoji, no markup of the input obeyed."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.cli._common import out
from newstrace.cli._report import print_report
from newstrace.store import Store
from test_store import annotated, article

HEADLINE = ":fire: Harbour [bold]reopens[/bold] :100:"
BODY = "Harbour master Ana Duarte said on Tuesday that the port would reopen [red]soon[/red] :fire: after the storm."


def test_analyze_prints_emoji_codes_and_brackets_of_the_text_as_written(tmp_path: Path) -> None:
    page = tmp_path / "fire.txt"
    page.write_text(f"{HEADLINE}\n\n{BODY}\n\nThe port had been closed for three weeks.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(page)])
    assert result.exit_code == 0, result.output
    assert HEADLINE in result.stdout and "[red]soon[/red] :fire:" in result.stdout
    assert "🔥" not in result.stdout and "💯" not in result.stdout


def test_search_prints_a_headline_as_written(tmp_path: Path) -> None:
    db = tmp_path / "fire.db"
    with Store(db) as store:
        store.write([article(1, body="The port reopened :fire: [red]today[/red].", headline=HEADLINE)])
    result = CliRunner().invoke(app, ["search", "port", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert HEADLINE in result.stdout and "🔥" not in result.stdout


def test_a_jsonl_source_line_number_is_not_an_emoji_in_skip_lines_or_failures(tmp_path: Path) -> None:
    source = tmp_path / "lines.jsonl"
    source.write_text("\n" * 99 + '{"nottext": 1}\n', encoding="utf-8")
    db = tmp_path / "lines.db"
    ingested = CliRunner().invoke(app, ["ingest", str(source), "--db", str(db)])
    assert ingested.exit_code == 3, ingested.output
    assert f"skipped {source}:100: " in ingested.stderr and "💯" not in ingested.stderr
    failures = CliRunner().invoke(app, ["failures", "--db", str(db)])
    assert f"{source}:100: " in failures.stdout and "💯" not in failures.stdout


# Markup, emoji codes and the backslashes that escape them, in any order: the pieces a headline could hold. Control
# characters are left out: the console drops them on purpose (a backspace in a headline must not rewrite the line).
MARKUP_PIECES = st.sampled_from(["[", "]", "/", "\\", ":", "fire", "100", "bold", "red", "link=x", "@", "#", "=", " "])
PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"))
marked_up = st.lists(st.one_of(MARKUP_PIECES, st.text(PRINTABLE, max_size=3)), max_size=12).map("".join)


one_line_markup = marked_up.map(lambda text: " ".join(text.split())).filter(bool)


@settings(max_examples=200, deadline=None)
@given(headline=one_line_markup, speaker=one_line_markup)
def test_the_report_prints_a_headline_and_a_speaker_of_any_markup_as_written(headline: str, speaker: str) -> None:
    # The report prints input inside its own bold and dim styles: the input itself must never be read as markup.
    reported = annotated(1, speaker=speaker)
    reported.headline = headline
    with out.capture() as captured:
        print_report(reported)
    lines = captured.get().splitlines()
    assert lines[0] == headline
    assert any(line.startswith(f"  PERSON  {speaker} (") for line in lines), lines
    assert any(line.startswith(f"  {speaker} (Deputy Foreign Minister) — told — ") for line in lines), lines


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headline=one_line_markup)
def test_a_stored_headline_of_any_markup_prints_as_written_in_search(tmp_path: Path, headline: str) -> None:
    db = tmp_path / f"markup-{abs(hash(headline))}.db"
    with Store(db) as store:
        store.write([article(1, body="The port reopened today after the storm.", headline=headline)])
    found = CliRunner().invoke(app, ["search", "port", "--db", str(db)])
    assert found.exit_code == 0, found.output
    assert found.stdout.splitlines()[0].endswith(f"  {headline} 1"), (found.stdout, headline)
