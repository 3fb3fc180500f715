"""The Ray runner's skip filter: every value added is found, others are found at about the stated rate."""

from __future__ import annotations

import hashlib
import math
import pickle

import pytest

from newstrace.run._bloom import BloomFilter


def hashes(start: int, count: int) -> list[str]:
    """Content hashes as the store keeps them (SHA-256, hex), distinct for distinct numbers."""
    return [hashlib.sha256(str(number).encode()).hexdigest() for number in range(start, start + count)]


def test_no_false_negatives_and_the_stated_false_positive_rate_at_its_size() -> None:
    held = hashes(0, 20_000)
    bloom = BloomFilter.of(held, capacity=len(held), error=1e-3)
    assert all(value in bloom for value in held)  # no false negatives
    # 1e-3 at 20,000 values: 14.4 bits a value (-ln(1e-3) / ln(2)^2), 10 probes, 35,944 bytes.
    assert (bloom.size, bloom.probes, bloom.nbytes) == (287_552, 10, 35_944)
    assert bloom.nbytes == math.ceil(20_000 * -math.log(1e-3) / math.log(2) ** 2 / 8)
    false_positives = sum(value in bloom for value in hashes(1_000_000, 100_000))
    assert false_positives <= 200  # 100 expected at 1e-3; the measured count is fixed, as the hashes are
    assert "" not in bloom and 42 not in bloom


def test_a_filter_travels_whole() -> None:
    held = hashes(0, 1_000)
    bloom = pickle.loads(pickle.dumps(BloomFilter.of(held, capacity=1_000, error=1e-6)))
    assert all(value in bloom for value in held) and not any(value in bloom for value in hashes(5_000, 10_000))


@pytest.mark.parametrize("error", [0, 1, -0.5])
def test_an_error_rate_outside_0_to_1_is_refused(error: float) -> None:
    with pytest.raises(ValueError, match="error must be between 0 and 1"):
        BloomFilter(10, error)
