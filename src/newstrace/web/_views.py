"""What the article page shows, built on :mod:`newstrace.present`: statements by speaker, and every span to mark."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from newstrace.model import Article
from newstrace.present import UNNAMED, figure, speaker_key, speaker_name, speaker_roles, statements

# Speaker colours: light backgrounds that keep black text above WCAG AAA contrast (7:1) everywhere; past them, the
# colours again with a pattern (``speaker_classes``).
SPEAKER_PALETTE = 12
SPEAKER_PATTERNS = 3  # none, stripes, dots


def speaker_classes(colour: int) -> str:
    """The CSS classes of a speaker's highlight: its colour, and past the palette a pattern; the unnamed source's."""
    if colour < 0:
        return "sp-none"
    pattern = colour // SPEAKER_PALETTE % SPEAKER_PATTERNS
    return f"sp{colour % SPEAKER_PALETTE}" + (f" pat{pattern}" if pattern else "")


@dataclass(frozen=True, slots=True)
class StatementView:
    """One statement as the article page shows it: its span, speaker (and the mention resolved), cue and context.

    ``start``, ``end`` and ``text`` are the first content piece's; a statement whose content its cue splits (PolNeAR's
    "The patrol … to involve 40 vessels") marks every piece, each as a mark with the statement's index.
    """

    index: int
    start: int
    end: int
    text: str
    kind: str
    speaker: str
    speaker_key: str | None
    colour: int  # the speaker's number in the article (``speaker_classes``: its highlight); -1: an unnamed source
    roles: list[str]
    mention: str | None
    mention_start: int | None
    cue: str | None
    channel: str | None
    date: str | None
    date_source: str | None
    confidence: float


@dataclass(frozen=True, slots=True)
class SpeakerView:
    """A speaker in the article's legend: name, colour, roles, how many statements."""

    key: str
    name: str
    colour: int
    roles: list[str]
    statements: int


@dataclass(frozen=True, slots=True)
class MarkView:
    """A span of the text to mark: a statement (or a further piece of one), a time, a figure or an evidence sentence."""

    kind: str  # "evidence", "statement", "time", "figure" or "entity"
    index: int
    start: int
    end: int
    note: str  # the normalised value or role, shown on hover
    piece: int = 0  # which content piece of its statement; a statement's first piece is the one focus reaches
    target: str = ""  # an entity mention's corpus entity id, the page it links to


@dataclass(frozen=True, slots=True)
class ArticleView:
    """What the article page shows: the article, its statements by speaker, and every span to mark."""

    article: Article
    statements: list[StatementView]
    speakers: list[SpeakerView]
    marks: list[MarkView]


def article_view(article: Article, entity_pages: Mapping[str, tuple[str, str]] | None = None) -> ArticleView:
    """The article's statements with a colour per speaker, and its statements, times, figures and evidence as marks;
    each mention of an entity in ``entity_pages`` (the article's entity id → its corpus entity's id and name) a link."""
    roles = {entity.id: entity.roles for entity in article.entities_index}
    colours: dict[str, int] = {}
    views = []
    marks = []
    for index, statement in enumerate(statements(article.quotes)):
        quote = statement.quote
        key = speaker_key(quote)
        if key is not None and key not in colours:
            colours[key] = len(colours)
        mention = quote.speaker.mention if quote.speaker is not None else None
        view = StatementView(
            index=index,
            start=quote.content.start,
            end=quote.content.end,
            text=quote.content.text,
            kind=quote.kind,
            speaker=speaker_name(quote) or UNNAMED,
            speaker_key=key,
            colour=colours[key] if key is not None else -1,
            roles=speaker_roles(quote, roles),
            mention=mention.text if mention else None,
            mention_start=mention.start if mention else None,
            cue=quote.cue.text if quote.cue else None,
            channel=quote.channel,
            date=quote.date,
            date_source=quote.date_source,
            confidence=quote.confidence,
        )
        views.append(view)
        for number, piece in enumerate(statement.pieces):
            marks.append(MarkView("statement", index, piece.start, piece.end, view.speaker, number))
    speakers = []
    for key, colour in colours.items():
        said = [s for s in views if s.speaker_key == key]
        speakers.append(SpeakerView(key, said[0].speaker, colour, said[0].roles, len(said)))
    for index, time in enumerate(article.times):
        value = (time.value or "no value") + (f" ({time.mod.lower()})" if time.mod else "")
        marks.append(MarkView("time", index, time.start, time.end, f"{time.type} {value}"))
    for index, quantity in enumerate(article.quantities):
        marks.append(MarkView("figure", index, quantity.start, quantity.end, figure(quantity)))
    if article.headline_check is not None:
        for index, evidence in enumerate(article.headline_check.evidence):
            # Claims are numbered from 1, as the page lists them.
            claim = f" claim {evidence.claim + 1}" if evidence.claim is not None else ""
            marks.append(MarkView("evidence", index, evidence.span.start, evidence.span.end, f"{evidence.role}{claim}"))
    marks += entity_marks(article, entity_pages or {})
    return ArticleView(article, views, speakers, marks)


def entity_marks(article: Article, entity_pages: Mapping[str, tuple[str, str]]) -> list[MarkView]:
    """A link mark per mention of an entity that has a page, mentions that overlap an earlier (or longer) one left
    out: one link cannot hold another."""
    found: list[MarkView] = []
    mentions = sorted(article.entities, key=lambda m: (m.start, -m.end))
    for index, mention in enumerate(mentions):
        page = entity_pages.get(mention.entity_id or "")
        if page is None or (found and mention.start < found[-1].end):
            continue
        target, name = page
        found.append(MarkView("entity", index, mention.start, mention.end, name, target=target))
    return found
