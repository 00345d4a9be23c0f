"""Issue 28's "Done when": a personnel officer records a judge's leave next week (on the personnel
page, with its order) and the draw does not pick that judge next week; an absence entered after the
fact is flagged, leaves the draws already made as they were, and shows on the monitoring page."""

import datetime as dt

import pytest
from django.test import Client

from torelik.cases.tests.factories import pdf_bytes, staff_user
from torelik.core import clock
from torelik.courts.models import AbsenceKind, JudgeAbsence, StaffRole
from torelik.courts.tests.factories import next_iin
from torelik.distribution.models import Draw, DrawStatus, ExclusionReason
from torelik.distribution.tests.conftest import FILED, Court5, Register, latest_draw, other_parties
from torelik.distribution.verification import verify_draw
from torelik.personnel.models import Absence

pytestmark = pytest.mark.django_db

# FILED is Tuesday 3 March 2026, 15:00 in Almaty: "next week" is Monday 9 to Friday 13 March.
NEXT_MONDAY = dt.date(2026, 3, 9)
NEXT_FRIDAY = dt.date(2026, 3, 13)


def _officer_client(court5: Court5) -> Client:
    officer = staff_user("kadry.0215", court5.office.court, StaffRole.PERSONNEL_OFFICER)
    client = Client()
    client.force_login(officer)
    return client


def test_a_leave_recorded_by_the_personnel_officer_keeps_the_judge_out_of_next_weeks_draws(
    court5: Court5, register: Register
) -> None:
    on_leave = court5.judges[0]
    client = _officer_client(court5)
    with clock.frozen_at(FILED):
        page = client.post(
            f"/ru/personnel/people/{on_leave.person.iin}/absence/",
            {
                "kind": "leave",
                "starts_on": NEXT_MONDAY.isoformat(),
                "ends_on": NEXT_FRIDAY.isoformat(),
                "reason": "Приказ № 41-л",
                "document": _upload(),
            },
        )
    assert page.status_code == 302
    absence = JudgeAbsence.objects.get(judge=on_leave)  # the one row the distribution reads
    assert (absence.starts_on, absence.ends_on, absence.recorded_at) == (NEXT_MONDAY, NEXT_FRIDAY, FILED)
    record = Absence.objects.get(judge_absence=absence)
    assert record.document is not None
    assert not record.backdated

    next_week = [
        dt.datetime.combine(NEXT_MONDAY + dt.timedelta(days=day), dt.time(5, 0), tzinfo=dt.UTC) + dt.timedelta(hours=h)
        for day in range(5)
        for h in (0, 3)
    ]
    cases = [register(at=moment, parties=other_parties(next_iin())) for moment in next_week]
    for case in cases:
        draw = latest_draw(case)
        assert draw.status == DrawStatus.DRAWN
        assert case.judge_id != on_leave.pk
        rows = {row["judge"]: row for row in draw.snapshot["judges"]}
        assert rows[str(on_leave.public_id)]["exclusion"] == ExclusionReason.ABSENCE
    # The week after, the judge is back in the pool.
    back = register(at=dt.datetime(2026, 3, 16, 5, 0, tzinfo=dt.UTC), parties=other_parties(next_iin()))
    rows = {row["judge"]: row for row in latest_draw(back).snapshot["judges"]}
    assert rows[str(on_leave.public_id)]["exclusion"] is None


def _upload() -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("prikaz.pdf", pdf_bytes("Приказ об отпуске"), content_type="application/pdf")


def test_a_backdated_sick_leave_is_flagged_and_the_draws_already_made_stand(court5: Court5, register: Register) -> None:
    sick = court5.judges[1]
    made = [register(at=FILED + dt.timedelta(hours=h), parties=other_parties(next_iin())) for h in range(6)]
    before = {d.pk: (d.snapshot_sha256, list(d.picks), d.seed) for d in Draw.objects.all()}
    eligible_before = [
        d
        for d in before
        if {r["judge"]: r for r in Draw.objects.get(pk=d).snapshot["judges"]}[str(sick.public_id)]["exclusion"] is None
    ]
    assert len(eligible_before) == len(made)

    client = _officer_client(court5)
    recorded = FILED + dt.timedelta(days=2)  # Thursday: sick since Monday
    with clock.frozen_at(recorded):
        page = client.post(
            f"/ru/personnel/people/{sick.person.iin}/absence/",
            {"kind": "sick", "starts_on": "2026-03-02", "ends_on": "2026-03-06", "reason": "Больничный лист"},
        )
    assert page.status_code == 302
    record = Absence.objects.get(person=sick.person)
    assert record.backdated
    after = {d.pk: (d.snapshot_sha256, list(d.picks), d.seed) for d in Draw.objects.all()}
    assert after == before
    assert all(verify_draw(draw).valid for draw in Draw.objects.all())

    # On the person's card and on the court chairman's monitoring page.
    with clock.frozen_at(recorded):
        card = client.get(f"/ru/personnel/people/{sick.person.iin}/")
        chairman = Client()
        chairman.force_login(court5.office.judge_user)
        monitoring = chairman.get(f"/ru/distribution/monitoring/{court5.office.court.code}/")
    assert "внесено задним числом" in card.content.decode()
    html = monitoring.content.decode()
    assert monitoring.status_code == 200
    assert 'id="backdated-absences"' in html
    assert sick.person.full_name in html
    # Six draws were made on 3 March, within the absence and before it was recorded, with the judge eligible.
    assert 'data-draws-before="6"' in html


def test_a_draw_counts_for_a_judge_only_when_its_snapshot_had_them_in_the_pool(
    court5: Court5, register: Register
) -> None:
    """The count on the monitoring page is of draws whose protocol listed the judge with no exclusion:
    a draw made while the judge was on a leave recorded in time does not count for them."""
    from torelik.distribution.queries import with_judge_in_pool
    from torelik.personnel.actions import record_absence

    on_leave, present = court5.judges[0], court5.judges[1]
    with clock.frozen_at(FILED):
        record_absence(
            person=on_leave.person, kind=AbsenceKind.LEAVE, starts_on=NEXT_MONDAY, ends_on=NEXT_FRIDAY, actor=None
        )
    for hour in (5, 8):
        register(at=dt.datetime(2026, 3, 10, hour, 0, tzinfo=dt.UTC), parties=other_parties(next_iin()))

    assert Draw.objects.count() == 2
    assert with_judge_in_pool(Draw.objects.all(), on_leave).count() == 0
    assert with_judge_in_pool(Draw.objects.all(), present).count() == 2
