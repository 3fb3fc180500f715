"""The name spans of a Russian article: slovnet's spans repaired where the model's habits are known to err.

- A span running over a bracket, a bullet, a comma or a semicolon is two names ("Джошуа Вольф (Joshua Wolf)",
  "Монако • Намибия"); the name in brackets is remembered as the other's alias.
- A person span mixing Cyrillic and Latin words is two names written in two scripts.
- An organisation followed by a place or organisation in the genitive is one organisation ("МИД РФ", "Конгресса
  США"), and so is an institution noun before a place in the genitive ("правительство Китая").
- A few names slovnet habitually mislabels take their conventional type (the European Union is an organisation,
  not a place); a generic word it takes for a name ("СМИ") is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newstrace.annotate.russian._names import fold, nominative, person_parts
from newstrace.annotate.russian._parse import NamedSpan, RussianDoc, Sentence, Token

__all__ = ["Candidate", "candidate_spans", "tokens_of"]

# Characters that end one name and start another inside a span slovnet ran together.
_SEPARATORS = re.compile(r"[()•·;,|/\[\]]|\s[—–-]\s")
_CYRILLIC = re.compile(r"[А-ЯЁа-яё]")
_LATIN = re.compile(r"[A-Za-z]")
# Nouns naming a state's institution: before a place in the genitive they make an organisation's name.
_INSTITUTION_NOUNS_TEXT = (
    "правительство парламент администрация руководство посольство генконсульство консульство представительство "
    "министерство минобороны минфин минздрав госдепартамент госдеп генштаб прокуратура генпрокуратура полиция "
    "мэрия делегация сборная кабмин минюст минэкономразвития"
)
_INSTITUTION_NOUNS = frozenset(_INSTITUTION_NOUNS_TEXT.split())
_INTERNATIONAL_BODIES_TEXT = (
    "ес|евросоюз|европейский союз|еврокомиссия|европейская комиссия|оон|нато|обсе|еаэс|одкб|шос|магатэ|воз|юнеско|"
    "опек|вто|мвф|фифа|уефа|мок|интерпол"
)
# Names whose type slovnet habitually gets wrong, folded, with the type they take.
_TYPE_OF_NAME = {
    **dict.fromkeys(_INTERNATIONAL_BODIES_TEXT.split("|"), "ORG"),
    # The seat of power standing for the government in the news ("Кремль заявил").
    "кремль": "ORG",
    "мкс": "LOC",
    "международная космическая станция": "LOC",
}
# Generic words slovnet takes for names: never an entity.
_NOT_NAMES = frozenset({"сми", "смі"})


@dataclass(slots=True)
class Candidate:
    """A name span of the article: label PER, ORG or LOC, its nominative form and, for a person, its parts."""

    start: int
    end: int
    label: str
    normal: str
    parts: dict[str, str] = field(default_factory=dict)
    alias_of: int | None = None  # the candidate (by position in the list) this one spells another way
    source: str = "model"  # "model", "split", "joined", "repeat"


def tokens_of(doc: RussianDoc, start: int, end: int) -> tuple[Sentence | None, list[Token]]:
    """The sentence holding ``start`` and its tokens lying inside ``start:end``."""
    sentence = doc.sentence_at(start)
    if sentence is None:
        return None, []
    return sentence, [token for token in sentence.tokens if token.start >= start and token.end <= end]


def candidate_spans(doc: RussianDoc) -> list[Candidate]:
    """slovnet's spans split, joined, relabelled and filtered as the module says; in text order."""
    candidates: list[Candidate] = []
    for name in doc.names:
        candidates.extend(_split(doc, name, len(candidates)))
    kept = []
    for candidate in candidates:
        folded = fold(candidate.normal)
        if folded in _NOT_NAMES or fold(doc.text[candidate.start : candidate.end]) in _NOT_NAMES:
            continue
        candidate.label = _TYPE_OF_NAME.get(folded, candidate.label)
        kept.append(candidate)
    return [_with_place_adjective(doc, candidate) for candidate in _join_genitives(doc, kept)]


