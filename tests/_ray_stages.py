"""Stages the Ray tests run in Ray's worker processes (which import this module by name to register them)."""

from __future__ import annotations

import os
from pathlib import Path

from newstrace.model import Article
from newstrace.pipeline import register_stage


@register_stage("test-exit-once", requires=("text",))
def exit_once(article: Article) -> Article:
    """Kills its worker process the first time it sees CRASH, as a native crash would; later runs pass."""
    flag = Path(os.environ["NEWSTRACE_TEST_FLAG"])
    if "CRASH" in article.text and not flag.exists():
        flag.write_text(str(os.getpid()))
        os._exit(1)
    return article


@register_stage("test-cannot-load")
class CannotLoad:
    """A stage whose model cannot be loaded."""

    def __init__(self) -> None:
        raise OSError("weights file missing")

    def __call__(self, article: Article) -> Article:
        return article
