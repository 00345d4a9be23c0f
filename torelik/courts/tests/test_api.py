"""The court registry API: listing, filters, one court, the classifier, and bad input."""

from typing import Any

import pytest
from django.test import Client

from torelik.courts.models import CourtKind, Specialisation
from torelik.courts.tests.factories import (
    CaseCategoryFactory,
    CourtFactory,
    CourtroomFactory,
    JudgeFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def network() -> dict[str, object]:
    akmola = RegionFactory.create(
        code="02", name_ru="Акмолинская область", name_kk="Ақмола облысы", name_en="Akmola Region"
    )
    almaty = RegionFactory.create(code="18", name_ru="город Алматы", name_kk="Алматы қаласы", name_en="Almaty City")
    supreme = CourtFactory.create(
        code="0001", kind=CourtKind.SUPREME, region=None, name_ru="Верховный Суд", name_kk="Жоғарғы Соты",
        name_en="Supreme Court",
    )  # fmt: skip
    regional = CourtFactory.create(
        code="0200", kind=CourtKind.REGIONAL, region=akmola, parent=supreme, name_ru="Акмолинский областной суд",
        name_kk="Ақмола облыстық соты", name_en="Akmola Regional Court",
    )  # fmt: skip
    district = CourtFactory.create(
        code="0215", kind=CourtKind.DISTRICT, region=akmola, parent=regional,
        name_ru="Бурабайский районный суд Акмолинской области", name_kk="Ақмола облысының Бурабай аудандық соты",
        name_en="Burabay District Court of Akmola Region", phone="+7 71636 7 12 34",
    )  # fmt: skip
    city = CourtFactory.create(
        code="1800", kind=CourtKind.REGIONAL, region=almaty, parent=supreme, name_ru="Алматинский городской суд",
        name_kk="Алматы қалалық соты", name_en="Almaty City Court",
    )  # fmt: skip
    for number in ("1", "2", "3"):
        CourtroomFactory.create(court=district, number=number, has_recording=number != "3")
    judge = JudgeFactory.create(court=district, person__surname="Сейткалиева", person__given_name="Айгуль")
    judge.specialisations.create(specialisation=Specialisation.CIVIL)
    JudgeFactory.create(court=district, is_active=False)  # retired: not listed
    return {"supreme": supreme, "regional": regional, "district": district, "city": city}


def test_list_gives_every_court_with_its_counts(client: Client, network: dict[str, object]) -> None:
    body = client.get("/api/v1/courts").json()
    assert body["count"] == 4
    by_code = {item["code"]: item for item in body["items"]}
    assert by_code["0215"]["judge_count"] == 1
    assert by_code["0215"]["courtroom_count"] == 3
    assert by_code["0215"]["parent"] == "0200"
    assert by_code["0215"]["region"]["code"] == "02"
    assert by_code["0001"]["region"] is None
    assert by_code["0215"]["url"] == "/api/v1/courts/0215"


def test_filters_by_region_and_kind(client: Client, network: dict[str, object]) -> None:
    assert [c["code"] for c in client.get("/api/v1/courts?region=02").json()["items"]] == ["0200", "0215"]
    assert [c["code"] for c in client.get("/api/v1/courts?kind=regional").json()["items"]] == ["0200", "1800"]
    assert client.get("/api/v1/courts?region=02&kind=district").json()["count"] == 1


@pytest.mark.parametrize("query", ["бурабай", "БУРАБАЙ", "бурабай аудандық", "burabay", "0215", "Бурабайский районный"])
def test_search_ignores_case_in_every_alphabet(client: Client, network: dict[str, object], query: str) -> None:
    codes = [c["code"] for c in client.get("/api/v1/courts", {"q": query}).json()["items"]]
    assert codes == ["0215"]


def test_pagination_by_limit_and_offset(client: Client, network: dict[str, object]) -> None:
    first = client.get("/api/v1/courts?limit=2").json()
    second = client.get("/api/v1/courts?limit=2&offset=2").json()
    assert first["count"] == second["count"] == 4
    assert [c["code"] for c in first["items"] + second["items"]] == ["0001", "0200", "0215", "1800"]


def test_names_follow_the_requested_language(client: Client, network: dict[str, object]) -> None:
    ru = client.get("/api/v1/courts/0215", headers={"accept-language": "ru"}).json()
    kk = client.get("/api/v1/courts/0215", headers={"accept-language": "kk"}).json()
    assert ru["name"] == "Бурабайский районный суд Акмолинской области"
    assert kk["name"] == "Ақмола облысының Бурабай аудандық соты"
    assert ru["name_en"] == kk["name_en"] == "Burabay District Court of Akmola Region"


def test_one_court_lists_its_courtrooms_and_active_judges(client: Client, network: dict[str, object]) -> None:
    response = client.get("/api/v1/courts/0215")
    assert response.status_code == 200
    court = response.json()
    assert court["phone"] == "+7 71636 7 12 34"
    assert [(r["number"], r["has_recording"]) for r in court["courtrooms"]] == [("1", True), ("2", True), ("3", False)]
    assert [j["name"] for j in court["judges"]] == ["Сейткалиева Айгуль Серикович"]
    assert court["judges"][0]["specialisations"] == ["civil"]


def test_unknown_court_is_a_json_404(client: Client, network: dict[str, object]) -> None:
    response = client.get("/api/v1/courts/9999", headers={"accept-language": "en"})
    assert response.status_code == 404
    assert response.json() == {
        "code": "court_not_found",
        "message": "There is no court with the code 9999.",
        "fields": {},
    }


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/courts/12ab", "code"),
        ("/api/v1/courts?kind=tribunal", "kind"),
        ("/api/v1/courts?region=abc", "region"),
        ("/api/v1/courts?limit=0", "limit"),
        ("/api/v1/courts?limit=100000", "limit"),
        ("/api/v1/courts?offset=-1", "offset"),
        ("/api/v1/courts?limit=many", "limit"),
        ("/api/v1/case-categories?proceeding_type=maritime", "proceeding_type"),
    ],
)
def test_malformed_parameters_are_422_naming_the_field(
    client: Client, network: dict[str, object], url: str, field: str
) -> None:
    response = client.get(url)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert list(body["fields"]) == [field]
    assert body["fields"][field][0]


