"""Several writers on one store at once: two ``newstrace ingest`` processes and the server's upload.

Assignment is serialised per store (SQLite's write lock, PostgreSQL's advisory lock) and each writer reads the
story index's state from the tables, so every article ends in exactly one story, and the stories are those one
index makes of the articles in the order they were stored: what a sequential run in that order gives.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from newstrace.corpus import StoryIndex, StoryRecord, doc_from_article
from newstrace.store import Store
from newstrace.store.schema import articles, story_entries, story_members
from newstrace.web import ServeSettings, create_app
from test_cli_corpus import DENIAL, PATROL, PATROL_COPY, VOLCANO
from test_store import _empty_postgres

pytestmark = pytest.mark.slow  # three processes load the pipeline: about a minute on two cores


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store's address on each backend: a SQLite file, or the emptied PostgreSQL test database."""
    if request.param == "sqlite":
        path = tmp_path / "shared.db"
        Store(path).close()  # created before the writers start, as a newsroom's store is
        yield str(path)
    else:
        url = _empty_postgres()
        Store(url).close()
        yield url


def _pages(folder: Path, prefix: str, count: int) -> list[Path]:
    """``count`` plain-text pages: the patrol story (an original and a blog copy), a denial, a volcano alert."""
    folder.mkdir()
    texts = [PATROL, PATROL_COPY, DENIAL, VOLCANO]
    paths = []
    for n in range(count):
        path = folder / f"{prefix}{n}.txt"
        path.write_text(f"{texts[n % 4]}\nReported from desk {prefix}{n}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def _running(processes: list[subprocess.Popen[bytes]]) -> bool:
    return any(process.poll() is None for process in processes)


def _in_memory(items: list[object]) -> list[StoryRecord]:
    index = StoryIndex()
    for item in items:
        index.add(doc_from_article(item))  # type: ignore[arg-type]
    return sorted(index.stories(), key=lambda r: r.id)


def test_two_ingests_and_the_servers_upload_at_once_keep_one_story_per_article(target: str, tmp_path: Path) -> None:
    first, second = _pages(tmp_path / "a", "a", 12), _pages(tmp_path / "b", "b", 12)
    uploads = _pages(tmp_path / "c", "c", 12)
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # A transaction per article, so the three writers take turns article by article.
    command = [sys.executable, "-m", "newstrace", "ingest", "--db", target, "--workers", "1", "--batch-size", "1"]
    ingests = [
        subprocess.Popen([*command, str(folder)], env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for folder in (tmp_path / "a", tmp_path / "b")
    ]
    with Store(target) as store, TestClient(create_app(store, ServeSettings(analysis_timeout=300))) as client:
        # Uploads go on while the ingests run (they start writing once their pipelines have loaded).
        for page in uploads:
            with store.engine.connect() as connection:
                while not connection.scalar(select(func.count()).select_from(articles)) and _running(ingests):
                    time.sleep(0.2)
            response = client.post(
                "/articles",
                params={"name": page.name},
                content=page.read_bytes(),
                headers={"content-type": "text/plain"},
            )
            assert response.status_code == 201, response.text
    for process in ingests:
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr.decode()
    with Store(target) as store:
        with store.engine.connect() as connection:
            stored = connection.scalar(select(func.count()).select_from(articles))
            members = list(connection.scalars(select(story_members.c.article)))
            indexed = connection.scalar(select(func.count()).select_from(story_entries))
        assert stored == len(first) + len(second) + len(uploads)
        assert len(members) == len(set(members)) == stored == indexed  # each article in one story, and indexed
        in_order = list(store.iter_articles())  # in the order stored: the order the writers took turns in
        writers = [article.source.rsplit("/", 1)[-1][0] for article in in_order]
        assert len({writer for writer in writers[: len(writers) // 2]}) >= 2  # they did write at once
        assert sorted(store.story_records(), key=lambda r: r.id) == _in_memory(in_order)
