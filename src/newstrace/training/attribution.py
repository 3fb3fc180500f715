"""Train the attribution tagger (a linear-chain CRF) on a PolNeAR split: dataset reading, labels, the fit."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newstrace.annotate.attribution_model import (
    MODEL_PATH,
    TRAINING,
    Parsed,
    lexicon_key,
    lexicon_path,
    parsed_features,
    token_labels,
)
from newstrace.lexicon import cue_lexicon_hash

__all__ = ["learn_cue_lexicon", "train", "training_sequences"]

_LEXICON_MINIMUM = 5  # occurrences in training before a word's cue share is trusted


def learn_cue_lexicon(words: Iterable[tuple[str, bool]], minimum: int = _LEXICON_MINIMUM) -> dict[str, float]:
    """The share of each word's occurrences (``lexicon_key``, is it a cue) that are part of a cue, for words
    seen at least ``minimum`` times and at least once in a cue: "show/VERB" 0.5, "accord/VERB" 0.93."""
    seen: Counter[str] = Counter()
    cued: Counter[str] = Counter()
    for key, is_cue in words:
        seen[key] += 1
        cued[key] += is_cue
    return {key: round(cued[key] / count, 4) for key, count in sorted(seen.items()) if count >= minimum and cued[key]}


@dataclass(slots=True)
class _Paragraph:
    """A training paragraph before the cue lexicon is known: its parse and labels."""

    parse: Parsed
    labels: list[str]


def training_sequences(split: Path) -> Iterator[_Paragraph]:
    """Each paragraph's parse and labels, one at a time, from a PolNeAR split folder."""
    from newstrace.annotate import load_english
    from newstrace.datasets.polnear import read_split

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
                yield _Paragraph(Parsed.of(doc), token_labels(doc, offset, spans))


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

    paragraphs = list(training_sequences(split))
    lexicon = learn_cue_lexicon(
        (lexicon_key(lemma, pos), label.endswith("-CUE"))
        for paragraph in paragraphs
        for lemma, pos, label in zip(paragraph.parse.lemma, paragraph.parse.pos, paragraph.labels, strict=True)
    )
    trainer = pycrfsuite.Trainer(verbose=False)
    for paragraph in paragraphs:
        trainer.append(parsed_features(paragraph.parse, lexicon), paragraph.labels)
    trainer.set_params(TRAINING)
    output.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(output))
    lexicon_path(output).write_text(json.dumps(lexicon, indent=0, sort_keys=True) + "\n")
    card = {
        "trained_on": str(split),
        "sequences": len(paragraphs),
        "cue_lexicon_words": len(lexicon),
        "cue_lexicon_sha256": cue_lexicon_hash(),  # newstrace.lexicon.CUE_LEMMAS, a feature of the tagger
        "params": TRAINING,
        "algorithm": "lbfgs",
    }
    output.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n")
    return card
