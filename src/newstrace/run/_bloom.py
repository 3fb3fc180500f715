"""A Bloom filter of strings: the Ray runner's compact skip set (no pinned dependency offers one).

``value in bloom`` is True for every value added (no false negatives) and for about ``error`` of the values never
added, when the filter holds ``capacity`` values; a caller that must not act on a false positive checks a True answer
against the real set. The bits are one numpy array, so Ray sends them zero-copy: one copy per node, whatever the number
of actors that read them.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator

import numpy as np

__all__ = ["BloomFilter"]

# How many values are hashed into numpy arrays at a time while a filter is filled.
_CHUNK = 65_536


class BloomFilter:
    """``capacity`` strings in ``size`` bits, each at ``probes`` positions (double hashing over a BLAKE2b digest)."""

    def __init__(self, capacity: int, error: float) -> None:
        if not 0 < error < 1:
            raise ValueError(f"error must be between 0 and 1, not {error}")
        capacity = max(1, capacity)
        optimal = math.ceil(-capacity * math.log(error) / math.log(2) ** 2)
        self.size = max(64, -(-optimal // 8) * 8)  # whole bytes
        self.probes = max(1, round(self.size / capacity * math.log(2)))
        self.bits = np.zeros(self.size // 8, dtype=np.uint8)

    @classmethod
    def of(cls, values: Iterable[str], *, capacity: int, error: float) -> BloomFilter:
        """A filter sized for ``capacity`` values (the count of ``values``), holding them."""
        bloom = cls(capacity, error)
        bloom.update(values)
        return bloom

    @property
    def nbytes(self) -> int:
        """The bytes the bits take (what a copy of the filter costs)."""
        return int(self.bits.nbytes)

    def update(self, values: Iterable[str]) -> None:
        """Add every value, ``_CHUNK`` at a time."""
        steps = np.arange(self.probes, dtype=np.uint64)
        for firsts, strides in _chunks(values, self.size):
            positions = (firsts[:, None] + steps[None, :] * strides[:, None]) % np.uint64(self.size)
            masks = np.left_shift(np.uint8(1), (positions & np.uint64(7)).astype(np.uint8))
            np.bitwise_or.at(self.bits, positions >> np.uint64(3), masks)

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, str):
            return False
        first, stride = _start(value, self.size)
        bits = self.bits
        for step in range(self.probes):
            position = (first + step * stride) % self.size
            if not bits[position >> 3] & (1 << (position & 7)):
                return False
        return True


def _start(value: str, size: int) -> tuple[int, int]:
    """The first position and the stride of ``value``'s probes, both below ``size`` (the stride never 0)."""
    digest = hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return int.from_bytes(digest[:8], "little") % size, int.from_bytes(digest[8:], "little") % (size - 1) + 1


def _chunks(values: Iterable[str], size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The values' first positions and strides as uint64 arrays, ``_CHUNK`` values at a time."""
    firsts: list[int] = []
    strides: list[int] = []
    for value in values:
        first, stride = _start(value, size)
        firsts.append(first)
        strides.append(stride)
        if len(firsts) >= _CHUNK:
            yield np.array(firsts, dtype=np.uint64), np.array(strides, dtype=np.uint64)
            firsts, strides = [], []
    if firsts:
        yield np.array(firsts, dtype=np.uint64), np.array(strides, dtype=np.uint64)
