"""The procedural terms' background work: the daily warnings (ADR 0042), at 07:00 Almaty time, before
the courts open. Idempotent: a warning is given once per term, kind and person."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from torelik.deadlines.actions import issue_term_warnings
from torelik.workers.background import background, periodic


@periodic("deadlines.warn", every=dt.timedelta(days=1), at=dt.time(7, 0))
@background(label=_("Warn of terms due soon or missed"), attempts=5, backoff=60.0)
def warn_deadlines() -> dict[str, int]:
    summary = issue_term_warnings()
    return {"due_soon": summary.due_soon, "missed": summary.missed}
