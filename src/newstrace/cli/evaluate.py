"""``newstrace evaluate …``: each command runs one task's scorer from :mod:`newstrace.evaluate` and prints it."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from newstrace.cli._common import EXIT_SKIPPED, benchmark_folder, err, out, progress_bar, report_failure

ScoresJsonOption = Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")]
# FNC-1's two files, and the options of the commands that score the headline check on them.
StancesCsv = Annotated[Path, typer.Argument(help="FNC-1 stances CSV (Headline, Body ID, Stance).")]
BodiesCsv = Annotated[Path, typer.Argument(help="FNC-1 bodies CSV (Body ID, articleBody).")]
DevSplitOption = Annotated[
    bool, typer.Option("--dev-split", help="Score only the bodies held out from training (for the train file).")
]
StorySplitOption = Annotated[
    bool,
    typer.Option(
        "--story-split",
        help="Score only the whole stories held out from training (bodies linked by related headlines).",
    ),
]
ModelOption = Annotated[
    Path | None,
    typer.Option(
        "--model", help="A stance model file to use instead of the shipped one (e.g. one trained for another split)."
    ),
]


def evaluate_extraction_command(
    aeb_dir: Annotated[
        Path,
        typer.Argument(help="A folder in the ScrapingHub benchmark format (ground-truth.json, html/)."),
    ],
    as_json: ScoresJsonOption = False,
) -> None:
    """Main-text extraction: mean per-page 4-gram shingle P/R and F1, beside trafilatura's default."""
    import warnings

    from newstrace.evaluate.extraction import evaluate_extraction

    warnings.filterwarnings("ignore")
    with progress_bar("scoring") as progress, benchmark_folder():
        report = evaluate_extraction(aeb_dir, progress=lambda pages: progress.track(list(pages)))
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
        return
    table = Table(title=f"Article extraction on {aeb_dir} ({report.systems[0].pages} pages)")
    for column in ("system", "precision", "recall", "F1", "failures", "seconds"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for system in report.systems:
        table.add_row(
            system.name,
            f"{system.precision:.3f}",
            f"{system.recall:.3f}",
            f"{system.f1:.3f}",
            str(system.failures),
            f"{system.seconds:.1f}",
        )
    out.print(table)
    out.print(f"paragraphs located in the raw HTML: {report.located_lines:.1%}")


def evaluate_attribution_command(
    split_dir: Annotated[Path, typer.Argument(help="A PolNeAR split folder with text/ and attributions/.")],
    as_json: ScoresJsonOption = False,
) -> None:
    """Attribution on PolNeAR: exact Source/Cue/Content P/R/F1, lenient content, speakers; textacy beside it."""
    import logging

    from newstrace.evaluate.attribution import newstrace_predictor, read_split, score, textacy_predictor

    # Malformed annotation lines are counted by the readers, not shown here.
    for reader in ("newstrace.evaluate.attribution", "newstrace.datasets.polnear"):
        logging.getLogger(reader).setLevel(logging.ERROR)
    with benchmark_folder():
        articles = read_split(split_dir)
    systems = [("newstrace", newstrace_predictor())]
    peer = textacy_predictor()
    if peer is not None:
        systems.append(("textacy direct_quotations", peer))
    else:
        err.print("textacy is not installed: its scores are left out (pip install textacy==0.13.0)")
    reports = []
    with progress_bar("{task.description}") as progress:
        for name, predictor in systems:
            reports.append(
                score(articles, predictor, name, progress=partial(progress.track, description=name)).to_dict()
            )
    if as_json:
        typer.echo(json.dumps({"split": str(split_dir), "systems": reports}, indent=2))
        return
    gold = sum(len(a.attributions) for a in articles)
    table = Table(title=f"Attribution on {split_dir} ({len(articles)} articles, {gold} attributions)")
    for column in ("system", "Source F1", "Cue F1", "Content F1", "lenient content P/R/F1", "speaker acc.", "failed"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for report in reports:
        exact, lenient = report["exact"], report["lenient_content"]
        assert isinstance(exact, dict) and isinstance(lenient, dict)
        table.add_row(
            str(report["system"]),
            *(f"{exact[role]['f1']:.3f}" for role in ("Source", "Cue", "Content")),
            f"{lenient['precision']:.3f}/{lenient['recall']:.3f}/{lenient['f1']:.3f}",
            f"{report['speaker_accuracy_on_matched_contents']:.3f}",
            str(report["failed_articles"]),
        )
    out.print(table)


def evaluate_clickbait_command(
    clickbait_dir: Annotated[Path, typer.Argument(help="A folder with clickbait_data.gz and non_clickbait_data.gz.")],
    as_json: ScoresJsonOption = False,
) -> None:
    """Clickbait headlines: accuracy, precision, recall, F1 of the shipped model on its held-out split."""
    from newstrace.evaluate.clickbait import evaluate_clickbait

    with benchmark_folder():
        report = evaluate_clickbait(clickbait_dir)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    out.print(
        f"Clickbait on {clickbait_dir}: {report['headlines']} held-out headlines ({report['split']})", markup=False
    )
    out.print(
        f"  accuracy {report['accuracy']:.3f}  precision {report['precision']:.3f}  "
        f"recall {report['recall']:.3f}  F1 {report['f1']:.3f}"
    )


def _split_option(dev_split: bool, story_split: bool) -> str | None:
    if dev_split and story_split:
        err.print("newstrace: --dev-split and --story-split exclude each other", markup=False)
        raise typer.Exit(2)
    return "bodies" if dev_split else "stories" if story_split else None


def evaluate_stance_command(
    stances_csv: StancesCsv,
    bodies_csv: BodiesCsv,
    dev_split: DevSplitOption = False,
    story_split: StorySplitOption = False,
    headline_check: Annotated[
        bool,
        typer.Option(
            "--headline-check", help="Score the full headline check (claims, explicit denials), not the bare model."
        ),
    ] = False,
    model: ModelOption = None,
    as_json: ScoresJsonOption = False,
) -> None:
    """Headline stance: the FNC-1 score (% of the maximum), confusion matrix, per-class F1 and macro-F1."""
    from newstrace.evaluate.stance import evaluate_stance

    split = _split_option(dev_split, story_split)
    with progress_bar("checking") as progress, benchmark_folder():
        report = evaluate_stance(
            stances_csv,
            bodies_csv,
            split=split,
            headline_check=headline_check,
            model=model,
            progress=lambda pairs: progress.track(pairs),
        )
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    out.print(
        f"FNC-1 on {stances_csv} ({report['pairs']} pairs, {report['split']}, {report['predictor']})", markup=False
    )
    _print_stance_scores(report)


def _print_stance_scores(report: dict[str, object]) -> None:
    from newstrace.assess.stance import LABELS

    out.print(f"  score {report['fnc_score']:.2f}% of the maximum   macro-F1 {report['macro_f1']:.3f}")
    matrix, f1 = report["confusion"], report["f1"]
    assert isinstance(matrix, dict) and isinstance(f1, dict)
    table = Table(title="gold (rows) by predicted (columns)")
    table.add_column("gold")
    for label in LABELS:
        table.add_column(label, justify="right")
    table.add_column("F1", justify="right")
    for label in LABELS:
        table.add_row(label, *(str(matrix[label][other]) for other in LABELS), f"{f1[label]:.3f}")
    out.print(table)


def evaluate_verdicts_command(
    stances_csv: StancesCsv,
    bodies_csv: BodiesCsv,
    dev_split: DevSplitOption = False,
    story_split: StorySplitOption = False,
    model: ModelOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Headline verdicts: per gold stance, the share the full headline check calls misleading, with reasons."""
    from newstrace.evaluate.verdicts import evaluate_verdicts

    split = _split_option(dev_split, story_split)
    with progress_bar("checking") as progress, benchmark_folder():
        report = evaluate_verdicts(
            stances_csv, bodies_csv, split=split, model=model, progress=lambda pairs: progress.track(pairs)
        )
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    out.print(f"Headline verdicts on {stances_csv} ({report['pairs']} pairs, {report['split']})", markup=False)
    per_stance = report["misleading"]
    assert isinstance(per_stance, dict)
    table = Table(title="flagged misleading, by gold stance")
    for column in ("gold", "pairs", "misleading", "share", "target", "reasons", "clickbait style"):
        table.add_column(column, justify="left" if column in ("gold", "reasons") else "right")
    for label, row in per_stance.items():
        reasons = ", ".join(f"{reason} {count}" for reason, count in row["reasons"].items()) or "—"
        met = "" if row["meets_target"] else " (missed)"
        table.add_row(
            label,
            str(row["pairs"]),
            str(row["misleading"]),
            f"{row['share']:.1%}",
            row["target"] + met,
            reasons,
            str(row["clickbait_style"]),
        )
    out.print(table)
    stance = report["stance"]
    assert isinstance(stance, dict)
    out.print("Article-level stance of the same checks:")
    _print_stance_scores(stance)


def evaluate_times_command(
    tml_dir: Annotated[Path, typer.Argument(help="A folder of TimeML .tml files (searched recursively).")],
    as_json: ScoresJsonOption = False,
) -> None:
    """Time expressions: TempEval-3 Task A span P/R/F1 (strict, relaxed), type accuracy, value F1."""
    from newstrace.evaluate.times import evaluate_times

    with progress_bar("tagging") as progress, benchmark_folder():
        scores = evaluate_times(tml_dir, progress=lambda files: progress.track(files))
    report = scores.to_dict()
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    table = Table(
        title=f"TempEval-3 Task A on {tml_dir} "
        f"({report['documents']} files, {report['gold']} gold, {report['predicted']} found)"
    )
    for column in ("measure", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for name in ("strict", "relaxed", "value"):
        figures = report[name]
        assert isinstance(figures, dict)
        table.add_row(
            f"{name} {'span' if name != 'value' else ''}".strip(),
            *(f"{figures[k]:.3f}" for k in ("precision", "recall", "f1")),
        )
    out.print(table)
    out.print(f"type accuracy on relaxed matches: {report['type_accuracy']:.3f}")


def evaluate_speakers_command(
    whosaid_dir: Annotated[Path, typer.Argument(help="A whosaid folder (articles.jsonl, statements.jsonl).")],
    predictions: Annotated[
        Path | None,
        typer.Option(
            "--predictions", help="Score this Article JSON file (one per line, or an array) instead of running."
        ),
    ] = None,
    details: Annotated[
        bool, typer.Option("--details", help="List each missed or misattributed statement (with --json: every row).")
    ] = False,
    as_json: ScoresJsonOption = False,
) -> None:
    """Who said what: statement recall/precision, speaker accuracy by mention type and kind, ECE, AUROC."""
    from newstrace.evaluate.speakers import predict, read_gold, read_predictions, report_lines, score_speakers

    skipped: list[str] = []
    with benchmark_folder():
        try:
            gold_articles, gold_statements = read_gold(whosaid_dir)
            predicted = read_predictions(predictions) if predictions is not None else []
        except ValueError as error:  # a line that is not JSON, or not UTF-8
            err.print(f"newstrace: {error}", markup=False)
            raise typer.Exit(2) from None
        if predictions is None:
            with progress_bar("analysing") as progress:
                predicted, skipped = predict(whosaid_dir / "articles.jsonl", progress=progress.track)
    for line in skipped:
        err.print(f"newstrace: skipped {line}", markup=False)
    scores = score_speakers(gold_articles, gold_statements, predicted)
    scored = str(predictions) if predictions is not None else "the pipeline, run now"
    if as_json:
        report = {"gold_dir": str(whosaid_dir), "predictions": scored, **scores.to_dict(details=details)}
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        out.print(f"whosaid score: {whosaid_dir}  vs  {scored}", markup=False)
        for line in report_lines(scores, details=details):
            out.print(line, markup=False)
    if skipped:
        raise typer.Exit(EXIT_SKIPPED)


def evaluate_stories_command(
    stances_csv: StancesCsv,
    bodies_csv: BodiesCsv,
    as_json: ScoresJsonOption = False,
) -> None:
    """Story clustering: B-cubed and pairwise P/R/F1 on FNC-1 stories, with a TF-IDF baseline in the same run."""
    from newstrace.evaluate.stories import evaluate_stories

    progress = progress_bar("assigning")
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
    out.print(
        f"FNC-1 stories from {stances_csv}: {first['bodies']} bodies in {first['gold_stories']} gold stories",
        markup=False,
    )
    header = "   B³ P    B³ R    B³ F1   pair P  pair R  pair F1"
    out.print(f"{'system':<26} {'part':<7} {'bodies':>6} {'gold':>5} {'clusters':>8}{header}")
    for name, parts in systems.items():
        for part, scores in parts.items():
            b3, pair = scores["bcubed"], scores["pairwise"]
            figures = "  ".join(f"{d[k]:.4f}" for d in (b3, pair) for k in ("precision", "recall", "f1"))
            counts = f"{scores['bodies']:>6} {scores['gold_stories']:>5} {scores['clusters']:>8}"
            out.print(f"{name:<26} {part:<7} {counts}   {figures}")
    out.print("tuning: the seeded half of the gold stories newstrace's settings were chosen on; rest: the other half")


def evaluate_stream_command(
    stream_dir: Annotated[
        Path, typer.Argument(help="The stream's labels: aeb_stories.json and aeb_headlines.jsonl.")
    ] = Path("../shared/eval/stream"),
    aeb_dir: Annotated[Path, typer.Option("--aeb", help="The AEB folder whose html/ holds the labelled pages.")] = Path(
        "../shared/eval/aeb"
    ),
    fnc1_dir: Annotated[
        Path, typer.Option("--fnc1", help="The FNC-1 folder (train_bodies.csv, train_stances.csv) mixed in.")
    ] = Path("../shared/eval/fnc1"),
    fnc1_bodies: Annotated[
        int | None,
        typer.Option(
            "--fnc1-bodies",
            min=0,
            help="Mix in a seeded sample of whole FNC-1 stories of at most N bodies (default: all 1,683, a run of"
            " about 3 to 7 minutes on two cores; 0: none).",
        ),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", help="Worker processes (1 runs in-process).", min=1)] = 2,
    details: Annotated[
        bool,
        typer.Option(
            "--details",
            help="Also list the gold AEB pairs missed and why pages were flagged (with --json: a row per page).",
        ),
    ] = False,
    as_json: ScoresJsonOption = False,
) -> None:
    """Stories and headline verdicts on a labelled stream: AEB pages and FNC-1 bodies ingested into a fresh store."""
    from newstrace.evaluate.stream import StreamPlan, evaluate_stream, report_lines
    from newstrace.model import Article, Failure
    from newstrace.run.local import Present

    progress = progress_bar("ingesting the stream")
    task = progress.add_task("", total=None)
    analysed: set[str] = set()  # sources analysed: a failure for one of these is the store refusing it, counted once

    def on_plan(plan: StreamPlan) -> None:
        progress.update(task, total=len(plan.sources))

    def on_item(status: str, item: Article | Failure | Present) -> None:
        if isinstance(item, Failure):
            report_failure(item, progress.console)
            if item.source in analysed:
                return
        else:
            analysed.add(item.source)
        progress.advance(task)

    try:
        with progress:
            report, summary = evaluate_stream(
                stream_dir, aeb_dir, fnc1_dir, fnc1_bodies, workers, details, on_item=on_item, on_plan=on_plan
            )
    except (FileNotFoundError, ValueError) as error:
        err.print(f"newstrace: {error}", markup=False)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for line in report_lines(report, details=details):
            out.print(line, markup=False, soft_wrap=True)
    if summary.skipped_total:
        raise typer.Exit(EXIT_SKIPPED)


def evaluate_entities_ru_command(
    factru_dir: Annotated[
        Path, typer.Argument(help="A FactRuEval-2016 folder of book_N.{txt,tokens,spans,objects} files.")
    ],
    details: Annotated[
        bool, typer.Option("--details", help="With --json: each text's gold names missed and spans found beyond gold.")
    ] = False,
    as_json: ScoresJsonOption = False,
) -> None:
    """Russian entities: FactRuEval-2016 track 1 P/R/F1 for PER, ORG, LOC and overall, bare slovnet beside it."""
    from newstrace.evaluate.entities_ru import evaluate_entities_ru

    try:
        with progress_bar("annotating") as progress, benchmark_folder():
            report = evaluate_entities_ru(
                factru_dir, progress=lambda documents: progress.track(documents), details=details
            ).to_dict(details=details)
    except (FileNotFoundError, ValueError) as error:
        err.print(f"newstrace: {error}", markup=False)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    out.print(
        f"FactRuEval-2016 track 1 on {factru_dir} ({report['documents']} texts; LocOrg scored as LOC)", markup=False
    )
    table = Table()
    for column in ("system", "type", "precision", "recall", "F1", "gold", "found"):
        table.add_column(column, justify="left" if column in ("system", "type") else "right")
    for system, figures in report["systems"].items():
        for kind, row in figures.items():
            table.add_row(
                system if kind == "PER" else "",
                kind,
                *(f"{row[key]:.3f}" for key in ("precision", "recall", "f1")),
                str(row["gold"]),
                str(row["predicted"]),
            )
    out.print(table)
    for line in report["failed"]:
        err.print(f"newstrace: failed {line}", markup=False)
    if report["unplaced_mentions"]:
        err.print(f"newstrace: {report['unplaced_mentions']} mentions not placed in the files", markup=False)
