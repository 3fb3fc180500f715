"""Each FNC-1 body's lede vector, made once per body as the pipeline's ``lede_vector`` stage makes it."""

from __future__ import annotations

from collections.abc import Sequence

from newstrace.assess.stance import Pair
from newstrace.embed import LedeEncoder

__all__ = ["body_lede_vectors"]


def body_lede_vectors(pairs: Sequence[Pair]) -> dict[str, str | None]:
    """Body id -> packed lede vector, for the headline check to read as it reads an article's."""
    encoder = LedeEncoder()
    vectors: dict[str, str | None] = {}
    for pair in pairs:
        if pair.body_id not in vectors:
            vectors[pair.body_id] = encoder.packed(pair.body)
    return vectors
