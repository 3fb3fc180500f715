"""``newstrace stages``: the registered pipeline stages with what each reads and fills in."""

from __future__ import annotations

import json

import typer

from newstrace.cli._common import JsonLinesOption, out
from newstrace.pipeline import DEFAULT_STAGES, registered_stages


def stages_command(as_json: JsonLinesOption = False) -> None:
    """List the pipeline stages in the order a run applies them, with what each reads and fills in."""
    specs = registered_stages()
    # The default pipeline's order first; stages registered beside it follow by name.
    order = {name: position for position, name in enumerate(DEFAULT_STAGES)}
    specs.sort(key=lambda spec: (order.get(spec.name, len(order)), spec.name))
    for spec in specs:
        if as_json:
            record = {"name": spec.name, "doc": spec.doc, "requires": list(spec.requires)}
            typer.echo(json.dumps({**record, "assigns": list(spec.assigns), "default": spec.name in order}))
            continue
        out.print(f"[bold]{spec.name}[/bold]  {spec.doc}")
        out.print(f"  requires: {', '.join(spec.requires) or '—'}")
        out.print(f"  assigns:  {', '.join(spec.assigns) or '—'}")
