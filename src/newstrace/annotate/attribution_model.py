"""A CRF that tags Source, Cue and Content tokens, trained on PolNeAR and shipped with the package.

Features come from the spaCy parse the annotate stage already has: the word and its shape,
part of speech and dependency, its head, whether it is a reporting verb, where it sits relative
to quotation marks and sentence ends, and the same for two tokens either side. Training is
deterministic (L-BFGS from zeros); ``make train-attribution`` rebuilds the shipped model.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from newstrace.annotate.quotes import CUE_LEMMAS

__all__ = ["MODEL_PATH", "AttributionTagger", "token_features", "train"]

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "attribution-crf-v1.crfsuite"
ROLES = {"Source": "SRC", "Cue": "CUE", "Content": "CNT"}
_QUOTES = set("\"“”«»„‘’'")
TRAINING = {"c1": 0.05, "c2": 0.01, "max_iterations": 100, "feature.possible_transitions": True}


def token_features(doc: Any) -> list[list[str]]:
    """Feature strings per token of one parsed paragraph."""
    inside = _quote_state(doc)
    nearest_cue = _cue_distances(doc)
    relations = _cue_relations(doc)
    base = []
    for token in doc:
        base.append(
            {
                "w": token.lower_,
                "lemma": token.lemma_.lower(),
                "rel": relations[token.i],
                "hdep": token.head.dep_,
                "shape": token.shape_,
                "pos": token.pos_,
                "dep": token.dep_,
                "hl": token.head.lemma_.lower(),
                "hpos": token.head.pos_,
                "cue": str(token.lemma_.lower() in CUE_LEMMAS),
                "hcue": str(token.head.lemma_.lower() in CUE_LEMMAS),
                "q": str(inside[token.i]),
                "qm": str(token.text in _QUOTES),
                "ent": token.ent_type_ or "-",
                "sstart": str(token.is_sent_start),
                "send": str(token.i + 1 == len(doc) or bool(doc[token.i + 1].is_sent_start)),
                "dcue": nearest_cue[token.i],
            }
        )
    features = []
    for index, own in enumerate(base):
        row = [f"{key}={value}" for key, value in own.items()]
        for shift in (-2, -1, 1, 2):
            other = index + shift
            if 0 <= other < len(base):
                neighbour = base[other]
                row += [f"{shift}:{key}={neighbour[key]}" for key in ("w", "pos", "dep", "cue", "q", "qm", "rel")]
            else:
                row.append(f"{shift}:edge")
        row.append("bias")
        features.append(row)
    return features


def _quote_state(doc: Any) -> list[int]:
    """1 for tokens inside a quotation, by toggling on quote marks (apostrophes within words ignored)."""
    state, inside = 0, []
    for token in doc:
        if token.text in _QUOTES and not (token.text in "’'" and token.i > 0 and not doc[token.i - 1].whitespace_):
            state = 1 - state
            inside.append(1)
        else:
            inside.append(state)
    return inside


def _cue_relations(doc: Any) -> list[str]:
    """How a token hangs under the nearest reporting verb above it: the dependency of the branch it is in
    ("nsubj" for the speaker's words, "ccomp" for what was said), or "none"."""
    relations = []
    for token in doc:
        relation = "none"
        node = token
        for _ in range(12):
            if node.head is node:
                break
            if node.head.lemma_.lower() in CUE_LEMMAS and node.head.pos_ == "VERB":
                relation = node.dep_
                break
            node = node.head
        if token.lemma_.lower() in CUE_LEMMAS and token.pos_ == "VERB":
            relation = "CUE"
        relations.append(relation)
    return relations


def _cue_distances(doc: Any) -> list[str]:
    """How far (binned) and in which direction the nearest reporting verb of the sentence is."""
    result = []
    for sentence in doc.sents:
        cues = [t.i for t in sentence if t.lemma_.lower() in CUE_LEMMAS and t.pos_ == "VERB"]
        for token in sentence:
            if not cues:
                result.append("none")
                continue
            nearest = min(cues, key=lambda i: abs(i - token.i))
            distance = token.i - nearest
            magnitude = (
                "0" if distance == 0 else "1-3" if abs(distance) <= 3 else "4-10" if abs(distance) <= 10 else "far"
            )
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
