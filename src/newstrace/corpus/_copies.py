"""Copies by MinHash LSH: each article's signature over word shingles, and the stored articles a new one may copy."""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np

from newstrace.corpus._story_records import Relation, StorySettings
from newstrace.corpus._text import shingles_of

if TYPE_CHECKING:
    from datasketch import MinHash

__all__ = ["CopyFinder", "band_keys", "copy_groups", "signature_of"]

# datasketch's default permutations, named: signatures are only comparable within one scheme.
_SCHEME = "affine32"


class CopyFinder:
    """The MinHash signatures of the articles added (by their number in the index) and an LSH index over them."""

    def __init__(self, settings: StorySettings) -> None:
        # Imported by the index that needs it: datasketch (and the scipy it imports) would cost every command's start.
        from datasketch import MinHash, MinHashLSH

        self._minhash = MinHash
        self.settings = settings
        self._lsh = MinHashLSH(threshold=settings.copy_threshold, num_perm=settings.num_perm)
        self._signatures: dict[int, np.ndarray] = {}
        # The MinHash permutations depend on the seed alone: drawn once, not once per article.
        self._permutations = MinHash(num_perm=settings.num_perm, seed=1, scheme=_SCHEME).permutations
        # A copy's relation to its group's origin the last time its story's record was made, kept by the copy.
        self._relations: dict[int, tuple[int, Relation]] = {}

    def minhash(self, tokens: list[str]) -> MinHash:
        """The signature of a text split into words (``words``)."""
        settings = self.settings
        minhash = self._minhash(num_perm=settings.num_perm, seed=1, permutations=self._permutations, scheme=_SCHEME)
        minhash.update_batch([s.encode("utf-8") for s in shingles_of(tokens, self.settings.shingle_size)])
        return minhash

    def add(self, number: int, minhash: MinHash) -> None:
        """Keep an added article's signature and index it."""
        self._signatures[number] = minhash.hashvalues
        self._lsh.insert(number, minhash)

    def candidates(self, minhash: MinHash) -> tuple[list[int], list[float]]:
        """The added articles the LSH index returns for this signature, each with its estimated Jaccard."""
        found = sorted(self._lsh.query(minhash))  # in the order added, as a store's lookup gives them
        if not found:
            return [], []
        # One comparison of all the candidates' signatures: a page copied many times has many candidates.
        agreements = (np.stack([self._signatures[other] for other in found]) == minhash.hashvalues).mean(axis=1)
        return found, agreements.tolist()

    def relation(self, member: int, origin: int) -> Relation:
        """A copy group member's relation to its origin: a copy when near-duplicate, else syndicated."""
        known = self._relations.get(member)
        if known is None or known[0] != origin:
            jaccard = float(np.mean(self._signatures[member] == self._signatures[origin]))
            known = (origin, "copy" if jaccard >= self.settings.near_duplicate else "syndicated")
            self._relations[member] = known
        return known[1]


def copy_groups(members: list[int], copy_of: dict[int, int | None]) -> list[list[int]]:
    """The copy groups of two or more among ``members`` (linked through each one's copy link, both ways)."""
    inside = set(members)
    parent = {m: m for m in members}

    def find(m: int) -> int:
        while parent[m] != m:
            parent[m] = parent[parent[m]]
            m = parent[m]
        return m

    for m in members:
        copied = copy_of[m]
        if copied is not None and copied in inside:
            parent[find(m)] = find(copied)
    groups: defaultdict[int, list[int]] = defaultdict(list)
    for m in members:
        groups[find(m)].append(m)
    return [group for group in groups.values() if len(group) > 1]


@functools.cache
def _band_ranges(threshold: float, num_perm: int) -> tuple[tuple[int, int], ...]:
    """The LSH bands datasketch chooses for this threshold and signature length: (start, end) of each."""
    from datasketch import MinHashLSH

    return tuple(MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges)


def band_keys(hashvalues: np.ndarray, settings: StorySettings) -> list[int]:
    """A signature's LSH band keys as signed 64-bit integers: two signatures share a key where datasketch's index
    would put them in one bucket (the same values over one band), so a table lookup finds the same candidates."""
    keys = []
    for band, (start, end) in enumerate(_band_ranges(settings.copy_threshold, settings.num_perm)):
        digest = hashlib.blake2b(hashvalues[start:end].astype(np.uint64).tobytes(), digest_size=8, salt=bytes([band]))
        keys.append(int.from_bytes(digest.digest(), "big", signed=True))
    return keys


def signature_of(minhash: MinHash) -> bytes:
    """A signature packed for a store: four bytes a value (the affine32 scheme's values are below 2**32)."""
    return bytes(minhash.hashvalues.astype(np.uint32).tobytes())
