"""Who holds a role in a court today (`holds_role_in`): the role, the court and the position's dates."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import AnonymousUser

from torelik.cases.actions import PROCEDURE_ROLES, REGISTRAR_ROLES
from torelik.cases.tests.factories import CourtOffice, court_office
from torelik.core import clock
from torelik.courts.models import StaffPosition
from torelik.courts.queries import holds_role_in, positions_of
from torelik.courts.tests.factories import CourtFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with clock.frozen_at(dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC)):
        yield


@pytest.fixture
def office() -> CourtOffice:
    return court_office("0215")


def test_the_clerk_registers_in_their_court_only(office: CourtOffice) -> None:
    assert holds_role_in(office.clerk, office.court, REGISTRAR_ROLES)
    assert not holds_role_in(office.clerk, CourtFactory.create(code="0216"), REGISTRAR_ROLES)
    assert not holds_role_in(office.judge_user, office.court, REGISTRAR_ROLES)
    assert holds_role_in(office.judge_user, office.court, PROCEDURE_ROLES)
    assert not holds_role_in(office.clerk, office.court, frozenset())
    assert not holds_role_in(AnonymousUser(), office.court, REGISTRAR_ROLES)  # type: ignore[arg-type]
    assert not holds_role_in(None, office.court, REGISTRAR_ROLES)


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "holds"),
    [
        (None, None, True),
        (TODAY, TODAY, True),  # its first and last day
        (TODAY - DAY, None, True),
        (None, TODAY + DAY, True),
        (TODAY + DAY, None, False),  # not begun
        (None, TODAY - DAY, False),  # ended
    ],
)
def test_a_position_counts_from_its_first_to_its_last_day(
    office: CourtOffice, starts_on: dt.date | None, ends_on: dt.date | None, holds: bool
) -> None:
    StaffPosition.objects.filter(user=office.clerk).update(starts_on=starts_on, ends_on=ends_on)
    assert holds_role_in(office.clerk, office.court, REGISTRAR_ROLES) is holds
    # The same rule in the ORM, as every other staff check reads it.
    assert positions_of(office.clerk).filter(court=office.court, role__in=REGISTRAR_ROLES).exists() is holds
