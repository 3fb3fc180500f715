"""The article-extraction benchmark (AEB) format: each page's HTML, url and gold article body."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

__all__ = ["Page", "load_benchmark"]

Page = tuple[str, str, str | None, str]


def load_benchmark(path: Path) -> list[Page]:
    """(page id, HTML, url, gold body) for each page of an AEB-format folder."""
    truth_file = path / "ground-truth.json"
    if not truth_file.is_file():
        raise FileNotFoundError(f"{truth_file} not found: not an article-extraction-benchmark folder")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    pages: list[Page] = []
    for page_id in sorted(truth):
        html_file = path / "html" / f"{page_id}.html.gz"
        html = gzip.decompress(html_file.read_bytes()).decode("utf-8", errors="replace")
        pages.append((page_id, html, truth[page_id].get("url"), truth[page_id].get("articleBody") or ""))
    return pages