def test_field_errors_speak_the_users_language(client: Client, network: dict[str, object]) -> None:
    ru = client.get("/api/v1/courts?kind=tribunal", headers={"accept-language": "ru"}).json()
    en = client.get("/api/v1/courts?kind=tribunal", headers={"accept-language": "en"}).json()
    assert en["fields"]["kind"] == ["Choose one of: 'supreme', 'cassation', 'regional', 'specialised' or 'district'."]
    assert ru["message"] != en["message"]
    assert ru["fields"]["kind"][0].startswith("Выберите")


def test_case_categories_are_filtered_by_proceeding_type(client: Client) -> None:
    labour = CaseCategoryFactory.create(code="142030000100000000", name_en="Labour disputes")
    CaseCategoryFactory.create(code="142030000100100000", parent=labour, name_en="Reinstatement at work")
    CaseCategoryFactory.create(code="200000000000000000", proceeding_type="criminal", specialisation="criminal")
    body = client.get("/api/v1/case-categories?proceeding_type=civil", headers={"accept-language": "en"}).json()
    assert body["count"] == 2
    assert body["items"][1] == {
        "code": "142030000100100000",
        "parent": "142030000100000000",
        "name": "Reinstatement at work",
        "name_kk": "Еңбек даулары",
        "name_ru": "Трудовые споры",
        "name_en": "Reinstatement at work",
        "proceeding_type": "civil",
        "specialisation": "civil",
        "complexity": "1.00",
    }


