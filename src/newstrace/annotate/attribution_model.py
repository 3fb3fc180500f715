"""A CRF that tags Source, Cue and Content tokens, trained on PolNeAR and shipped with the package.

Features come from the spaCy parse the annotate stage already has: the word and its shape,
part of speech and dependency, its head, whether it is a reporting verb, where it sits relative
to quotation marks and sentence ends, and the same for two tokens either side; and how often
the word is part of a cue in the training data (a lexicon learnt with the model and shipped
beside it). Training is deterministic (L-BFGS from zeros); ``make train-attribution`` rebuilds
the shipped model.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from newstrace.lexicon import CUE_LEMMAS

__all__ = [
    "MODEL_PATH",
    "TRAINING",
    "AttributionTagger",
    "Parsed",
    "lexicon_key",
    "lexicon_path",
    "parsed_features",
    "token_features",
    "token_labels",
]

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "attribution-crf-v2.crfsuite"
ROLES = {"Source": "SRC", "Cue": "CUE", "Content": "CNT"}
_QUOTES = set("\"“”«»„‘’'")
# Chosen on a validation fifth of PolNeAR train (every fifth article), never on dev: strong L2 with
# light L1 and more iterations beat the v1 setting (c1 0.05, c2 0.01, 100) by 4.9 points of content F1.
TRAINING = {"c1": 0.03, "c2": 3.0, "max_iterations": 200, "feature.possible_transitions": True}


_LEARNT_CUE = 0.2  # the cue share from which a verb counts as reporting, like the hand-written ones
_SHIFTS = (-2, -1, 1, 2)


@dataclass(frozen=True, slots=True)
class Parsed:
    """The parse as plain lists, read once: walking spaCy tokens builds a new object per step."""

    lower: list[str]
    lemma: list[str]
    pos: list[str]
    dep: list[str]
    head: list[int]
    text: list[str]
    spaced: list[bool]
    sentence_start: list[bool]
    shape: list[str]
    entity: list[str]

    @classmethod
    def of(cls, doc: Doc) -> Parsed:
        tokens = list(doc)
        return cls(
            [t.lower_ for t in tokens],
            [t.lemma_.lower() for t in tokens],
            [t.pos_ for t in tokens],
            [t.dep_ for t in tokens],
            [t.head.i for t in tokens],
            [t.text for t in tokens],
            [bool(t.whitespace_) for t in tokens],
            [bool(t.is_sent_start) for t in tokens],
            [t.shape_ for t in tokens],
            [t.ent_type_ or "-" for t in tokens],
        )

    def cue_shares(self, lexicon: Mapping[str, float]) -> list[float]:
        """Each token's share of cue occurrences in training, from the lexicon (0 for words it lacks)."""
        return [lexicon.get(lexicon_key(lemma, pos), 0.0) for lemma, pos in zip(self.lemma, self.pos, strict=True)]


def token_features(doc: Doc, lexicon: Mapping[str, float]) -> list[list[str]]:
    """Feature strings per token of one parsed paragraph; ``lexicon`` is the cue lexicon learnt in training."""
    return parsed_features(Parsed.of(doc), lexicon)


def parsed_features(parse: Parsed, lexicon: Mapping[str, float]) -> list[list[str]]:
    shares = parse.cue_shares(lexicon)
    cues = [
        pos == "VERB" and (lemma in CUE_LEMMAS or share >= _LEARNT_CUE)
        for lemma, pos, share in zip(parse.lemma, parse.pos, shares, strict=True)
    ]
    return _with_cue_bands(_parse_features(parse, cues), shares)


def lexicon_key(lemma: str, pos: str) -> str:
    """How the cue lexicon names a word: lemma and part of speech ("accuse/VERB")."""
    return f"{lemma}/{pos}"


def _cue_band(share: float) -> str:
    return (
        "none" if share == 0 else "<.05" if share < 0.05 else "<.2" if share < 0.2 else "<.5" if share < 0.5 else "hi"
    )


def _with_cue_bands(features: list[list[str]], shares: list[float]) -> list[list[str]]:
    """Each token's cue band from the lexicon, its own and its neighbours' (PolNeAR's cues reach far beyond
    reporting verbs: "showed", "seized on", "is expected to")."""
    bands = [_cue_band(share) for share in shares]
    last = len(bands) - 1
    for index, row in enumerate(features):
        row.append(f"cueband={bands[index]}")
        row += [f"{shift}:cueband={bands[index + shift]}" for shift in _SHIFTS if 0 <= index + shift <= last]
    return features


