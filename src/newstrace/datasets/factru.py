"""FactRuEval-2016 (``../shared/eval/factru``) in its own layout: ``book_N.{txt,tokens,spans,objects,coref,facts}``.

The layers, as the set's public description gives them: ``.tokens`` one token a line (id, start, length, text;
sentences split by a blank line); ``.spans`` the first layer (id, type, start, length, first token, token count,
then after ``#`` the token ids and texts); ``.objects`` the mentions of objects (id, type, span ids, ``#`` text);
``.coref`` identity chains (a first line of the object id and its mention ids, then ``key value`` lines);
``.facts`` facts (a first line of id and type, then ``Role ref text`` lines). Offsets are characters of the
``.txt`` file read as UTF-8 with its line ends kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "FactRuDocument",
    "FactRuEntity",
    "FactRuFact",
    "FactRuMention",
    "FactRuSpan",
    "FactRuToken",
    "read_factru",
    "read_factru_document",
]


@dataclass(frozen=True, slots=True)
class FactRuToken:
    """A token of the set's own tokenisation; ``end`` is exclusive, as Python slices count."""

    id: str
    start: int
    end: int
    text: str
    sentence: int


@dataclass(frozen=True, slots=True)
class FactRuSpan:
    """A first-layer span: a name part, a descriptor, a job, a geographic adjective."""

    id: str
    tag: str  # name, surname, patronymic, nickname, org_name, org_descr, loc_name, loc_descr, geo_adj, job, ...
    start: int
    end: int
    token_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FactRuMention:
    """A mention of an object (Person, Org, Location, LocOrg, Project) made of spans."""

    id: str
    tag: str
    span_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FactRuEntity:
    """One object of the text: its mentions and its attributes (firstname, surname, name, wikidata, ...)."""

    id: str
    mention_ids: tuple[str, ...]
    attributes: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class FactRuFact:
    """A fact (Occupation, Meeting, ...) with its arguments as written: role, reference, text."""

    id: str
    kind: str
    arguments: tuple[tuple[str, str, str], ...]


@dataclass(slots=True)
class FactRuDocument:
    """Every layer of one ``book_N`` text."""

    name: str
    text: str
    tokens: list[FactRuToken] = field(default_factory=list)
    spans: dict[str, FactRuSpan] = field(default_factory=dict)
    mentions: list[FactRuMention] = field(default_factory=list)
    entities: list[FactRuEntity] = field(default_factory=list)
    facts: list[FactRuFact] = field(default_factory=list)

    @property
    def number(self) -> int:
        """The number of the text in the collection ("book_100" -> 100)."""
        return int(self.name.rsplit("_", 1)[-1])


def read_factru(folder: Path) -> list[FactRuDocument]:
    """Every ``book_N`` of a FactRuEval folder, by number; raises FileNotFoundError when it holds none."""
    names = sorted({path.stem for path in folder.glob("book_*.txt")}, key=lambda name: int(name.rsplit("_", 1)[-1]))
    if not names:
        raise FileNotFoundError(f"no book_N.txt files in {folder}: not a FactRuEval folder")
    return [read_factru_document(folder, name) for name in names]


def read_factru_document(folder: Path, name: str) -> FactRuDocument:
    """One text and its layers; a layer file that is absent reads as empty (some texts have no facts)."""
    # newline="" keeps "\r\n" as two characters: the set's offsets count the file's characters as they are.
    with (folder / f"{name}.txt").open(encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    document = FactRuDocument(name, text)
    document.tokens = _read_tokens(_lines(folder / f"{name}.tokens"))
    document.spans = {span.id: span for span in _read_spans(_lines(folder / f"{name}.spans"), folder / name)}
    document.mentions = _read_mentions(_lines(folder / f"{name}.objects"), folder / name)
    document.entities = [_read_entity(record) for record in _records(folder / f"{name}.coref")]
    document.facts = [_read_fact(record) for record in _records(folder / f"{name}.facts")]
    return document


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return path.read_text(encoding="utf-8-sig").splitlines()


def _records(path: Path) -> list[list[str]]:
    """Blank-line separated records of non-blank lines."""
    records: list[list[str]] = [[]]
    for line in _lines(path):
        if line.strip():
            records[-1].append(line.strip())
        elif records[-1]:
            records.append([])
    return [record for record in records if record]


def _read_tokens(lines: list[str]) -> list[FactRuToken]:
    tokens: list[FactRuToken] = []
    sentence = 0
    for line in lines:
        parts = line.split(" ", 3)
        if len(parts) < 4 or not parts[0]:
            sentence += bool(tokens)  # a blank line ends a sentence
            continue
        start = int(parts[1])
        tokens.append(FactRuToken(parts[0], start, start + int(parts[2]), parts[3], sentence))
    return tokens


def _read_spans(lines: list[str], where: Path) -> list[FactRuSpan]:
    spans = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        left, _, right = line.partition("#")
        fields = left.split()
        if len(fields) < 6:
            raise ValueError(f"{where}.spans:{number}: expected id, type, start, length, token, count")
        count = int(fields[5])
        token_ids = tuple(right.split()[:count])
        start = int(fields[2])
        spans.append(FactRuSpan(fields[0], fields[1], start, start + int(fields[3]), token_ids))
    return spans


def _read_mentions(lines: list[str], where: Path) -> list[FactRuMention]:
    mentions = []
    for number, line in enumerate(lines, start=1):
        fields = line.partition("#")[0].split()
        if not fields:
            continue
        if len(fields) < 3:
            raise ValueError(f"{where}.objects:{number}: expected id, type and at least one span")
        mentions.append(FactRuMention(fields[0], fields[1], tuple(fields[2:])))
    return mentions


def _read_entity(record: list[str]) -> FactRuEntity:
    head = record[0].split()
    attributes = tuple((key, value.strip()) for key, _, value in (line.partition(" ") for line in record[1:]))
    return FactRuEntity(head[0], tuple(head[1:]), attributes)


def _read_fact(record: list[str]) -> FactRuFact:
    identifier, _, kind = record[0].partition(" ")
    arguments = []
    for line in record[1:]:
        match = re.match(r"(\S+)\s+(\S+)\s*(.*)", line)
        if match:
            arguments.append((match[1], match[2], match[3]))
    return FactRuFact(identifier, kind.strip(), tuple(arguments))
