"""The ``newstrace`` command line: this module assembles the commands of the modules beside it into one app."""

from __future__ import annotations

from newstrace.cli import analyze, corpus, evaluate, ingest, serve, stages, store
from newstrace.cli._common import EXIT_SKIPPED, EXIT_USAGE, app, evaluate_app

__all__ = ["EXIT_SKIPPED", "EXIT_USAGE", "app", "main"]

# In the order `newstrace --help` lists them.
app.command("timeline")(corpus.timeline_command)
app.command("entities")(corpus.entities_command)
app.command("entity")(corpus.entity_command)
app.command("stories")(corpus.stories_command)
app.command("story")(corpus.story_command)
app.command("analyze")(analyze.analyze_command)
app.command("ingest")(ingest.ingest_command)
app.command("search")(store.search_command)
app.command("show")(store.show_command)
app.command("export")(store.export_command)
app.command("backup")(store.backup_command)
app.command("stages")(stages.stages_command)
app.command("failures")(store.failures_command)
app.command("quotes")(store.quotes_command)
app.command("serve")(serve.serve_command)

app.add_typer(evaluate_app, name="evaluate")
evaluate_app.command("stories")(evaluate.evaluate_stories_command)
evaluate_app.command("extraction")(evaluate.evaluate_extraction_command)
evaluate_app.command("attribution")(evaluate.evaluate_attribution_command)
evaluate_app.command("clickbait")(evaluate.evaluate_clickbait_command)
evaluate_app.command("stance")(evaluate.evaluate_stance_command)
evaluate_app.command("verdicts")(evaluate.evaluate_verdicts_command)
evaluate_app.command("times")(evaluate.evaluate_times_command)
evaluate_app.command("speakers")(evaluate.evaluate_speakers_command)
evaluate_app.command("stream")(evaluate.evaluate_stream_command)
evaluate_app.command("entities-ru")(evaluate.evaluate_entities_ru_command)


def main() -> None:
    """Entry point of the console script."""
    app()
