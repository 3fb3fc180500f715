"""FactRuEval-2016 track 1 (named entities) scored the way the competition's scorer does, per document.

Written from the competition's published description and its evaluation scripts (``scripts/dialent``: the
standard's token sets, the response's token sets, the quality tables, the ignore rules and the matching), not
copied. What it does, one document at a time:

- **Gold objects** are the ``.objects`` mentions of type Person, Org, Location and LocOrg; each is the set of the
  set's own tokens of its spans. LocOrg is scored as a location (the scorer's ``-l`` option: a response says
  PER, ORG or LOC only). A token weighs 1 where one of its spans names the object (name, surname, patronymic,
  nickname for a person; ``org_name`` and ``loc_name`` for an organisation or a place) and 0 where it only
  describes it (``org_descr``, ``loc_descr``, a job), so a response may take or leave the descriptor.
- **Response objects** are ``(tag, start, end)`` character spans, each turned into the gold tokens lying wholly
  inside it, less single punctuation marks written against a neighbour.
- **Ignored gold**: an object with no weighted token ("unnamed", a bare descriptor); an object inside another
  object that may hold it (a person in an organisation's name, a place inside a place or organisation); of two
  objects over the same tokens (an Org and a LocOrg), the one left unmatched, or the place when both or neither
  are matched. A response object matched to ignored gold counts neither way.
- **Pair quality**: weighted tokens shared / (weighted shared + response tokens outside gold + weighted gold
  tokens missed, punctuation left out); pairs need the same tag and a shared token, and an object with a
  perfect partner (the same token set) is matched only to a perfect partner.
- **The matching** is the one that gives the document its best overall F1, and per-type figures are read off
  it. Precision is summed quality over response objects counted, recall over gold objects counted; the
  collection's figures sum those counts over documents.

Differences from the official script: the best matching is found exactly within each group of objects that
share tokens (Dinkelbach's method over the document's F1) where the script searches recursively and skips some
alternatives, so a figure here is never below the script's on the same response; a group with more than
``_EXHAUSTIVE_LIMIT`` possible matchings (none in the dev set) is matched greedily by quality.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from newstrace.datasets.factru import FactRuDocument, FactRuToken

__all__ = ["TAGS", "Counts", "score_document"]

TAGS = ("per", "loc", "org")
_GOLD_TAGS = {"Person": "per", "Org": "org", "Organization": "org", "Location": "loc", "LocOrg": "loc"}
# Span types whose tokens name the object (weight 1); any other span type only describes it (weight 0).
_NAMING_SPANS = {
    "per": {"name", "surname", "patronymic", "nickname", "none"},
    "loc": {"loc_name", "org_name", "none"},
    "org": {"loc_name", "org_name", "none"},
}
# Which objects may hold an object of each tag (LocOrg already folded into places).
_HOLDER_TAGS = {"per": {"loc", "org"}, "loc": {"loc", "org"}, "org": {"org"}}
_EXHAUSTIVE_LIMIT = 20_000  # matchings tried in one group before falling back to the greedy one


@dataclass(slots=True)
class Counts:
    """Summed pair quality and the objects counted on each side."""

    tp: float = 0.0
    gold: int = 0
    predicted: int = 0

    def add(self, other: Counts) -> None:
        """Add another document's counts."""
        self.tp += other.tp
        self.gold += other.gold
        self.predicted += other.predicted

    def to_dict(self) -> dict[str, float]:
        """Precision, recall and F1 as the scorer computes them (1.0 over nothing), with the counts."""
        precision = self.tp / self.predicted if self.predicted else 1.0
        recall = self.tp / self.gold if self.gold else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "tp": round(self.tp, 2),
            "gold": self.gold,
            "predicted": self.predicted,
        }


@dataclass(slots=True)
class _Object:
    """A gold or response object: its tag and the indices of its tokens (with each token's weight, for gold)."""

    tag: str
    tokens: frozenset[int]
    weights: dict[int, float] = field(default_factory=dict)
    holders: int = 0  # gold objects holding this one
    siblings: list[int] = field(default_factory=list)  # gold objects over the same tokens that may hold it


def _is_letter(token: FactRuToken) -> bool:
    return len(token.text) == 1 and token.text.lower() != token.text.upper()


def _is_punctuation(token: FactRuToken) -> bool:
    return len(token.text) == 1 and not _is_letter(token)