def _parse_features(parse: Parsed, cues: list[bool]) -> list[list[str]]:
    """The parse-based features; ``cues`` marks the reporting verbs the branch and distance features use."""
    inside = _quote_state(parse)
    nearest_cue = _cue_distances(parse, cues)
    relations = _cue_relations(parse, cues)
    last = len(parse.lower) - 1
    own: list[list[str]] = []
    shared: list[list[str]] = []  # the part of a token's features its neighbours see
    for i in range(last + 1):
        head = parse.head[i]
        visible = [f"w={parse.lower[i]}", f"pos={parse.pos[i]}", f"dep={parse.dep[i]}",
                   f"cue={parse.lemma[i] in CUE_LEMMAS}", f"q={inside[i]}", f"qm={parse.text[i] in _QUOTES}",
                   f"rel={relations[i]}"]  # fmt: skip
        own.append(
            [
                *visible,
                f"lemma={parse.lemma[i]}",
                f"hdep={parse.dep[head]}",
                f"shape={parse.shape[i]}",
                f"hl={parse.lemma[head]}",
                f"hpos={parse.pos[head]}",
                f"hcue={parse.lemma[head] in CUE_LEMMAS}",
                f"ent={parse.entity[i]}",
                f"sstart={parse.sentence_start[i]}",
                f"send={i == last or parse.sentence_start[i + 1]}",
                f"dcue={nearest_cue[i]}",
            ]
        )
        shared.append(visible)
    features = []
    for index, row in enumerate(own):
        row = list(row)
        for shift in _SHIFTS:
            other = index + shift
            if 0 <= other <= last:
                prefix = f"{shift}:"
                row += [prefix + feature for feature in shared[other]]
            else:
                row.append(f"{shift}:edge")
        row.append("bias")
        features.append(row)
    return features


def _quote_state(parse: Parsed) -> list[int]:
    """1 for tokens inside a quotation, by toggling on quote marks (apostrophes within words ignored)."""
    state, inside = 0, []
    for i, text in enumerate(parse.text):
        if text in _QUOTES and not (text in "’'" and i > 0 and not parse.spaced[i - 1]):
            state = 1 - state
            inside.append(1)
        else:
            inside.append(state)
    return inside


def _cue_relations(parse: Parsed, cues: list[bool]) -> list[str]:
    """How a token hangs under the nearest reporting verb above it: the dependency of the branch it is in
    ("nsubj" for the speaker's words, "ccomp" for what was said), or "none"."""
    relations = []
    for i in range(len(parse.head)):
        relation = "none"
        node = i
        for _ in range(12):
            head = parse.head[node]
            if head == node:
                break
            if cues[head]:
                relation = parse.dep[node]
                break
            node = head
        relations.append("CUE" if cues[i] else relation)
    return relations


def _cue_distances(parse: Parsed, cues: list[bool]) -> list[str]:
    """How far (binned) and in which direction the nearest reporting verb of the sentence is."""
    result: list[str] = []
    starts = [i for i, start in enumerate(parse.sentence_start) if start or i == 0] + [len(parse.head)]
    for begin, end in itertools.pairwise(starts):
        inside = [i for i in range(begin, end) if cues[i]]
        for i in range(begin, end):
            if not inside:
                result.append("none")
                continue
            nearest = min(inside, key=lambda c: abs(c - i))
            distance = i - nearest
            size = abs(distance)
            magnitude = "0" if size == 0 else "1-3" if size <= 3 else "4-10" if size <= 10 else "far"
            result.append(f"{'after' if distance > 0 else 'before' if distance < 0 else 'at'}{magnitude}")
    return result


def token_labels(doc: Doc, offset: int, spans: Iterable[tuple[str, int, int]]) -> list[str]:
    """BIO labels of a paragraph's tokens from character spans ``(role, start, end)`` of the article."""
    labels = ["O"] * len(doc)
    for role, start, end in spans:
        tag = ROLES[role]
        first = True
        for token in doc:
            token_start = offset + token.idx
            if start <= token_start < end and labels[token.i] == "O":
                labels[token.i] = f"{'B' if first else 'I'}-{tag}"
                first = False
            elif token_start >= end:
                break
    return labels


def decode(doc: Doc, offset: int, labels: list[str]) -> list[tuple[str, int, int]]:
    """Character spans ``(role, start, end)`` of the article from a paragraph's BIO labels."""
    spans: list[tuple[str, int, int]] = []
    current: list[Any] | None = None
    for token, label in zip(doc, labels, strict=True):
        tag = label[2:] if label != "O" else None
        if current is not None and (label == "O" or label.startswith("B-") or tag != current[0]):
            spans.append((current[0], current[1], current[2]))
            current = None
        if tag is not None:
            end = offset + token.idx + len(token.text)
            if current is None:
                current = [tag, offset + token.idx, end]
            else:
                current[2] = end
    if current is not None:
        spans.append((current[0], current[1], current[2]))
    names = {short: role for role, short in ROLES.items()}
    return [(names[tag], start, end) for tag, start, end in spans]


def lexicon_path(model: Path) -> Path:
    """Where the cue lexicon learnt with a model lies: beside it."""
    return model.with_suffix(".cues.json")


class AttributionTagger:
    """The shipped CRF and its cue lexicon, loaded once; tags parsed paragraphs."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        import pycrfsuite

        if not path.is_file() or not lexicon_path(path).is_file():
            raise FileNotFoundError(f"{path}: attribution model missing (make train-attribution builds it)")
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))
        self._lexicon: dict[str, float] = json.loads(lexicon_path(path).read_text())

    def spans(self, docs: list[tuple[int, Doc]]) -> list[tuple[str, int, int]]:
        """``(role, start, end)`` character spans of the article over all its paragraphs."""
        found = []
        for offset, doc in docs:
            if len(doc):
                found += decode(doc, offset, self._tagger.tag(token_features(doc, self._lexicon)))
        return found