def _split(doc: RussianDoc, name: NamedSpan, first_index: int) -> list[Candidate]:
    """One span, or the names it ran together, each trimmed of brackets and spaces."""
    pieces = _pieces(doc.text, name.start, name.end)
    if name.label == "PER":
        pieces = [part for piece in pieces for part in _script_runs(doc.text, *piece)]
    if pieces == [(name.start, name.end)]:
        return [Candidate(name.start, name.end, name.label, name.normal, dict(name.parts))]
    candidates: list[Candidate] = []
    for start, end in pieces:
        text = doc.text[start:end]
        _, tokens = tokens_of(doc, start, end)
        normal = nominative(tokens, name.label != "ORG") if tokens and not _LATIN.search(text) else text
        # natasha reads a name's parts from its nominative form, as it does for its own spans.
        parts = person_parts(normal) if name.label == "PER" else {}
        # A name in brackets after another spells the same one: "Союз координационных советов (СКС)".
        alias_of = first_index if candidates and doc.text[candidates[-1].end : start].strip() == "(" else None
        candidates.append(Candidate(start, end, name.label, normal, parts, alias_of, "split"))
    return candidates


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``start:end`` cut at separators, each piece trimmed; only pieces holding a letter."""
    pieces = []
    cut = start
    for match in [*_SEPARATORS.finditer(text, start, end), None]:
        piece_end = match.start() if match else end
        piece = _trim(text, cut, piece_end)
        if piece is not None:
            pieces.append(piece)
        if match:
            cut = match.end()
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and not (text[start].isalnum() or text[start] in "«\"'"):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in "»\".'"):
        end -= 1
    if not any(character.isalpha() for character in text[start:end]):
        return None
    return start, end


def _script_runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A person span cut where its words change from Cyrillic to Latin letters or back."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[start:end])]
    runs: list[tuple[int, int]] = []
    script = None
    for word_start, word_end in words:
        word = text[start + word_start : start + word_end]
        word_script = "latin" if _LATIN.search(word) and not _CYRILLIC.search(word) else "cyrillic"
        if runs and word_script == script:
            runs[-1] = (runs[-1][0], start + word_end)
        else:
            runs.append((start + word_start, start + word_end))
        script = word_script
    return runs or [(start, end)]


def _join_genitives(doc: RussianDoc, candidates: list[Candidate]) -> list[Candidate]:
    """An organisation (or an institution noun) and the place or organisation in the genitive right after it."""
    joined: list[Candidate] = []
    for candidate in candidates:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.label == "ORG"
            and candidate.label in ("ORG", "LOC")
            and candidate.alias_of is None
            and doc.text[previous.end : candidate.start] == " "
            and _opens_in_genitive(doc, candidate)
        ):
            genitive = doc.text[candidate.start : candidate.end]
            joined[-1] = Candidate(
                previous.start, candidate.end, "ORG", f"{previous.normal} {genitive}", {}, None, "joined"
            )
            continue
        institution = _institution_before(doc, candidate) if candidate.label == "LOC" else None
        if institution is not None and (previous is None or previous.end <= institution.start):
            genitive = doc.text[candidate.start : candidate.end]
            normal = f"{nominative([institution])} {genitive}"
            joined.append(Candidate(institution.start, candidate.end, "ORG", normal, {}, None, "joined"))
            continue
        joined.append(candidate)
    return joined


def _opens_in_genitive(doc: RussianDoc, candidate: Candidate) -> bool:
    _, tokens = tokens_of(doc, candidate.start, candidate.end)
    return bool(tokens) and tokens[0].feats.get("Case") == "Gen"


def _institution_before(doc: RussianDoc, candidate: Candidate) -> Token | None:
    """The institution noun written just before a place in the genitive ("правительства | Китая"), if any."""
    sentence, tokens = tokens_of(doc, candidate.start, candidate.end)
    if sentence is None or not tokens or tokens[0].feats.get("Case") != "Gen" or tokens[0].index == 0:
        return None
    before = sentence.tokens[tokens[0].index - 1]
    if before.end + 1 != candidate.start or fold(before.lemma) not in _INSTITUTION_NOUNS:
        return None
    return before


def _with_place_adjective(doc: RussianDoc, candidate: Candidate) -> Candidate:
    """An organisation with the place adjective written right before it: "японского МИДа", "российского Минфина"."""
    if candidate.label != "ORG":
        return candidate
    sentence, tokens = tokens_of(doc, candidate.start, candidate.end)
    if sentence is None or not tokens or tokens[0].index == 0:
        return candidate
    before = sentence.tokens[tokens[0].index - 1]
    lemma = fold(before.lemma)
    if before.pos != "ADJ" or not before.text.islower() or before.end + 1 != candidate.start:
        return candidate
    if not lemma.endswith(("ский", "цкий")) or before.feats.get("Case") != tokens[0].feats.get("Case"):
        return candidate
    normal = f"{nominative([before])} {candidate.normal}"
    return Candidate(before.start, candidate.end, "ORG", normal, {}, candidate.alias_of, "joined")
