"""The article's cleaned text as HTML with its marks nested: every character of the text once, in order."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from urllib.parse import quote

from markupsafe import Markup, escape

from newstrace.present import speaker_label
from newstrace.web._views import MarkView, StatementView, speaker_classes

# Outer marks first when two start at the same character: an evidence sentence holds statements, a statement holds
# times and figures, and an entity's link is held by all of them.
_RANK = {"evidence": 0, "statement": 1, "time": 2, "figure": 3, "entity": 4}


def marked_text(text: str, marks: list[MarkView], statements: list[StatementView]) -> Markup:
    """``text`` escaped, each mark a ``<span>`` (a link an ``<a>``) over exactly ``text[mark.start:mark.end]``.

    Marks that overlap without nesting are split: the inner one is closed and reopened as a continuation piece
    (``data-part="cont"``), so the text's characters stay in order and each piece carries its mark's attributes. A
    statement's further content pieces are continuation pieces too: focus and the ``st-N`` id go to its first. An
    entity mention is an ``<a>`` cut at every other mark's edge, so that it is always innermost: a link then holds no
    focusable statement, which HTML forbids.
    """
    by_statement = {statement.index: statement for statement in statements}
    usable = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    edges = {edge for m in usable if m.kind != "entity" for edge in (m.start, m.end)}
    usable = [m for m in usable if m.kind != "entity"] + _innermost([m for m in usable if m.kind == "entity"], edges)
    ordered = sorted(usable, key=lambda m: (m.start, -m.end, _RANK[m.kind], m.index))
    boundaries = sorted({0, len(text)} | {m.start for m in usable} | {m.end for m in usable})
    parts: list[str] = []
    stack: list[MarkView] = []
    position = 0
    following = 0
    for boundary in boundaries:
        parts.append(str(escape(text[position:boundary])))
        position = boundary
        lowest = next((depth for depth, mark in enumerate(stack) if mark.end <= boundary), None)
        if lowest is not None:
            reopen = [mark for mark in stack[lowest:] if mark.end > boundary]
            parts.extend(_close(mark) for mark in reversed(stack[lowest:]))
            del stack[lowest:]
            for mark in reopen:
                parts.append(_open(mark, by_statement, continuation=True))
                stack.append(mark)
        while following < len(ordered) and ordered[following].start == boundary:
            mark = ordered[following]
            following += 1
            parts.append(_open(mark, by_statement, continuation=False))
            stack.append(mark)
    parts.extend(_close(mark) for mark in reversed(stack))
    return Markup("".join(parts))


def _innermost(links: list[MarkView], edges: set[int]) -> list[MarkView]:
    """Entity links cut at every edge inside them, the later pieces continuations (``piece`` 1, 2, …)."""
    pieces = []
    for link in links:
        cuts = [link.start, *sorted(edge for edge in edges if link.start < edge < link.end), link.end]
        for number, (start, end) in enumerate(pairwise(cuts)):
            pieces.append(replace(link, start=start, end=end, piece=number))
    return pieces


def _close(mark: MarkView) -> str:
    return "</a>" if mark.kind == "entity" else "</span>"


def _open(mark: MarkView, statements: dict[int, StatementView], *, continuation: bool) -> str:
    """The opening tag of one piece of a mark; only a mark's first piece takes keyboard focus."""
    continuation = continuation or mark.piece > 0
    attributes = {
        "data-start": str(mark.start),
        "data-end": str(mark.end),
        "data-part": "cont" if continuation else "first",
    }
    if mark.kind == "statement":
        statement = statements[mark.index]
        colour = speaker_classes(statement.colour)
        attributes |= {
            "class": f"st {colour}",
            "data-statement": str(mark.index),
            "data-speaker": statement.speaker,
            "data-mention": statement.mention or "",
            "data-cue": statement.cue or "",
            "data-kind": statement.kind,
            "data-channel": statement.channel or "",
            "data-date": statement.date or "",
            "data-date-source": statement.date_source or "",
            "data-confidence": f"{statement.confidence:.2f}",
            "title": _statement_title(statement),
        }
        if not continuation:
            attributes |= {"tabindex": "0", "id": f"st-{mark.index}"}
    elif mark.kind == "entity":
        # Out of the Tab order, which goes from statement to statement; the "Named here" list reaches the same pages.
        attributes |= {
            "class": "ent",
            "href": f"/ui/entities/{quote(mark.target, safe='')}",
            "tabindex": "-1",
            "data-entity": mark.target,
            "title": mark.note,
        }
    elif mark.kind == "evidence":
        attributes |= {"class": f"ev ev-{mark.note.split()[0]}", "data-evidence": str(mark.index)}
        if not continuation:
            attributes["id"] = f"ev-{mark.index}"
    else:
        attributes |= {"class": "tx" if mark.kind == "time" else "fig", f"data-{mark.kind}": str(mark.index)}
        attributes["title"] = mark.note
    rendered = " ".join(f'{name}="{escape(value)}"' for name, value in attributes.items())
    return f"<{'a' if mark.kind == 'entity' else 'span'} {rendered}>"


def _statement_title(statement: StatementView) -> str:
    """The statement's details in one line, for a hover tooltip where scripts are off."""
    said = speaker_label(statement.speaker, statement.roles)
    details = [
        f"from “{statement.mention}”" if statement.mention else None,
        f"cue “{statement.cue}”" if statement.cue else None,
        statement.channel,
        statement.date,
        f"confidence {statement.confidence:.2f}",
    ]
    return f"{said}: " + "; ".join(part for part in details if part)
