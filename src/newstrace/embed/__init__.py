"""Sentence embeddings shipped as ONNX: the encoder (``encoder``) and the lede vector stage (``lede_vector``)."""

from newstrace.embed.encoder import (
    DIMENSIONS,
    LEDE_WORDS,
    MAX_TOKENS,
    LedeEncoder,
    decoded,
    lede_of,
    pack,
    unit,
    unpack,
)

__all__ = ["DIMENSIONS", "LEDE_WORDS", "MAX_TOKENS", "LedeEncoder", "decoded", "lede_of", "pack", "unit", "unpack"]
