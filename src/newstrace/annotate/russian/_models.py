"""The natasha models (navec news embeddings, slovnet morphology, syntax and NER), loaded once per process.

natasha 1.6 ships its models inside its wheel, so nothing is downloaded. It imports ``pymorphy2``, which does not
import on Python 3.11; ``pymorphy3`` is its maintained fork with the same API, so it stands in under the old name
(natasha and yargy are installed with ``--no-deps`` for that reason, see ``requirements/models.txt``).
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from typing import Any

__all__ = ["RussianModels", "load_russian"]


@dataclass(frozen=True, slots=True)
class RussianModels:
    """natasha's segmenter, taggers, parser, morphology dictionary and name extractor."""

    segmenter: Any
    morph_vocab: Any
    morph_tagger: Any
    syntax_parser: Any
    ner_tagger: Any
    names_extractor: Any


@functools.cache
def load_russian() -> RussianModels:
    """The Russian models, loaded on first use and then shared by every article of the process."""
    import pymorphy3
    import pymorphy3.analyzer

    sys.modules.setdefault("pymorphy2", pymorphy3)
    sys.modules.setdefault("pymorphy2.analyzer", pymorphy3.analyzer)
    import natasha

    embedding = natasha.NewsEmbedding()
    morph_vocab = natasha.MorphVocab()
    return RussianModels(
        segmenter=natasha.Segmenter(),
        morph_vocab=morph_vocab,
        morph_tagger=natasha.NewsMorphTagger(embedding),
        syntax_parser=natasha.NewsSyntaxParser(embedding),
        ner_tagger=natasha.NewsNERTagger(embedding),
        names_extractor=natasha.NamesExtractor(morph_vocab),
    )
