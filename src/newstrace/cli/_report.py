"""The readable report of one article (``analyze``, ``show``) and the one-line statement (``quotes``).

What the report says comes from :mod:`newstrace.present`, as the web UI's does; this module lays it out for a terminal.
"""

from __future__ import annotations

from collections import Counter

from rich.table import Table
from rich.text import Text

from newstrace.cli._common import out
from newstrace.model import Article, HeadlineCheck
from newstrace.present import (
    CLAIM_BASES,
    Statement,
    article_facts,
    entity_description,
    figure,
    one_line,
    removed_summary,
    shortened,
    speaker_label,
    speaker_name,
    speaker_roles,
    stance_note,
    statements,
)

# Paragraphs previewed at the start of the report.
PREVIEWED = 4


def print_report(article: Article) -> None:
    """The readable report of one article: facts, headline check, text, entities, figures, statements, times."""
    out.print(Text(article.headline or "(no headline found)", style="bold"))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    for name, value in article_facts(article):
        facts.add_row(name, Text(value))
    out.print(facts)
    if article.headline_check is not None:
        _print_headline_check(article.headline_check)
    _print_text(article)
    if article.entities_index:
        out.print(f"\n[bold]Entities[/bold]: {len(article.entities_index)}")
        mentions = Counter(m.entity_id for m in article.entities)
        for entity in article.entities_index:
            described = entity_description(entity)
            described = f" ({described})" if described else ""
            out.print(f"  {entity.label:<7} {entity.name}{described} ×{mentions[entity.id]}", markup=False)
    if article.quantities:
        out.print(f"\n[bold]Figures[/bold]: {len(article.quantities)}")
        for quantity in article.quantities:
            out.print(f"  {figure(quantity)} {quantity.text!r}", markup=False)
    if article.quotes:
        said = statements(article.quotes)
        out.print(f"\n[bold]Statements[/bold]: {len(said)}")
        roles = {e.id: e.roles for e in article.entities_index}
        for statement in said:
            out.print("  " + statement_line(statement, speaker_roles(statement.quote, roles)), markup=False)
    if article.times:
        out.print(f"\n[bold]Time expressions[/bold]: {len(article.times)}")
        for time in article.times:
            mod = f" ({time.mod.lower()})" if time.mod else ""
            out.print(f"  {time.text!r:<28} {time.type:<9} {time.value}{mod}", markup=False)
    out.print(f"\n[bold]Removed from the input[/bold]: {len(article.removed)} spans")
    listed, counted = removed_summary(article.removed)
    for span in listed:
        out.print(f"  {span.reason:<30} {one_line(span.text, 70)!r}", markup=False)
    for reason, count, characters in counted:
        out.print(f"  {reason:<30} {count} spans, {characters:,} characters")


def _print_text(article: Article) -> None:
    words = len(article.text.split())
    out.print(
        f"\n[bold]Text[/bold]: {len(article.paragraphs)} paragraphs, {words:,} words, {len(article.text):,} characters"
    )
    for number, paragraph in enumerate(article.paragraphs[:PREVIEWED], start=1):
        out.print(f"  ¶{number} {shortened(paragraph.text, 160)}", markup=False)
    if len(article.paragraphs) > PREVIEWED:
        more = len(article.paragraphs) - PREVIEWED
        out.print(f"  … {more} more paragraph{'s' if more > 1 else ''}")


def _print_headline_check(check: HeadlineCheck) -> None:
    verdict = (
        Text.assemble(("misleading", "bold red"), f" ({check.reason}): {check.explanation or ''}")
        if check.misleading
        else Text("not misleading")
    )
    summary = f": {check.stance} ({stance_note(check)}); {check.form} headline; "
    out.print(Text.assemble("\n", ("Headline check", "bold"), summary, verdict))
    clickbait = f"{check.clickbait:.2f}" if check.clickbait is not None else "—"
    style = "; reads as clickbait (a style flag, not a verdict)" if check.clickbait_style else ""
    out.print(f"  clickbait probability {clickbait}{style}")
    for number, claim in enumerate(check.claims, start=1):
        asked = ", asked" if claim.question else ""
        basis = f", {CLAIM_BASES[claim.basis]}" if claim.basis in CLAIM_BASES else ""
        said = f", said by {claim.speaker}" if claim.speaker else ""
        out.print(f"  claim {number}: {claim.text!r}{said} — {claim.stance}{asked}{basis}", markup=False)
    for evidence in check.evidence:
        about = f" claim {evidence.claim + 1}" if evidence.claim is not None else ""
        sentence = one_line(evidence.span.text, 150)
        out.print(f"  {evidence.role:<9}{about} {evidence.score:.2f} {sentence!r}", markup=False)


def statement_line(statement: Statement, roles: list[str]) -> str:
    """ "Speaker (role) — cue — content [kind, channel, date]" for one statement, its content cut to 110 characters."""
    quote = statement.quote
    context = "".join(f", {part}" for part in (quote.channel, quote.date) if part)
    cue = quote.cue.text if quote.cue else "—"
    who = speaker_label(speaker_name(quote), roles)
    return f"{who} — {cue} — {one_line(statement.text, 110)} [{quote.kind}{context}]"
