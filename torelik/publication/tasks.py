"""The publication's background work (ADR 0042): every quarter of an hour the workers look for acts that
became due for publication (announced, or in force, per the policy) and prepare their public copies —
masked and waiting for a reviewer, or closed by law. Idempotent: an act is prepared once."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from torelik.publication.actions import prepare_due_candidates, write_due_exports
from torelik.workers.background import background, periodic


@periodic("publication.prepare_candidates", every=dt.timedelta(minutes=15))
@background(label=_("Prepare judicial acts for publication"), attempts=5, backoff=60.0)
def prepare_candidates() -> dict[str, int]:
    return {"prepared": prepare_due_candidates()}


@periodic("publication.export_months", every=dt.timedelta(hours=1))
@background(label=_("Write the open data of judicial acts by month"), attempts=3, backoff=300.0)
def export_months() -> dict[str, int]:
    """Each ended month's file once, written again within the hour when an act of it changes (a
    withdrawal takes it out of the file that researchers download)."""
    return write_due_exports()
