"""How alike two articles are, and whether that is evidence of one event: the story index's measures."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from datetime import date

import numpy as np

from newstrace.corpus._story_records import StorySettings

__all__ = ["cosine", "day_number", "dot", "linked", "mean_off_diagonal", "with_lede_vectors"]


def dot(vector: Mapping[Hashable, float], other: Mapping[Hashable, float]) -> float:
    """Two sparse word vectors' dot product."""
    if len(other) < len(vector):
        vector, other = other, vector
    # Only the shared terms, in the same order: the same float (adding 0.0 changes no sum), at half the cost.
    return sum([weight * other[term] for term, weight in vector.items() if term in other])


def mean_off_diagonal(cosines: np.ndarray) -> float:
    """The mean similarity between different members (1.0 for one member)."""
    size = len(cosines)
    return float((cosines.sum() - np.trace(cosines)) / (size * (size - 1))) if size > 1 else 1.0


def cosine(vector: np.ndarray | None, other: np.ndarray | None) -> float | None:
    """Two packed lede vectors' cosine, or None where either article has none."""
    if vector is None or other is None:
        return None
    first, second = vector.astype(np.float32), other.astype(np.float32)
    norms = float(np.linalg.norm(first)) * float(np.linalg.norm(second))
    return float(first @ second) / norms if norms else None


def day_number(published: str | None) -> int | None:
    """A date's day number, or None for no date or one that does not read as an ISO date."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


def linked(
    settings: StorySettings, similarity: float, day: int | None, other_day: int | None, ledes: float | None
) -> bool:
    """Whether two articles (their words' ``similarity``, their days, their ledes' cosine) show evidence of one event
    beyond their words: the rules are ``StorySettings``'s."""
    if ledes is not None and ledes < settings.unlike_vector:
        return False
    if ledes is None:  # words are the only evidence there is: only many shared words will do
        return similarity >= settings.strong_words
    if day is None and other_day is None:  # bare texts: nothing but their words and ledes to go by
        return similarity >= settings.undated_words and ledes >= settings.undated_vector
    if day is None or other_day is None:  # one page placed in time, the other not: never words alone
        return similarity >= settings.evidence_words and ledes >= settings.evidence_vector
    return similarity >= settings.strong_words or (
        similarity >= settings.evidence_words and ledes >= settings.evidence_vector
    )


def with_lede_vectors(
    similarities: np.ndarray, mine: np.ndarray | None, theirs: list[np.ndarray | None], floor: float, weight: float
) -> np.ndarray:
    """The split check's similarities: the words' mixed with the ledes' embedding cosines where both have one
    (``weight`` of the cosine above ``floor``, rescaled to 0-1)."""
    if mine is None:
        return similarities
    having = [i for i, vector in enumerate(theirs) if vector is not None]
    if not having:
        return similarities
    stacked = np.stack([vector for vector in theirs if vector is not None]).astype(np.float32)
    mine_float = mine.astype(np.float32)
    norms = np.linalg.norm(stacked, axis=1) * float(np.linalg.norm(mine_float))
    cosines = (stacked @ mine_float) / np.where(norms > 0, norms, 1.0)
    above = np.clip((cosines - floor) / (1.0 - floor), 0.0, None)
    mixed = similarities.copy()
    mixed[having] = (1.0 - weight) * similarities[having] + weight * above
    return mixed
