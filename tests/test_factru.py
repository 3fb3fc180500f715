"""FactRuEval-2016: the reader of its own layout and the track-1 scorer (synthetic texts; the dev set where present)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import shared_path
from newstrace.datasets.factru import read_factru, read_factru_document
from newstrace.evaluate._factru_match import score_document


def _write_book(folder: Path) -> None:
    """A two-sentence text in the set's layout: a person, an organisation over a place, a bare descriptor."""
    text = "Глава МИД России Сергей Лавров прибыл в Минск. Министерство сообщило."
    words = [(w, text.index(w)) for w in ["Глава", "МИД", "России", "Сергей", "Лавров", "прибыл", "в", "Минск", "."]]
    words += [("Министерство", 47), ("сообщило", 60), (".", 68)]
    ids = {i: str(100 + i) for i in range(len(words))}
    tokens = [f"{ids[i]} {start} {len(word)} {word}" for i, (word, start) in enumerate(words)]
    tokens.insert(9, "")  # a blank line ends the first sentence
    spans = [
        ("1", "org_name", 1),
        ("2", "loc_name", 2),
        ("3", "name", 3),
        ("4", "surname", 4),
        ("5", "loc_name", 7),
        ("6", "org_descr", 9),
    ]
    span_lines = [
        f"{sid} {tag} {words[i][1]} {len(words[i][0])} {ids[i]} 1  # {ids[i]} {words[i][0]}" for sid, tag, i in spans
    ]
    objects = ["10 Org 1 2 # МИД России", "11 LocOrg 2 # России", "12 Person 3 4 # Сергей Лавров"]
    objects += ["13 Location 5 # Минск", "14 Org 6 # Министерство"]
    (folder / "book_7.txt").write_text(text, encoding="utf-8")
    (folder / "book_7.tokens").write_text("\n".join(tokens) + "\n", encoding="utf-8")
    (folder / "book_7.spans").write_text("\n".join(span_lines) + "\n", encoding="utf-8")
    (folder / "book_7.objects").write_text("\n".join(objects) + "\n", encoding="utf-8")
    (folder / "book_7.coref").write_text("1 12\nfirstname Сергей\nlastname Лавров\n\n2 13\nname Минск\n", "utf-8")


def test_the_reader_reads_every_layer(tmp_path: Path) -> None:
    _write_book(tmp_path)
    document = read_factru_document(tmp_path, "book_7")
    assert document.number == 7
    assert [t.sentence for t in document.tokens] == [0] * 9 + [1] * 3
    assert all(document.text[t.start : t.end] == t.text for t in document.tokens)
    assert document.spans["4"].tag == "surname"
    assert [m.tag for m in document.mentions] == ["Org", "LocOrg", "Person", "Location", "Org"]
    assert document.entities[0].attributes == (("firstname", "Сергей"), ("lastname", "Лавров"))
    assert document.facts == []  # no .facts file: an empty layer
    with pytest.raises(FileNotFoundError, match="not a FactRuEval folder"):
        read_factru(tmp_path / "missing")


def _score(tmp_path: Path, response: list[tuple[str, str]]) -> dict[str, dict[str, float]]:
    _write_book(tmp_path)
    document = read_factru_document(tmp_path, "book_7")
    spans = []
    for tag, words in response:
        start = document.text.index(words)
        spans.append((tag, start, start + len(words)))
    counts, _ = score_document(document, spans)
    return {tag: value.to_dict() for tag, value in counts.items()}


def test_a_perfect_response_scores_one_and_ignored_objects_count_neither_way(tmp_path: Path) -> None:
    # "России" inside "МИД России" is embedded and "Министерство" names nothing: neither is counted.
    scores = _score(tmp_path, [("org", "МИД России"), ("per", "Сергей Лавров"), ("loc", "Минск"), ("loc", "России")])
    assert scores["overall"]["f1"] == 1.0
    assert (scores["overall"]["gold"], scores["overall"]["predicted"]) == (3, 3)


def test_a_descriptor_may_be_taken_or_left_but_a_name_token_missed_costs(tmp_path: Path) -> None:
    assert _score(tmp_path, [("org", "Глава МИД России")])["org"]["precision"] == 0.5  # "Глава" is extra
    half = _score(tmp_path, [("org", "МИД")])["org"]
    assert half["tp"] == 0.5 and half["recall"] == 0.5
    person = _score(tmp_path, [("per", "Лавров"), ("loc", "Сергей")])
    assert person["per"]["tp"] == 0.5
    assert person["loc"]["predicted"] == 1 and person["loc"]["tp"] == 0  # another type never matches


def test_the_dev_set_reads_whole() -> None:
    documents = read_factru(shared_path("eval", "factru", "dev"))
    assert len(documents) == 122
    assert sum(len(d.mentions) for d in documents) == 2611
    for document in documents:
        assert all(document.text[t.start : t.end] == t.text for t in document.tokens), document.name
        assert all(all(s in document.spans for s in m.span_ids) for m in document.mentions), document.name
