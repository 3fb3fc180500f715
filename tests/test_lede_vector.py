"""Lede vectors: the MiniLM model loads from its packages offline, embeds ledes, and the stage fills them in."""

from __future__ import annotations

import numpy as np
import pytest

from newstrace.assess.headline import HeadlineChecker
from newstrace.embed import LEDE_WORDS, LedeEncoder, lede_of, pack, unpack
from newstrace.model import Document
from newstrace.pipeline import DEFAULT_STAGES, Pipeline
from test_corpus import ABSENCE, DEPUTY_LEDE, SURGERY_LEDE, SURGERY_LEDE_RETOLD


@pytest.fixture(scope="module")
def encoder() -> LedeEncoder:
    return LedeEncoder()


def test_the_encoder_loads_from_its_packages_and_gives_a_unit_vector(encoder: LedeEncoder) -> None:
    vector = encoder.vector(SURGERY_LEDE + ABSENCE)
    assert vector is not None and vector.shape == (384,)
    assert float(np.linalg.norm(vector)) == pytest.approx(1.0, abs=1e-5)
    assert encoder.vector("   \n ") is None


def test_a_retold_claim_embeds_closer_than_another_claim_over_the_same_background(encoder: LedeEncoder) -> None:
    surgery, retold, deputy = (
        encoder.vector(lede + ABSENCE) for lede in (SURGERY_LEDE, SURGERY_LEDE_RETOLD, DEPUTY_LEDE)
    )
    assert surgery is not None and retold is not None and deputy is not None
    assert float(surgery @ retold) > float(surgery @ deputy) + 0.2


def test_only_the_lede_is_embedded(encoder: LedeEncoder) -> None:
    # Words of one word piece each: 80 of them stay under the 128 pieces, so only the word limit cuts the rest.
    lede = " ".join(["the harbour patrol will begin in april"] * 12).split()[:LEDE_WORDS]
    text = " ".join(lede)
    assert len(encoder.tokenizer.encode(text).ids) < 128
    assert lede_of(text + "\n\nwhatever follows") == text
    assert encoder.packed(text) == encoder.packed(text + " and a whole other story after it")
    assert encoder.packed(text) != encoder.packed(" ".join(lede[:40]))


def test_a_packed_vector_is_384_signed_bytes_and_unpacks_to_the_same_direction() -> None:
    vector = np.random.default_rng(3).normal(size=384).astype(np.float32)
    vector /= np.linalg.norm(vector)
    values = unpack(pack(vector))
    assert values.dtype == np.int8 and values.shape == (384,) and len(pack(vector)) == 512
    assert float(values @ vector / np.linalg.norm(values)) > 0.9999
    with pytest.raises(ValueError):
        unpack(pack(vector)[:-8])
    with pytest.raises(ValueError):
        unpack("not base64!")


def test_the_stage_embeds_english_articles_and_leaves_other_languages_without() -> None:
    assert "lede_vector" in DEFAULT_STAGES
    pipeline = Pipeline(("clean", "lede_vector"))
    english = pipeline.process(Document("en.txt", SURGERY_LEDE + ABSENCE, "text/plain", "h1"))
    german = pipeline.process(
        Document(
            "de.txt",
            "Die Gouverneurin wird nach einer Knieoperation im Krankenhaus behandelt, teilte ihr Büro am Montag mit. "
            "Die Ärzte erwarten, dass sie in zwei oder drei Wochen wieder an ihren Schreibtisch zurückkehren kann.",
            "text/plain",
            "h2",
        )
    )
    assert not hasattr(english, "stage") and english.language == "en" and english.lede_vector is not None
    assert unpack(english.lede_vector).shape == (384,)
    assert not hasattr(german, "stage") and german.language == "de" and german.lede_vector is None


def test_the_headline_check_reads_the_vector_the_stage_made(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str | None] = []
    original = HeadlineChecker.check

    def check(self: HeadlineChecker, *args: object, **kwargs: object) -> object:
        seen.append(args[3] if len(args) > 3 else kwargs.get("lede_vector"))  # type: ignore[arg-type]
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(HeadlineChecker, "check", check)
    text = "Governor Recovers After Knee Surgery\n\n" + SURGERY_LEDE + ABSENCE
    article = Pipeline(("clean", "lede_vector", "headline_check")).process(Document("g.txt", text, "text/plain", "h3"))
    assert not hasattr(article, "stage") and article.headline_check is not None
    assert seen == [article.lede_vector] and article.lede_vector is not None
