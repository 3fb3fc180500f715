"""Commands over many articles at once, registered into the CLI's Typer app by :func:`register`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def evaluate_stories_command(
    stances_csv: Annotated[Path, typer.Argument(help="FNC-1 stances CSV (Headline, Body ID, Stance).")],
    bodies_csv: Annotated[Path, typer.Argument(help="FNC-1 bodies CSV (Body ID, articleBody).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Story clustering: B-cubed and pairwise P/R/F1 on FNC-1 stories, with a TF-IDF baseline in the same run."""
    from newstrace.evaluate.stories import evaluate_stories

    progress = Progress(
        SpinnerColumn(), TextColumn("assigning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True,
    )  # fmt: skip
    try:
        with progress:
            report = evaluate_stories(stances_csv, bodies_csv, progress=lambda ids: progress.track(ids))
    except (FileNotFoundError, ValueError) as error:
        err.print(f"newstrace: {error}", markup=False)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    systems = report["systems"]
    assert isinstance(systems, dict)
    first = next(iter(systems.values()))["all"]
    out.print(f"FNC-1 stories from {stances_csv}: {first['bodies']} bodies in {first['gold_stories']} gold stories")
    header = "   B³ P    B³ R    B³ F1   pair P  pair R  pair F1"
    out.print(f"{'system':<26} {'part':<7} {'bodies':>6} {'gold':>5} {'clusters':>8}{header}")
    for name, parts in systems.items():
        for part, scores in parts.items():
            b3, pair = scores["bcubed"], scores["pairwise"]
            figures = "  ".join(f"{d[k]:.4f}" for d in (b3, pair) for k in ("precision", "recall", "f1"))
            counts = f"{scores['bodies']:>6} {scores['gold_stories']:>5} {scores['clusters']:>8}"
            out.print(f"{name:<26} {part:<7} {counts}   {figures}")
    out.print("tuning: the seeded half of the gold stories newstrace's settings were chosen on; rest: the other half")


def register(evaluate_app: typer.Typer) -> None:
    """Add the corpus commands to the CLI's ``evaluate`` group."""
    evaluate_app.command("stories")(evaluate_stories_command)
