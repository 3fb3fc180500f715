"""Refactors keep behaviour: ``analyze --json`` stays byte-identical on the seed, the bundled example and 20 AEB pages.

The digests in ``golden/analyze_json.json`` were recorded from the CLI before the layout of issue #25; a change that
alters an output on purpose re-records them (``python tests/test_golden.py --record``) and says why in its commit.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SHARED

GOLDEN = Path(__file__).with_name("golden") / "analyze_json.json"
# The capture date the recorded outputs use: a file is captured on the day it is read, so the test reads it as then.
RECORDED_ON = "2026-12-07"


def _analyze_json(paths: list[str]) -> dict[str, bytes]:
    """``newstrace analyze --json PATH`` for each path, run from the repo root in one process (models load once)."""
    script = (
        "import datetime, sys\n"
        "import newstrace.ingest._shards as shards\n"
        # A file's capture date is the day it is read: the outputs were recorded on RECORDED_ON, and that day stays.
        "class RecordedDay(datetime.date):\n"
        "    @classmethod\n"
        f"    def today(cls): return cls.fromisoformat({RECORDED_ON!r})\n"
        "shards.date = RecordedDay\n"
        "from typer.testing import CliRunner\n"
        "from newstrace.cli import app\n"
        "runner = CliRunner()\n"
        "for path in sys.argv[1:]:\n"
        "    result = runner.invoke(app, ['analyze', '--json', path])\n"
        "    sys.stdout.buffer.write(len(result.stdout_bytes).to_bytes(8, 'big') + result.stdout_bytes)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *paths], cwd=ROOT, capture_output=True, check=True, env={**os.environ}
    )
    outputs: dict[str, bytes] = {}
    stream = done.stdout
    for path in paths:
        size = int.from_bytes(stream[:8], "big")
        outputs[path] = stream[8 : 8 + size]
        stream = stream[8 + size :]
    return outputs


@pytest.mark.slow
def test_analyze_json_is_byte_identical_to_the_recorded_outputs(tmp_path: Path) -> None:
    recorded: dict[str, str] = json.loads(GOLDEN.read_text())["outputs"]
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is absent: the golden outputs include the seed and AEB pages")
    outputs = _analyze_json(list(recorded))
    changed = []
    for path, digest in recorded.items():
        if hashlib.sha256(outputs[path]).hexdigest() != digest:
            kept = tmp_path / (Path(path).name + ".json")
            kept.write_bytes(outputs[path])
            changed.append(f"{path} (now in {kept})")
    assert not changed, "analyze --json changed for: " + "; ".join(changed)


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    sys.path.insert(0, str(Path(__file__).parent))
    recorded = json.loads(GOLDEN.read_text())
    outputs = _analyze_json(list(recorded["outputs"]))
    recorded["outputs"] = {path: hashlib.sha256(data).hexdigest() for path, data in outputs.items()}
    GOLDEN.write_text(json.dumps(recorded, indent=2) + "\n")