def _gold_objects(document: FactRuDocument, index: dict[str, int]) -> list[_Object]:
    objects = []
    for mention in document.mentions:
        tag = _GOLD_TAGS.get(mention.tag)
        if tag is None:  # Project: not scored in track 1
            continue
        weights: dict[int, float] = {}
        for span_id in mention.span_ids:
            span = document.spans[span_id]
            weight = 1.0 if span.tag in _NAMING_SPANS[tag] else 0.0
            for token_id in span.token_ids:
                position = index[token_id]
                weights[position] = max(weights.get(position, 0.0), weight)
        objects.append(_Object(tag, frozenset(weights), weights))
    for number, item in enumerate(objects):
        for other_number, other in enumerate(objects):
            if other_number == number or other.tag not in _HOLDER_TAGS[item.tag]:
                continue
            if item.tokens < other.tokens:
                item.holders += 1
            elif item.tokens == other.tokens:
                item.siblings.append(other_number)
    return objects


def _response_objects(tokens: list[FactRuToken], predicted: Iterable[tuple[str, int, int]]) -> list[_Object]:
    attached = _attached_punctuation(tokens)
    objects = []
    for tag, start, end in predicted:
        inside = frozenset(
            i for i, token in enumerate(tokens) if token.start >= start and token.end <= end and i not in attached
        )
        objects.append(_Object(tag, inside))
    return objects


def _attached_punctuation(tokens: list[FactRuToken]) -> set[int]:
    """Single non-letter tokens written against a neighbour ("»", "," ...): a response span may hold them or not."""
    attached = set()
    for i, token in enumerate(tokens):
        if token.end - token.start != 1 or _is_letter(token):
            continue
        before = i > 0 and tokens[i - 1].end == token.start
        after = i + 1 < len(tokens) and tokens[i + 1].start == token.end
        if before or after:
            attached.add(i)
    return attached


def _overlap(gold: _Object, response: _Object) -> float:
    """The pair's plain token overlap (Jaccard); 0 across tags."""
    if gold.tag != response.tag:
        return 0.0
    union = len(gold.tokens | response.tokens)
    return len(gold.tokens & response.tokens) / union if union else 0.0


def _quality(gold: _Object, response: _Object, tokens: list[FactRuToken]) -> float:
    """Weighted shared tokens over weighted shared, extra and (non-punctuation) missed tokens."""
    if gold.tag != response.tag:
        return 0.0
    shared = sum(gold.weights[i] for i in gold.tokens & response.tokens)
    missed = sum(gold.weights[i] for i in gold.tokens - response.tokens if not _is_punctuation(tokens[i]))
    extra = len(response.tokens - gold.tokens)
    total = shared + missed + extra
    return shared / total if total else _overlap(gold, response)


def _ignored(number: int, gold: list[_Object], matched: set[int]) -> bool:
    """Whether gold object ``number`` counts neither way under this matching."""
    item = gold[number]
    if not any(item.weights.values()) or item.holders:
        return True
    for sibling in item.siblings:
        if (number in matched) != (sibling in matched):
            return number not in matched
        if gold[sibling].tag == item.tag:
            return number > sibling  # one of two alike is counted
        return item.tag != "org"
    return False


def score_document(
    document: FactRuDocument, predicted: Iterable[tuple[str, int, int]]
) -> tuple[dict[str, Counts], list[str]]:
    """Per-type and overall counts of one document's response (``(tag, start, end)``, tags per/org/loc), and its
    mistakes as lines (gold missed, partial pairs, spurious objects)."""
    tokens = document.tokens
    gold = _gold_objects(document, {token.id: i for i, token in enumerate(tokens)})
    response = _response_objects(tokens, predicted)
    edges = _edges(gold, response)
    quality = {(g, r): _quality(gold[g], response[r], tokens) for g, r in edges}
    groups = list(_groups(gold, response, edges))
    # Dinkelbach: the matching maximising 2·tp − λ·(gold + predicted) at λ = the F1 it gives is the best F1.
    ratio = 0.0
    pairs: dict[int, int] = {}
    for _ in range(20):
        pairs = {}
        for group_gold, group_response in groups:
            pairs.update(_best_group_matching(group_gold, group_response, edges, quality, gold, response, ratio))
        counts = _counts(gold, response, pairs, quality)["overall"]
        total = counts.gold + counts.predicted
        better = 2 * counts.tp / total if total else 1.0
        if better <= ratio + 1e-12:
            break
        ratio = better
    return _counts(gold, response, pairs, quality), _mistakes(document, gold, response, pairs, quality)


