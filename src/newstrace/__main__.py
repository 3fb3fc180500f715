"""``python -m newstrace``."""

from newstrace.cli import main

main()
