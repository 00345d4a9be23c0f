"""The national generator on PostgreSQL: a small set keeps the invariants the actions keep, every key
page and API answers on it, a non-empty target is refused, and an interrupted run resumes."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from torelik.cases.models import Case, CaseEventKind, CaseStatus, Party
from torelik.core.canonical import canonical as core_canonical
from torelik.core.identifiers import BIN, IIN
from torelik.courts.models import Court, StaffPosition, StaffRole
from torelik.deadlines.models import Term
from torelik.distribution.models import Draw
from torelik.distribution.verification import verify_draw
from torelik.hearings.models import Hearing
from torelik.identity.models import User
from torelik.national.chunk import canonical
from torelik.national.errors import GenerationError
from torelik.national.generator import generate, start_run, unfinished_run
from torelik.national.tests.invariants import (
    assert_gap_free_numbers,
    assert_journals_in_order,
    assert_one_draw_per_attempt,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def network() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the generator writes with PostgreSQL's COPY")
    call_command("seed_demo", cases=0, allow_published_password=True, stdout=io.StringIO())


def _generate(cases: int, *, chunk: int = 100, stop_after: int | None = None) -> None:
    (run,) = start_run(cases=cases, years=2, seed=7, chunk_size=chunk, add=False)
    for done, _progress in enumerate(generate(run), start=1):
        if stop_after is not None and done == stop_after:
            return  # interrupted: the chunks written so far are committed, the rest is not


def test_an_interrupted_run_resumes_and_the_set_keeps_the_invariants(network: None) -> None:
    _generate(400, stop_after=2)
    run = unfinished_run()
    assert run is not None
    assert run.cases_done == 200
    assert Case.objects.count() == 200
    for _progress in generate(run):
        pass
    run.refresh_from_db()
    assert run.finished_at is not None
    assert Case.objects.count() == 400

    # Gap-free numbers per court, year and type, as the registry's counters number them.
    assert_gap_free_numbers()

    # One draw per attempt; the judge of every assigned case is the one its draw gave.
    assert_one_draw_per_attempt()
    for case in Case.objects.exclude(judge=None):
        assert Draw.objects.get(case=case, attempt=1).judge_id == case.judge_id
    assert not Draw.objects.filter(case__judge=None).exists()
    # Each protocol re-checks: the snapshot's hash, the beacon value's proof, the seed, the picks, the chances.
    for draw in Draw.objects.select_related("judge")[:60]:
        assert canonical(draw.snapshot) == core_canonical(draw.snapshot)
        assert verify_draw(draw).valid, verify_draw(draw).problems

    # The journal opens with the registration and runs forward in time; the status is the last change.
    for case, events in assert_journals_in_order(Case.objects.all()[:150]).items():
        changes = [e for e in events if e.kind == CaseEventKind.STATUS_CHANGED]
        if changes:
            assert changes[-1].data["to"] == case.status

    # Valid identifiers, terms copied from their case, hearings in the case's court.
    for party in Party.objects.select_related("person", "organisation")[:300]:
        if party.person is not None:
            IIN.parse(str(party.person.iin))
        else:
            BIN.parse(str(party.organisation.bin))  # type: ignore[union-attr]
    for term in Term.objects.select_related("case")[:300]:
        assert term.court_id == term.case.court_id
    for hearing in Hearing.objects.select_related("case", "courtroom")[:200]:
        assert hearing.courtroom.court_id == hearing.case.court_id
    assert Term.objects.filter(status="running").exists()
    assert Hearing.objects.exists()

    # A second set is refused over the first unless told to add.
    with pytest.raises(GenerationError):
        start_run(cases=10, years=1, seed=1, chunk_size=100, add=False)

    # Key pages and APIs answer on the generated set.
    found = Case.objects.exclude(judge=None).filter(status=CaseStatus.SCHEDULED).first() or Case.objects.first()
    assert found is not None
    case = found
    court = Court.objects.get(pk=case.court_id)
    public = Client()
    for path in (
        "/ru/courts/",
        f"/ru/hearings/courts/{court.code}/",
        f"/api/v1/courts/{court.code}",
        f"/ru/distribution/cases/{case.number}/",
    ):
        assert public.get(path).status_code == 200, path
    chairman = User.objects.get(username="demo.admin")
    StaffPosition.objects.create(user=chairman, court=court, role=StaffRole.CHAIRMAN)
    admin = Client()
    admin.force_login(chairman)
    supreme = Client()
    supreme.force_login(User.objects.get(username="demo.analyst.supreme"))
    for client, path in (
        (admin, f"/ru/cases/{case.number}/"),
        (admin, f"/api/v1/cases/{case.number}"),
        (admin, f"/ru/distribution/monitoring/{court.code}/"),
        (supreme, "/ru/deadlines/national/"),
        (supreme, f"/ru/deadlines/courts/{court.code}/"),
        (supreme, f"/ru/deadlines/regions/{court.region.code if court.region else '02'}/"),
    ):
        assert client.get(path).status_code == 200, path
    judge = Client()
    judge.force_login(User.objects.get(username="demo.judge"))
    assert judge.get("/ru/cases/").status_code == 200
    assert judge.get("/ru/deadlines/judge/").status_code == 200
