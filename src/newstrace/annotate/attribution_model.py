"""A CRF that tags Source, Cue and Content tokens, trained on PolNeAR and shipped with the package.

Features come from the spaCy parse the annotate stage already has: the word and its shape,
part of speech and dependency, its head, whether it is a reporting verb, where it sits relative
to quotation marks and sentence ends, and the same for two tokens either side. Training is
deterministic (L-BFGS from zeros); ``make train-attribution`` rebuilds the shipped model.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newstrace.annotate.quotes import CUE_LEMMAS

__all__ = ["MODEL_PATH", "AttributionTagger", "token_features", "train"]

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "attribution-crf-v1.crfsuite"
ROLES = {"Source": "SRC", "Cue": "CUE", "Content": "CNT"}
_QUOTES = set("\"“”«»„‘’'")
TRAINING = {"c1": 0.05, "c2": 0.01, "max_iterations": 100, "feature.possible_transitions": True}


_NEIGHBOUR_KEYS = ("w", "pos", "dep", "cue", "q", "qm", "rel")
_SHIFTS = (-2, -1, 1, 2)


@dataclass(frozen=True, slots=True)
class _Parse:
    """The parse as plain lists, read once: walking spaCy tokens builds a new object per step."""

    lower: list[str]
    lemma: list[str]
    pos: list[str]
    dep: list[str]
    head: list[int]
    text: list[str]
    spaced: list[bool]
    sentence_start: list[bool]

    @classmethod
    def of(cls, doc: Any) -> _Parse:
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
        )

    def is_cue(self, i: int) -> bool:
        return self.lemma[i] in CUE_LEMMAS and self.pos[i] == "VERB"


def token_features(doc: Any) -> list[list[str]]:
    """Feature strings per token of one parsed paragraph."""
    parse = _Parse.of(doc)
    inside = _quote_state(parse)
    nearest_cue = _cue_distances(parse)
    relations = _cue_relations(parse)
    last = len(doc) - 1
    own: list[list[str]] = []
    shared: list[list[str]] = []  # the part of a token's features its neighbours see
    for i, token in enumerate(doc):
        head = parse.head[i]
        visible = [f"w={parse.lower[i]}", f"pos={parse.pos[i]}", f"dep={parse.dep[i]}",
                   f"cue={parse.lemma[i] in CUE_LEMMAS}", f"q={inside[i]}", f"qm={parse.text[i] in _QUOTES}",
                   f"rel={relations[i]}"]  # fmt: skip
        own.append(
            [
                *visible,
                f"lemma={parse.lemma[i]}",
                f"hdep={parse.dep[head]}",
                f"shape={token.shape_}",
                f"hl={parse.lemma[head]}",
                f"hpos={parse.pos[head]}",
                f"hcue={parse.lemma[head] in CUE_LEMMAS}",
                f"ent={token.ent_type_ or '-'}",
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


def _quote_state(parse: _Parse) -> list[int]:
    """1 for tokens inside a quotation, by toggling on quote marks (apostrophes within words ignored)."""
    state, inside = 0, []
    for i, text in enumerate(parse.text):
        if text in _QUOTES and not (text in "’'" and i > 0 and not parse.spaced[i - 1]):
            state = 1 - state
            inside.append(1)
        else:
            inside.append(state)
    return inside


def _cue_relations(parse: _Parse) -> list[str]:
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
            if parse.is_cue(head):
                relation = parse.dep[node]
                break
            node = head
        relations.append("CUE" if parse.is_cue(i) else relation)
    return relations


def _cue_distances(parse: _Parse) -> list[str]:
    """How far (binned) and in which direction the nearest reporting verb of the sentence is."""
    result: list[str] = []
    starts = [i for i, start in enumerate(parse.sentence_start) if start or i == 0] + [len(parse.head)]
    for begin, end in itertools.pairwise(starts):
        cues = [i for i in range(begin, end) if parse.is_cue(i)]
        for i in range(begin, end):
            if not cues:
                result.append("none")
                continue
            nearest = min(cues, key=lambda c: abs(c - i))
            distance = i - nearest
            size = abs(distance)
            magnitude = "0" if size == 0 else "1-3" if size <= 3 else "4-10" if size <= 10 else "far"
            result.append(f"{'after' if distance > 0 else 'before' if distance < 0 else 'at'}{magnitude}")
    return result


def token_labels(doc: Any, offset: int, spans: Iterable[tuple[str, int, int]]) -> list[str]:
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


def decode(doc: Any, offset: int, labels: list[str]) -> list[tuple[str, int, int]]:
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


class AttributionTagger:
    """The shipped CRF, loaded once; tags parsed paragraphs."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        import pycrfsuite

        if not path.is_file():
            raise FileNotFoundError(f"{path}: attribution model missing (make train-attribution builds it)")
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))

    def spans(self, docs: list[tuple[int, Any]]) -> list[tuple[str, int, int]]:
        """``(role, start, end)`` character spans of the article over all its paragraphs."""
        found = []
        for offset, doc in docs:
            if len(doc):
                found += decode(doc, offset, self._tagger.tag(token_features(doc)))
        return found


def training_sequences(split: Path) -> Iterator[tuple[list[list[str]], list[str]]]:
    """Feature and label sequences, one per paragraph, from a PolNeAR split folder."""
    from newstrace.annotate import load_english
    from newstrace.evaluate.attribution import read_split

    nlp = load_english()
    for article in read_split(split):
        spans = [
            (role, start, end)
            for attribution in article.attributions
            for role, pieces in (
                ("Source", attribution.source),
                ("Cue", attribution.cue),
                ("Content", attribution.content),
            )
            for start, end in pieces
        ]
        offsets, texts = _paragraphs(article.text)
        for offset, doc in zip(offsets, nlp.pipe(texts), strict=True):
            if len(doc):
                yield token_features(doc), token_labels(doc, offset, spans)


def _paragraphs(text: str) -> tuple[list[int], list[str]]:
    offsets, texts, position = [], [], 0
    for line in text.split("\n"):
        if line.strip():
            offsets.append(position)
            texts.append(line)
        position += len(line) + 1
    return offsets, texts


def train(split: Path, output: Path = MODEL_PATH) -> dict[str, Any]:
    """Train the CRF on a PolNeAR split and write it (and its training card beside it)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    sequences = 0
    for features, labels in training_sequences(split):
        trainer.append(features, labels)
        sequences += 1
    trainer.set_params(TRAINING)
    output.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(output))
    card = {"trained_on": str(split), "sequences": sequences, "params": TRAINING, "algorithm": "lbfgs"}
    output.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n")
    return card