def _mistakes(
    document: FactRuDocument,
    gold: list[_Object],
    response: list[_Object],
    pairs: dict[int, int],
    quality: dict[tuple[int, int], float],
) -> list[str]:
    """Counted gold left unmatched, pairs below full quality and response objects left unmatched, as lines."""

    def words(item: _Object) -> str:
        return " ".join(document.tokens[i].text for i in sorted(item.tokens)) or "(no whole token)"

    lines = []
    for g, item in enumerate(gold):
        if _ignored(g, gold, set(pairs)):
            continue
        if g not in pairs:
            lines.append(f"missed {item.tag} {words(item)}")
        elif quality[g, pairs[g]] < 1:
            lines.append(
                f"partial {item.tag} {words(item)} <- {words(response[pairs[g]])} ({quality[g, pairs[g]]:.2f})"
            )
    matched = set(pairs.values())
    lines += [f"spurious {answer.tag} {words(answer)}" for r, answer in enumerate(response) if r not in matched]
    return lines


def _edges(gold: list[_Object], response: list[_Object]) -> set[tuple[int, int]]:
    """Pairs that may be matched: same tag, a shared token; perfect partners only where one exists."""
    overlap = {
        (g, r): value
        for g, item in enumerate(gold)
        for r, answer in enumerate(response)
        if (value := _overlap(item, answer)) > 0
    }
    perfect_gold = {g for (g, _), value in overlap.items() if value == 1.0}
    perfect_response = {r for (_, r), value in overlap.items() if value == 1.0}
    return {
        (g, r)
        for (g, r), value in overlap.items()
        if value == 1.0 or (g not in perfect_gold and r not in perfect_response)
    }


def _groups(
    gold: list[_Object], response: list[_Object], edges: set[tuple[int, int]]
) -> Iterator[tuple[list[int], list[int]]]:
    """Gold and response objects joined by possible pairs or as siblings, group by group."""
    parent = list(range(len(gold) + len(response)))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    links = [(g, len(gold) + r) for g, r in edges]
    links += [(g, sibling) for g, item in enumerate(gold) for sibling in item.siblings]
    for a, b in links:
        parent[find(a)] = find(b)
    members: dict[int, tuple[list[int], list[int]]] = {}
    for node in range(len(parent)):
        group = members.setdefault(find(node), ([], []))
        if node < len(gold):
            group[0].append(node)
        else:
            group[1].append(node - len(gold))
    yield from members.values()


def _best_group_matching(
    group_gold: list[int],
    group_response: list[int],
    edges: set[tuple[int, int]],
    quality: dict[tuple[int, int], float],
    gold: list[_Object],
    response: list[_Object],
    ratio: float,
) -> dict[int, int]:
    """The group's pairs maximising 2·tp − ratio·(gold + predicted counted)."""
    options = [[r for r in group_response if (g, r) in edges] for g in group_gold]
    if math.prod(len(choices) + 1 for choices in options) > _EXHAUSTIVE_LIMIT:
        return _greedy(group_gold, options, quality)
    best: dict[int, int] = {}
    best_value = float("-inf")
    for choice in itertools.product(*[[None, *choices] for choices in options]):
        taken = [r for r in choice if r is not None]
        if len(taken) != len(set(taken)):
            continue
        pairs = {g: r for g, r in zip(group_gold, choice, strict=True) if r is not None}
        counts = _counts(gold, response, pairs, quality, group_gold, group_response)["overall"]
        value = 2 * counts.tp - ratio * (counts.gold + counts.predicted)
        if value > best_value + 1e-12:
            best, best_value = pairs, value
    return best


def _greedy(group_gold: list[int], options: list[list[int]], quality: dict[tuple[int, int], float]) -> dict[int, int]:
    candidates = sorted(
        ((quality[g, r], g, r) for g, choices in zip(group_gold, options, strict=True) for r in choices), reverse=True
    )
    pairs: dict[int, int] = {}
    for _, g, r in candidates:
        if g not in pairs and r not in pairs.values():
            pairs[g] = r
    return pairs


def _counts(
    gold: list[_Object],
    response: list[_Object],
    pairs: dict[int, int],
    quality: dict[tuple[int, int], float],
    only_gold: list[int] | None = None,
    only_response: list[int] | None = None,
) -> dict[str, Counts]:
    """Per-type and overall counts under a matching (of the whole document, or of one group's objects)."""
    counts = {tag: Counts() for tag in (*TAGS, "overall")}
    matched_response = set(pairs.values())
    matched_gold = set(pairs)
    for g in range(len(gold)) if only_gold is None else only_gold:
        if _ignored(g, gold, matched_gold):
            continue
        for tag in (gold[g].tag, "overall"):
            counts[tag].gold += 1
            if g in pairs:
                counts[tag].tp += quality[g, pairs[g]]
                counts[tag].predicted += 1
    for r in range(len(response)) if only_response is None else only_response:
        if r not in matched_response:
            counts[response[r].tag].predicted += 1
            counts["overall"].predicted += 1
    return counts
