"""Chakraborty et al. (2016) clickbait headlines: the two files' headlines and labels, and the fixed split."""

from __future__ import annotations

import gzip
from pathlib import Path

__all__ = ["SEED", "TEST_SHARE", "load_dataset", "split_dataset"]

SEED = 13
TEST_SHARE = 0.2


def load_dataset(folder: Path) -> tuple[list[str], list[int]]:
    """Headlines and labels (1 clickbait, 0 not) from ``clickbait_data.gz`` and ``non_clickbait_data.gz``."""
    headlines: list[str] = []
    labels: list[int] = []
    for name, label in (("clickbait_data.gz", 1), ("non_clickbait_data.gz", 0)):
        path = folder / name
        if not path.is_file():
            raise FileNotFoundError(f"{path} not found: not a clickbait dataset folder")
        for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines():
            if line.strip():
                headlines.append(line.strip())
                labels.append(label)
    return headlines, labels


def split_dataset(folder: Path) -> tuple[list[str], list[str], list[int], list[int]]:
    """The fixed-seed stratified 80/20 split: train headlines, test headlines, train labels, test labels."""
    from sklearn.model_selection import train_test_split

    headlines, labels = load_dataset(folder)
    parts = train_test_split(headlines, labels, test_size=TEST_SHARE, random_state=SEED, stratify=labels)
    return parts[0], parts[1], parts[2], parts[3]
