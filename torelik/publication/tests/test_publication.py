"""The path of issue 22's "done when": a judge's announced decision in an open civil case is prepared by
the workers' task, reviewed and published by the court's clerk, and is found by the public search and
the API with no name, IIN, address or phone of the claimant; a decision in a closed category (divorce,
GPK art. 19(2)) and one of a case heard in camera never reach the public index, even when a bug marks
them published."""

import datetime as dt

import pytest
from django.test import Client

from torelik.acts.models import Act
from torelik.acts.tests.factories import heard_case
from torelik.cases.tests.factories import staff_user
from torelik.core import clock
from torelik.courts.models import CaseCategory, StaffRole
from torelik.hearings.models import Hearing
from torelik.hearings.tests.factories import court_with_staff
from torelik.identity.models import User
from torelik.publication import actions, queries
from torelik.publication.errors import PublicationError, PublicationForbiddenError
from torelik.publication.models import PublicationEvent, PublicationStatus, PublishedAct
from torelik.publication.tasks import export_months, prepare_candidates
from torelik.publication.tests.factories import announced_decision

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 16)
# The test court's judge is Ахметов Нурлан Серикович (kept); the claimant is Ахметова (masked).
SECRETS = ("Ахметова", "Ахметову", "Ахметовой", "Айгерим", "871008401427", "Самал", "701 123", "08.10.1987")


def _moment() -> dt.datetime:
    return dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC)


def _clerk(act: Act) -> User:
    return staff_user(f"reviewer.{act.pk}", act.case.court, StaffRole.CLERK)


def test_the_task_prepares_a_masked_candidate_which_the_clerk_publishes_and_the_search_finds() -> None:
    with clock.frozen_at(_moment()):
        act = announced_decision(on=DAY)
        assert prepare_candidates.call() == {"prepared": 1}
        assert prepare_candidates.call() == {"prepared": 0}  # idempotent
        published = PublishedAct.objects.get(act=act)
        assert published.status == PublicationStatus.CANDIDATE
        for secret in SECRETS:
            assert secret not in published.text
        assert "ТОО «Алатау Строй»" in published.text
        assert "ФИО-1" in published.text
        assert not queries.search(queries.Filters(q="займа"), language="ru").hits  # not yet reviewed
        actions.publish(published=published, actor=_clerk(act))
        results = queries.search(queries.Filters(q="займа"), language="ru")
    assert [h.act.pk for h in results.hits] == [published.pk]
    assert "<mark>займа</mark>" in results.hits[0].snippet
    assert results.facets["year"] == [queries.FacetValue("2026", "2026", 1, False)]
    assert [e.kind for e in PublicationEvent.objects.filter(published_act=published)] == ["prepared", "published"]


def test_phrase_queries_and_filters() -> None:
    with clock.frozen_at(_moment()):
        act = announced_decision(on=DAY)
        published = actions.prepare_candidate(act)
        assert published is not None
        actions.publish(published=published, actor=_clerk(act))
    assert queries.search(queries.Filters(q='"договору займа"'), language="ru").total == 1
    assert queries.search(queries.Filters(q='"займа договору"'), language="ru").total == 0
    assert queries.search(queries.Filters(q="займа", court=act.case.court.code), language="ru").total == 1
    assert queries.search(queries.Filters(q="займа", court="9999"), language="ru").total == 0
    assert queries.search(queries.Filters(year=2025), language="ru").total == 0
    assert queries.search(queries.Filters(kind="civil-decision", year=2026), language="ru").total == 1
    # The names are not searchable: they are not in the public text.
    assert queries.search(queries.Filters(q="Ахметова"), language="ru").total == 0


def test_a_divorce_decision_is_closed_by_law_and_never_reaches_the_index_even_if_marked_published() -> None:
    divorce, _new = CaseCategory.objects.get_or_create(
        code="142040000100000000",
        defaults={
            "name_kk": "Некені бұзу",
            "name_ru": "Расторжение брака",
            "name_en": "Divorce",
            "proceeding_type": "civil",
            "specialisation": "civil",
        },
    )
    with clock.frozen_at(_moment()):
        act = announced_decision(category=divorce, on=DAY)
        published = actions.prepare_candidate(act)
    assert published is not None
    assert published.status == PublicationStatus.CLOSED
    assert "ст. 19" in published.closed_basis
    assert published.text == ""
    with pytest.raises(PublicationError):
        actions.publish(published=published, actor=_clerk(act))
    # A bug writes the status and a text: the query still leaves the act out.
    PublishedAct.objects.filter(pk=published.pk).update(status=PublicationStatus.PUBLISHED, closed_basis="", text="x")
    assert not queries.public_acts().filter(pk=published.pk).exists()


def test_an_act_of_a_case_heard_in_camera_is_closed_and_left_out_of_the_index() -> None:
    with clock.frozen_at(_moment()):
        world = heard_case("0216")
        Hearing.objects.create(
            case=world.case,
            courtroom=world.court.room,
            judge=world.court.judge,
            starts_at=_moment() - dt.timedelta(days=7),
            ends_at=_moment() - dt.timedelta(days=7, hours=-1),
            is_closed=True,
        )
        act = announced_decision(world, on=DAY)
        published = actions.prepare_candidate(act)
    assert published is not None
    assert published.status == PublicationStatus.CLOSED
    assert "закрытое судебное заседание" in published.closed_basis
    PublishedAct.objects.filter(pk=published.pk).update(status=PublicationStatus.PUBLISHED, closed_basis="", text="x")
    assert not queries.public_acts().filter(pk=published.pk).exists()


