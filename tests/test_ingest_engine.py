"""The ingest command's engine and output options, checked without a cluster."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import newstrace.run.ray_engine
from newstrace.cli import app


def test_engine_ray_without_ray_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(newstrace.run.ray_engine, "ray_available", lambda: False)
    (tmp_path / "a.txt").write_text("Ana Duarte said the port would reopen.")
    result = CliRunner().invoke(
        app, ["ingest", str(tmp_path / "a.txt"), "--db", str(tmp_path / "x.db"), "--engine", "ray"]
    )
    assert result.exit_code == 2
    assert result.stderr == "newstrace: --engine ray needs Ray: pip install 'newstrace[ray]'\n"
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--address", "auto"], "newstrace: --address needs --engine ray\n"),
        (["--output", "csv:out"], "newstrace: --output 'csv:out': expected 'db' or 'parquet:DIR'\n"),
    ],
)
def test_bad_engine_options_are_one_line(tmp_path: Path, options: list[str], message: str) -> None:
    (tmp_path / "a.txt").write_text("Ana Duarte said the port would reopen.")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", str(tmp_path / "x.db"), *options])
    assert (result.exit_code, result.stderr) == (2, message)


def test_every_ingest_option_is_documented() -> None:
    from typer.main import get_command

    docs = (Path(__file__).resolve().parents[1] / "docs" / "CLI.md").read_text(encoding="utf-8")
    section = docs.split("## newstrace ingest", 1)[1].split("\n## ", 1)[0]
    command = get_command(app).commands["ingest"]  # type: ignore[attr-defined]
    options = [name for parameter in command.params for name in parameter.opts if name.startswith("--")]
    assert {"--engine", "--address", "--output", "--log"} <= set(options)
    assert [name for name in options if name not in section] == []
