"""The commands print input text as written: no emoji codes turned into emoji, no markup of the input obeyed."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.store import Store
from test_store import article

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
