"""Runtime code never imports training or evaluation code (they live in their own packages)."""

from __future__ import annotations

import subprocess
import sys


def test_running_the_pipeline_imports_neither_training_nor_evaluation() -> None:
    script = (
        "import sys\n"
        "from newstrace.model import Document\n"
        "from newstrace.pipeline import Pipeline\n"
        "Pipeline().process(Document(source='t', raw='Ana Duarte said the plan was ready for the vote.', "
        "media_type='text/plain', source_hash='h'))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('newstrace.training', 'newstrace.evaluate'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
