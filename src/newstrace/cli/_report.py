"""The readable report of one article (``analyze``, ``show``) and the one-line statement (``quotes``)."""

from __future__ import annotations

from collections import Counter

from rich.markup import escape
from rich.table import Table

from newstrace.cli._common import out
from newstrace.model import Article, HeadlineCheck
from newstrace.present import Statement, figure, speaker_label, speaker_name, speaker_roles, statements


def print_report(article: Article) -> None:
    """The readable report of one article: facts, headline check, text, entities, figures, statements, times."""
    out.print(f"[bold]{escape(article.headline or '(no headline found)')}[/bold]")
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    date_note = {
        "metadata": "from the page's metadata",
        "text": "from the text",
        "ingest": "date of capture",
    }
    rows = [
        ("source", f"{article.source} ({article.media_type})"),
        ("id", article.id),
        ("dateline", article.dateline or "—"),
        (
            "date",
            f"{article.reference_date or '—'}"
            + (f" ({date_note[article.reference_date_source]})" if article.reference_date_source else ""),
        ),
        ("published", article.published or "not stated"),
        ("site", article.site or "—"),
        ("url", article.url or "—"),
        ("authors", ", ".join(article.authors) or "—"),
        ("language", article.language or "—"),
    ]
    for name, value in rows:
        facts.add_row(name, escape(value))
    out.print(facts)
    if article.headline_check is not None:
        _print_headline_check(article.headline_check)
    words = len(article.text.split())
    out.print(
        f"\n[bold]Text[/bold]: {len(article.paragraphs)} paragraphs, {words:,} words, {len(article.text):,} characters"
    )
    for number, paragraph in enumerate(article.paragraphs[:4], start=1):
        preview = paragraph.text if len(paragraph.text) <= 160 else paragraph.text[:157] + "…"
        out.print(f"  ¶{number} {escape(preview)}")
    if len(article.paragraphs) > 4:
        more = len(article.paragraphs) - 4
        out.print(f"  … {more} more paragraph{'s' if more > 1 else ''}")
    if article.entities_index:
        out.print(f"\n[bold]Entities[/bold]: {len(article.entities_index)}")
        mentions = Counter(m.entity_id for m in article.entities)
        for entity in article.entities_index:
            details = [", ".join(entity.roles)] if entity.roles else []
            details += [entity.affiliation] if entity.affiliation else []
            details += [f"acts for {entity.stands_for}"] if entity.stands_for else []
            details += [f"also {', '.join(repr(a) for a in entity.aliases)}"] if entity.aliases else []
            described = f" ({'; '.join(details)})" if details else ""
            out.print(f"  {entity.label:<7} {escape(entity.name)}{escape(described)} ×{mentions[entity.id]}")
    if article.quantities:
        out.print(f"\n[bold]Figures[/bold]: {len(article.quantities)}")
        for quantity in article.quantities:
            out.print(f"  {escape(figure(quantity))} {escape(repr(quantity.text))}")
    if article.quotes:
        said = statements(article.quotes)
        out.print(f"\n[bold]Statements[/bold]: {len(said)}")
        roles = {e.id: e.roles for e in article.entities_index}
        for statement in said:
            out.print("  " + escape(statement_line(statement, speaker_roles(statement.quote, roles))))
    if article.times:
        out.print(f"\n[bold]Time expressions[/bold]: {len(article.times)}")
        for time in article.times:
            mod = f" ({time.mod.lower()})" if time.mod else ""
            out.print(f"  {escape(repr(time.text)):<28} {time.type:<9} {time.value}{mod}")
    out.print(f"\n[bold]Removed from the input[/bold]: {len(article.removed)} spans")
    by_reason = Counter(span.reason for span in article.removed)
    listed = 0
    for span in article.removed:
        if by_reason[span.reason] > 5:
            continue
        shown = " ".join(span.text.split())
        shown = shown if len(shown) <= 70 else shown[:67] + "…"
        out.print(f"  {span.reason:<30} {escape(repr(shown))}")
        listed += 1
    for reason, count in by_reason.items():
        if count > 5:
            characters = sum(len(s.text) for s in article.removed if s.reason == reason)
            out.print(f"  {reason:<30} {count} spans, {characters:,} characters")


_CLAIM_BASIS = {
    "refutation": ", by an explicit denial in the body",
    "attributed": ", the body reports its speaker saying it",
    "polarity": ", a reported hoax or denial the body debunks",
}


def _print_headline_check(check: HeadlineCheck) -> None:
    verdict = (
        f"[bold red]misleading[/bold red] ({check.reason}): {escape(check.explanation or '')}"
        if check.misleading
        else "not misleading"
    )
    model_says = max(check.probabilities, key=lambda label: check.probabilities[label], default=check.stance)
    if model_says == check.stance:
        shown = f" (p={check.probabilities[model_says]:.2f})"
    else:
        basis = next((c.basis for c in check.claims if c.basis != "model"), "refutation")
        why = _CLAIM_BASIS.get(basis, "").removeprefix(", by ").removeprefix(", ")
        shown = f" ({why}; the model alone: {model_says}, p={check.probabilities[model_says]:.2f})"
    out.print(f"\n[bold]Headline check[/bold]: {check.stance}{shown}; {check.form} headline; {verdict}")
    clickbait = f"{check.clickbait:.2f}" if check.clickbait is not None else "—"
    style = "; reads as clickbait (a style flag, not a verdict)" if check.clickbait_style else ""
    out.print(f"  clickbait probability {clickbait}{style}")
    for number, claim in enumerate(check.claims):
        asked = ", asked" if claim.question else ""
        basis = _CLAIM_BASIS.get(claim.basis, "")
        said = f", said by {escape(claim.speaker)}" if claim.speaker else ""
        out.print(f"  claim {number}: {escape(repr(claim.text))}{said} — {claim.stance}{asked}{basis}")
    for evidence in check.evidence:
        text = " ".join(evidence.span.text.split())
        text = text if len(text) <= 150 else text[:147] + "…"
        about = f" claim {evidence.claim}" if evidence.claim is not None else ""
        out.print(f"  {evidence.role:<9}{about} {escape(repr(text))}")


def statement_line(statement: Statement, roles: list[str]) -> str:
    """ "Speaker (role) — cue — content [kind, channel, date]" for one statement, its content cut to 110 characters."""
    quote = statement.quote
    content = " ".join(statement.text.split())
    content = content if len(content) <= 110 else content[:107] + "…"
    context = "".join(f", {part}" for part in (quote.channel, quote.date) if part)
    cue = quote.cue.text if quote.cue else "—"
    return f"{speaker_label(speaker_name(quote), roles)} — {cue} — {content} [{quote.kind}{context}]"
