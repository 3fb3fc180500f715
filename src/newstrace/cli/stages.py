"""``newstrace stages``: the registered stages, and a pipeline's contract checked stage by stage."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.text import Text

from newstrace.cli._common import JsonLinesOption, out, usage_error
from newstrace.pipeline import DEFAULT_STAGES, StageAnalysis, analyze_pipeline, registered_stages

PipelineOption = Annotated[
    str | None,
    typer.Option("--pipeline", help="Stage names, comma-separated, to check as one pipeline (default: the run's)."),
]


def stages_command(as_json: JsonLinesOption = False, pipeline: PipelineOption = None) -> None:
    """List the stages in run order: what each reads, where that comes from, what it fills in, and any problem."""
    names = tuple(name.strip() for name in pipeline.split(",") if name.strip()) if pipeline else DEFAULT_STAGES
    if not names:
        usage_error("--pipeline names no stage")
    try:
        rows = analyze_pipeline(names)
    except KeyError as error:
        usage_error(str(error.args[0]))
    # Stages registered beside the checked pipeline follow by name, each on its own (no provider, no problem).
    rows += [
        StageAnalysis(spec.name, spec.doc, spec.requires, spec.assigns)
        for spec in registered_stages()
        if spec.name not in names
    ]
    for row in rows:
        if as_json:
            typer.echo(json.dumps(_record(row, in_pipeline=row.name in names)))
        else:
            _print(row)
    if any(row.problems for row in rows):
        raise typer.Exit(1)


def _record(row: StageAnalysis, *, in_pipeline: bool) -> dict[str, object]:
    return {
        "name": row.name,
        "doc": row.doc,
        "requires": list(row.requires),
        "assigns": list(row.assigns),
        "default": row.name in DEFAULT_STAGES,
        "in_pipeline": in_pipeline,
        "provided_by": row.provided_by,
        "problems": list(row.problems),
    }


def _print(row: StageAnalysis) -> None:
    # A stage's name and docstring are another package's text: printed as written, as input is.
    out.print(Text.assemble((row.name, "bold"), f"  {row.doc}"))
    requires = [f"{name} ({row.provided_by[name]})" if name in row.provided_by else name for name in row.requires]
    out.print(f"  requires: {', '.join(requires) or '—'}", markup=False)
    out.print(f"  assigns:  {', '.join(row.assigns) or '—'}", markup=False)
    for problem in row.problems:
        out.print(Text.assemble("  ", ("problem:", "red"), f"  {problem}"))
