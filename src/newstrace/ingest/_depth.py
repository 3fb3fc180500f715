"""How deep an HTML page nests, counted as a parser builds its tree: comments, CDATA, processing instructions and
stray end tags hide nothing.

A run of opening tags is found by one regular expression, but ``<div><!--x-->`` or ``<div></span>`` repeated 100,000
times breaks the run while the parser still nests every ``div`` (it ignores the comment and the stray end tag). This
walks the tags once with a stack of open elements: an end tag closes up to the element it names (none, where none is
open), void elements never open (nor "/>" ones inside SVG or MathML), an element that closes its open sibling (``p``,
``li``, ``td``…) closes it, and the content of ``script``, ``style``, ``textarea`` and ``title`` is text, not tags.
Linear in the page's length.
"""

from __future__ import annotations

import re
from collections import Counter

# Comments, CDATA sections, processing instructions and declarations: never elements.
# Outside a quoted value a tag ends at the next "<": "<a " repeated a million times, each tried to its end, took
# quadratic time.
_NOT_ELEMENT = re.compile(r"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<[?!][^<>]*(?:>|\Z)", re.S)
# A quoted attribute value may hold "<" and ">" ("<div title='</div>'>" closes nothing): a value is read to its
# closing quote, if that comes within _MAX_QUOTED characters (else the quote is a stray one); possessive, so a tag that
# never ends is not tried again in every way of splitting its attributes.
_MAX_QUOTED = 8192
_TAG = re.compile(
    r"<(/?)([A-Za-z][^\s/<>]*)" + rf"""(?:[^<>"']|"[^"]{{0,{_MAX_QUOTED}}}"|'[^']{{0,{_MAX_QUOTED}}}'|["'])*+>"""
)
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "basefont",
        "bgsound",
        "frame",
    ]
)
# Elements an opening of the same kind closes (a list item ends at the next, a paragraph at the next paragraph).
_SIBLING_CLOSED = frozenset(
    ["p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "rb", "rt", "rp"]
)
_RAW_TEXT = frozenset(["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"])
_RAW_TEXT_END = {name: re.compile(f"</{name}", re.I) for name in _RAW_TEXT}


def nests_deeper_than(html: str, limit: int) -> bool:
    """Whether a parser would hold more than ``limit`` elements open at once somewhere in ``html``."""
    open_names: list[str] = []
    counts: Counter[str] = Counter()  # open elements by name: whether an end tag closes anything, in O(1)
    position = 0
    length = len(html)
    while position < length:
        start = html.find("<", position)
        if start < 0:
            break
        skipped = _NOT_ELEMENT.match(html, start)
        if skipped is not None:
            position = skipped.end()
            continue
        tag = _TAG.match(html, start)
        if tag is None:
            position = start + 1  # a "<" that starts no tag is text
            continue
        position = tag.end()
        closing, name = tag.group(1), tag.group(2).lower()
        if closing:
            if counts[name]:
                while open_names:
                    closed = open_names.pop()
                    counts[closed] -= 1
                    if closed == name:
                        break
            continue
        if name in _VOID or (tag.group(0).endswith("/>") and (counts["svg"] or counts["math"] or ":" in name)):
            continue  # void, or self-closed in SVG or MathML (in HTML a "/>" closes nothing)
        if name in _RAW_TEXT:
            end = _RAW_TEXT_END[name].search(html, position)
            position = length if end is None or name == "plaintext" else end.start()
            continue
        if name in _SIBLING_CLOSED and open_names and open_names[-1] == name:
            continue  # closes its open sibling and opens itself: the depth does not change
        open_names.append(name)
        counts[name] += 1
        if len(open_names) > limit:
            return True
    return False