def test_openapi_document_describes_the_registry(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert {"/api/v1/courts", "/api/v1/courts/{code}", "/api/v1/case-categories"} <= set(spec["paths"])


def test_a_repeated_read_with_its_etag_is_304_without_touching_the_database(
    client: Client, network: dict[str, object], django_assert_num_queries: Any, settings: Any
) -> None:
    settings.TORELIK_REGISTRY_CHECK_SECONDS = 60  # the version read at the first request holds
    for url in ("/api/v1/courts", "/api/v1/courts/0215"):
        first = client.get(url)
        assert first.status_code == 200
        etag = first["ETag"]
        with django_assert_num_queries(0):
            again = client.get(url, headers={"if-none-match": etag})
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == etag


def test_public_registry_reads_are_cacheable_by_a_proxy(client: Client, network: dict[str, object]) -> None:
    response = client.get("/api/v1/courts?region=02")
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Last-Modified"].endswith(" GMT")
    assert "Accept-Language" in response["Vary"]
    assert client.get("/api/v1/courts", headers={"if-none-match": '"something-else"'}).status_code == 200


def test_lang_parameter_chooses_the_language_over_accept_language(client: Client, network: dict[str, object]) -> None:
    listed = client.get("/api/v1/courts?lang=kk&region=02", headers={"accept-language": "ru"}).json()
    assert [c["name"] for c in listed["items"]] == ["Ақмола облыстық соты", "Ақмола облысының Бурабай аудандық соты"]
    one = client.get("/api/v1/courts/0215?lang=en", headers={"accept-language": "kk"}).json()
    assert one["name"] == "Burabay District Court of Akmola Region"
    assert client.get("/api/v1/courts?lang=de").status_code == 422


def test_a_renamed_court_answers_a_new_etag(client: Client, network: dict[str, object], settings: Any) -> None:
    first = client.get("/api/v1/courts/0215", headers={"accept-language": "en"})
    court = network["district"]
    court.name_en = "Burabay District Court"  # type: ignore[attr-defined]
    court.save()  # type: ignore[attr-defined]
    again = client.get("/api/v1/courts/0215", headers={"accept-language": "en", "if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert again.json()["name"] == "Burabay District Court"
    assert again["ETag"] != first["ETag"]


def test_the_brief_list_gives_what_a_list_needs_in_the_requested_language(
    client: Client, network: dict[str, object]
) -> None:
    full = client.get("/api/v1/courts?lang=en")
    brief = client.get("/api/v1/courts?lang=en&shape=brief")
    assert brief.status_code == 200
    body = brief.json()
    assert body["count"] == full.json()["count"]
    row = {item["code"]: item for item in body["items"]}["0215"]
    expected = {item["code"]: item for item in full.json()["items"]}["0215"]
    assert set(row) == {"code", "kind", "name", "region", "parent", "url"}
    assert row["name"] == expected["name"]
    assert row["region"] == expected["region"]["code"]
    assert row["parent"] == expected["parent"]
    assert row["url"] == "/api/v1/courts/0215"
    assert len(brief.content) < len(full.content) / 2
    assert brief["ETag"] != full["ETag"]
    ru = client.get("/api/v1/courts?shape=brief", headers={"Accept-Language": "ru"}).json()
    assert {item["code"]: item for item in ru["items"]}["0215"]["name"] == expected["name_ru"]


def test_the_brief_list_filters_and_pages_as_the_full_one(client: Client, network: dict[str, object]) -> None:
    for query in ("region=02", "kind=regional", "q=бурабай", "limit=1&offset=1"):
        full = client.get(f"/api/v1/courts?{query}").json()
        brief = client.get(f"/api/v1/courts?{query}&shape=brief").json()
        assert [item["code"] for item in brief["items"]] == [item["code"] for item in full["items"]], query
        assert brief["count"] == full["count"]
    assert client.get("/api/v1/courts?shape=tiny").status_code == 422
