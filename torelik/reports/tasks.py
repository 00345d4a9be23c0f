"""The statistics' background work (ADR 0042): each night the workers make the signed periodic reports to
the legal statistics committee of the periods that have just ended (a month; a quarter, half-year or year
when one ends with it), for the country, every region and every court with cases counted. Idempotent: a
report is made once per period and place."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from torelik.core import clock
from torelik.reports.actions import make_due_committee_returns
from torelik.workers.background import background, periodic


@periodic("reports.committee_returns", every=dt.timedelta(days=1), at=dt.time(2, 0))
@background(label=_("Make the periodic reports to the legal statistics committee"), attempts=3, backoff=600.0)
def committee_returns() -> dict[str, int]:
    return {"made": make_due_committee_returns(clock.today())}
