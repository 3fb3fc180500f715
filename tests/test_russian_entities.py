"""Russian entities: names in the nominative, one person per article, roles, labels; the models offline, once."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newstrace.annotate.russian import load_russian, parse_russian
from newstrace.annotate.russian.entities import extract_entities_ru
from newstrace.model import Entity, Mention, Span

GALUZIN = (
    "Замминистра иностранных дел России Михаил Галузин заявил РИА Новости, что Москва открыта для диалога. "
    "По словам Галузина, МИД РФ направил ноту в Минск. Галузин добавил, что ответа пока нет."
)


def _entities(text: str) -> tuple[list[Mention], dict[str, Entity]]:
    doc = parse_russian(text, [Span(0, len(text), text)], load_russian())
    mentions, entities = extract_entities_ru(doc)
    assert all(text[m.start : m.end] == m.text for m in mentions)  # provenance: each mention is the text there
    return mentions, {entity.name: entity for entity in entities}


def test_inflected_forms_and_the_surname_alone_are_one_person_named_in_the_nominative() -> None:
    mentions, entities = _entities(GALUZIN)
    galuzin = entities["Михаил Галузин"]
    assert galuzin.id == "person:mikhail-galuzin" and galuzin.label == "PERSON"
    assert {m.text for m in mentions if m.entity_id == galuzin.id} == {"Михаил Галузин", "Галузина", "Галузин"}


def test_a_role_in_apposition_is_the_persons_role() -> None:
    _, entities = _entities(GALUZIN)
    assert entities["Михаил Галузин"].roles == ["замминистра иностранных дел России"]


def test_labels_are_the_english_pipelines_and_an_organisation_keeps_its_country() -> None:
    _, entities = _entities(GALUZIN + " Министры стран ЕС встретились на Красной площади и обсудили Европу.")
    assert entities["Россия"].label == "GPE" and entities["Москва"].label == "GPE"
    assert entities["РИА Новости"].label == "ORG"
    assert entities["МИД РФ"].label == "ORG"  # the ministry and the country in the genitive: one organisation
    assert entities["ЕС"].label == "ORG"  # an international body, not the place slovnet takes it for
    assert entities["Красная площадь"].label == "LOC" and entities["Европа"].label == "LOC"


def test_initials_join_the_full_name_and_two_people_sharing_a_surname_stay_two() -> None:
    _, entities = _entities("Президент Владимир Путин провёл совещание. В. Путин поручил подготовить доклад.")
    assert "В. Путин" in entities["Владимир Путин"].aliases
    assert entities["Владимир Путин"].roles == ["президент"]
    _, entities = _entities("Лидер партии Жан-Мари Ле Пен уступил пост. Марин Ле Пен возглавила Национальный фронт.")
    assert {"Жан-Мари Ле Пен", "Марин Ле Пен"} <= set(entities)


def test_a_name_in_brackets_is_the_same_entity_as_the_name_before_it() -> None:
    text = (
        "Комитет защиты журналистов (КЗЖ) потребовал освободить Джошуа Вольфа (Joshua Wolf). "
        "КЗЖ напоминает, что Вольф провёл в тюрьме год."
    )
    mentions, entities = _entities(text)
    committee, wolf = entities["Комитет защиты журналистов"], entities["Джошуа Вольф"]
    assert [m.text for m in mentions if m.entity_id == committee.id] == ["Комитет защиты журналистов", "КЗЖ", "КЗЖ"]
    assert {m.text for m in mentions if m.entity_id == wolf.id} == {"Джошуа Вольфа", "Joshua Wolf", "Вольф"}


def test_a_repeat_the_model_left_untagged_is_found_again_with_the_same_label() -> None:
    doc = parse_russian(GALUZIN, [Span(0, len(GALUZIN), GALUZIN)], load_russian())
    last = max(range(len(doc.names)), key=lambda i: doc.names[i].start if doc.names[i].text == "Галузин" else -1)
    del doc.names[last]  # as if slovnet had missed the third "Галузин"
    mentions, _ = extract_entities_ru(doc)
    assert [m.text for m in mentions if m.entity_id == "person:mikhail-galuzin"][-1] == "Галузин"


def test_the_models_load_once_per_process() -> None:
    load_russian()
    _entities(GALUZIN)
    _entities("Владимир Путин прибыл в Минск.")
    assert load_russian() is load_russian()
    assert load_russian.cache_info().misses == 1


OFFLINE = """
import socket

def refuse(*args, **kwargs):
    raise OSError("network access in an offline test")

socket.socket.connect = refuse
socket.create_connection = refuse
from newstrace.annotate.russian import load_russian, parse_russian
from newstrace.annotate.russian.entities import extract_entities_ru
from newstrace.model import Span
text = "Михаил Галузин прибыл в Минск."
mentions, _ = extract_entities_ru(parse_russian(text, [Span(0, len(text), text)], load_russian()))
print(sorted(m.text for m in mentions))
"""


@pytest.mark.slow
def test_the_models_load_with_no_network() -> None:
    result = subprocess.run([sys.executable, "-c", OFFLINE], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "['Минск', 'Михаил Галузин']"