def test_the_reviewer_adds_and_removes_masks_and_only_the_courts_reviewer_may() -> None:
    with clock.frozen_at(_moment()):
        act = announced_decision(on=DAY)
        published = actions.prepare_candidate(act)
        assert published is not None
        clerk = _clerk(act)
        start = published.source_text.index("ТОО «Алатау Строй»")
        before = published.text.count("ТОО «Алатау Строй»")
        published = actions.add_mask(
            published=published, start=start, end=start + len("ТОО «Алатау Строй»"), kind="name", actor=clerk
        )
        assert published.text.count("ТОО «Алатау Строй»") == before - 1
        assert "ФИО-2" in published.text
        published = actions.remove_mask(published=published, start=start, actor=clerk)
        assert published.text.count("ТОО «Алатау Строй»") == before
        other = staff_user("reviewer.elsewhere", court_with_staff("0217").court, StaffRole.CLERK)
        with pytest.raises(PublicationForbiddenError):
            actions.publish(published=published, actor=other)
    kinds = [e.kind for e in PublicationEvent.objects.filter(published_act=published)]
    assert kinds == ["prepared", "mask_added", "mask_removed"]


def test_withdrawal_takes_the_act_out_of_the_index_and_is_journaled() -> None:
    with clock.frozen_at(_moment()):
        act = announced_decision(on=DAY)
        published = actions.prepare_candidate(act)
        assert published is not None
        clerk = _clerk(act)
        actions.publish(published=published, actor=clerk)
        assert queries.public_acts().count() == 1
        actions.withdraw(published=published, actor=clerk, reason="a name left unmasked")
    assert queries.public_acts().count() == 0
    assert PublicationEvent.objects.filter(published_act=published, kind="withdrawn").get().data == {
        "reason": "a name left unmasked"
    }


def test_the_public_api_lists_and_returns_the_act_without_login() -> None:
    with clock.frozen_at(_moment()):
        act = announced_decision(on=DAY)
        published = actions.prepare_candidate(act)
        assert published is not None
        actions.publish(published=published, actor=_clerk(act))
    client = Client()
    listed = client.get("/api/v1/acts", {"q": "займа", "year": "2026"})
    assert listed.status_code == 200
    body = listed.json()
    assert body["total"] == 1
    assert body["items"][0]["id"] == str(act.public_id)
    one = client.get(f"/api/v1/acts/{act.public_id}/public").json()
    for secret in SECRETS:
        assert secret not in one["text"]
    assert one["court"]["code"] == act.case.court.code
    assert client.get("/api/v1/acts", {"year": "abc"}).status_code == 422
    assert client.get("/api/v1/acts/export").json()["files"] == []  # the month is not over
    with clock.frozen_at(_moment()):
        assert actions.write_due_exports() == {"written": 0, "removed": 0}
    with clock.frozen_at(dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)):
        assert export_months.call() == {"written": 1, "removed": 0}  # the workers' task, as scheduled
        assert actions.write_due_exports() == {"written": 0, "removed": 0}  # once
    manifest = client.get("/api/v1/acts/export").json()
    assert [m["month"] for m in manifest["files"]] == ["2026-11"]
    lines = client.get("/api/v1/acts/export/2026-11.jsonl")
    assert lines.status_code == 200
    import hashlib
    import json

    data = b"".join(lines.streaming_content) if lines.streaming else lines.content  # type: ignore[attr-defined]
    assert hashlib.sha256(data).hexdigest() == manifest["files"][0]["sha256"]
    assert json.loads(data.splitlines()[0])["id"] == str(act.public_id)
    assert client.get("/api/v1/acts/export/2026-13.jsonl").status_code == 404
    published = PublishedAct.objects.get(act=act)
    with clock.frozen_at(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)):
        actions.withdraw(published=published, actor=User.objects.get(username=f"reviewer.{act.pk}"), reason="x")
        assert actions.write_due_exports() == {"written": 0, "removed": 1}  # no public act left in November
    assert client.get("/api/v1/acts/export").json()["files"] == []
    assert client.get("/api/v1/acts/export/2026-11.jsonl").status_code == 404


def test_the_counters_move_when_an_act_is_published() -> None:
    with clock.frozen_at(_moment()):
        act = announced_decision(on=DAY)
        before = queries.counters(DAY)["published"]
        published = actions.prepare_candidate(act)
        assert published is not None
        actions.publish(published=published, actor=_clerk(act))
        after = queries.counters(DAY)["published"]
    assert (before.today, before.total, after.today, after.total) == (0, 0, 1, 1)


def test_a_correction_request_reaches_the_reviewers_queue_with_its_answer_term() -> None:
    with clock.frozen_at(_moment()):
        act = announced_decision(on=DAY)
        published = actions.prepare_candidate(act)
        assert published is not None
        request = actions.request_correction(published=published, message="Фамилия видна", contact="")
    assert request.answer_by == dt.date(2026, 12, 1)
    assert queries.open_corrections([act.case.court]) == [request]
