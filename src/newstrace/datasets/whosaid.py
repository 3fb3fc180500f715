"""Whosaid (``../shared/eval/whosaid``): articles, gold statements with their speakers, and prediction files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["Json", "read_gold", "read_predictions"]

Json = dict[str, Any]


def read_gold(folder: Path) -> tuple[list[Json], list[Json]]:
    """The articles and gold statements of a whosaid folder (``articles.jsonl``, ``statements.jsonl``)."""
    files = [folder / "articles.jsonl", folder / "statements.jsonl"]
    for path in files:
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: not a whosaid folder")
    articles = _read_jsonl(files[0], required=("url", "text"))
    statements = _read_jsonl(files[1], required=("doc", "content"))
    for number, statement in enumerate(statements, start=1):
        # A speaker the article leaves unnamed is null (whosaid-ru); a missing one is an error.
        if "speaker" not in statement:
            raise ValueError(f"{files[1]}:{number}: no speaker")
        if statement["speaker"] is not None and not isinstance(statement["speaker"], str):
            raise ValueError(f"{files[1]}:{number}: speaker is neither a name nor null")
        statement.setdefault("speaker_kind", _speaker_kind(statement))
    return articles, statements


def _speaker_kind(statement: Json) -> str:
    """The kind of speaker where the set does not say (whosaid-ru): read from its mention type and its name.

    A null speaker is unnamed; an organisation's mention names an organisation; otherwise a name of two or more
    capitalised words is a person (the surname rule needs it), and anything else a group.
    """
    speaker = statement.get("speaker")
    if speaker is None:
        return "unnamed"
    if statement.get("mention_type") == "organisation":
        return "organization"
    words = speaker.split()
    if 2 <= len(words) <= 4 and all(word[:1].isupper() for word in words) and "," not in speaker:
        return "person"
    return "group"


def _read_jsonl(path: Path, required: tuple[str, ...]) -> list[Json]:
    """One object per non-blank line, each with a string under every ``required`` key."""
    rows = []
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{number}: not JSON ({error.msg})") from None
        missing = [key for key in required if not isinstance(row, dict) or not isinstance(row.get(key), str)]
        if missing:
            raise ValueError(f"{path}:{number}: no {', '.join(missing)}")
        rows.append(row)
    return rows


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not UTF-8 ({error.reason} at byte {error.start})") from None


def read_predictions(path: Path) -> list[Json]:
    """Predicted Article JSON objects from a file: one per line, or one JSON array, or a single object."""
    raw = _read_text(path)
    if not raw.strip():
        return []
    try:
        whole = json.loads(raw)
    except json.JSONDecodeError:
        whole = None  # not one JSON value: read it line by line
    if isinstance(whole, list):
        return [item for item in whole if isinstance(item, dict)]
    if isinstance(whole, dict):
        return [whole]
    articles: list[Json] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{number}: not JSON ({error.msg})") from None
        if isinstance(item, dict):
            articles.append(item)
        elif isinstance(item, list):
            articles.extend(element for element in item if isinstance(element, dict))
    return articles
