"""The masking on known-value texts: IINs of the public validators' fixtures (shared/domain/kazakhstan.md),
the forms courts write names in, and the annotated sample's recall targets of issue 22."""

from pathlib import Path
from typing import Any

import pytest

from torelik.publication.annotated import measure, sample
from torelik.publication.depersonalise import KnownPerson, depersonalise, is_iin

CLAIMANT = KnownPerson("Ахметова", "Айгерим", "Сериковна")


@pytest.mark.parametrize("value", ["871008401427", "760212350620", "800416300257", "061211600012"])
def test_valid_iins_are_iins(value: str) -> None:
    assert is_iin(value)


@pytest.mark.parametrize("value", ["940140000385", "950341000052", "010101600586", "821214240092"])
def test_bins_and_invalid_numbers_are_not_iins(value: str) -> None:
    assert not is_iin(value)


def test_a_russian_decision_loses_every_personal_identifier_and_keeps_the_court_and_company() -> None:
    text = (
        "Суд г. Алматы в составе председательствующего судьи Серікбаева А.Б., рассмотрев дело по иску "
        "Ахметовой Айгерим Сериковны (ИИН 871008401427, 08.10.1987 г.р., адрес: г. Алматы, мкр. Самал-2, "
        "д. 58, кв. 12, тел. +7 701 123 45 67) к ТОО «Алатау Строй» (БИН 940140000385). "
        "Истец Ахметова А.С. пояснила... Иск Ахметовой удовлетворить."
    )
    out, spans = depersonalise(text, language="ru", people=[CLAIMANT], keep=["Серікбаев"])
    for secret in ("Ахметов", "Айгерим", "871008401427", "Самал", "кв. 12", "701 123", "08.10.1987"):
        assert secret not in out
    assert "Серікбаева А.Б." in out
    assert "ТОО «Алатау Строй» (БИН 940140000385)" in out
    assert out.count("ФИО-1") == 3
    assert {s.kind for s in spans} == {"name", "iin", "birth_date", "address", "phone"}


def test_two_people_get_two_numbers_consistently() -> None:
    text = "Свидетель Петров Иван Петрович показал, что Ахметова А.С. заплатила. Петров И.П. подтвердил."
    out, _spans = depersonalise(text, language="ru", people=[CLAIMANT])
    assert out == "Свидетель ФИО-2 показал, что ФИО-1 заплатила. ФИО-2 подтвердил."


def test_kazakh_inflected_surname_and_address() -> None:
    text = (
        "Талапкер Ахметова Айгерим Серікқызы (ЖСН 871008401427, Абай даңғылы, 10-үй, 5-пәтер, "
        "тел. 8 (707) 765-43-21). Ахметоваға 100 000 теңге өндірілсін, Ахметованың талабы қанағаттандырылсын."
    )
    out, _spans = depersonalise(text, language="kk", people=[KnownPerson("Ахметова", "Айгерим", "Серікқызы")])
    assert out == (
        "Талапкер ТАӘ-1 (ЖСН [ЖСН], [мекенжай], тел. [телефон]). ТАӘ-1 100 000 теңге өндірілсін, "
        "ТАӘ-1 талабы қанағаттандырылсын."
    )


def test_plates_accounts_cards_documents_and_email() -> None:
    text = (
        "автомобиль 123 ABC 02, счёт KZ86125KZT5004100100, карта 4400 4301 2345 6789, "
        "удостоверение личности № 045678912, почта a.b@mail.kz"
    )
    out, _spans = depersonalise(text, language="ru")
    assert out == (
        "автомобиль [госномер], счёт [счёт], карта [карта], удостоверение личности № [номер документа], почта [e-mail]"
    )


def test_the_annotated_sample_meets_the_recall_targets() -> None:
    acts = sample()
    assert len(acts) == 50
    assert {a.language for a in acts} == {"ru", "kk"}
    scores = measure(acts)
    for kind in ("iin", "phone", "name"):
        assert scores[kind].recall >= 0.99, kind
    for kind in ("address", "birth_date", "document", "plate", "account", "card", "email"):
        assert scores[kind].recall >= 0.95, kind


def test_the_console_command_prints_the_masked_text_and_the_spans(tmp_path: Path, capsys: Any) -> None:
    import json

    from django.core.management import call_command

    act = tmp_path / "act.txt"
    act.write_text("Истец Ахметова А.С., ИИН 871008401427, тел. +77011234567.\n", encoding="utf-8")
    call_command("depersonalise", str(act), "--lang", "ru")
    assert capsys.readouterr().out == "Истец ФИО-1, ИИН [ИИН], тел. [телефон].\n"
    call_command("depersonalise", str(act), "--lang", "ru", "--spans")
    spans = json.loads(capsys.readouterr().out)
    assert [(s["kind"], s["text"]) for s in spans] == [
        ("name", "Ахметова А.С."),
        ("iin", "871008401427"),
        ("phone", "+77011234567"),
    ]


def test_a_witness_named_without_initials_is_masked_in_russian_by_the_recogniser() -> None:
    text = (
        "Допрошенный в судебном заседании свидетель Петров пояснил, что видел передачу денег. "
        "Свидетель Мария Иванова показания Петрова подтвердила. Судья Серікбаев А.Б. огласил решение."
    )
    out, _spans = depersonalise(text, language="ru", keep=["Серікбаев"])
    for secret in ("Петров", "Мария", "Иванова"):
        assert secret not in out
    assert out.count("ФИО-1") == 2  # Петров and Петрова are one person
    assert "ФИО-2" in out
    assert "Допрошенный" in out
    assert "Судья Серікбаев А.Б." in out


def test_a_witness_named_without_initials_is_masked_in_kazakh_by_the_surname_shape() -> None:
    text = "Сот отырысында куә Тулегенов ақшаны бергенін айтты. Куә Алия Бекова Тулегеновтің сөзін растады."
    out, _spans = depersonalise(text, language="kk")
    for secret in ("Тулеген", "Алия", "Бекова"):
        assert secret not in out
    assert out.count("ТАӘ-1") == 2
    assert "ТАӘ-2" in out
