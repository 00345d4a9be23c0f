"""The hearings' background work (ADR 0042): the hourly sweep of recording uploads nobody finished (ADR 0037)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from torelik.core import clock
from torelik.hearings.recordings import abandoned_uploads
from torelik.workers.background import background, periodic


@periodic("hearings.abandoned-uploads", every=dt.timedelta(hours=1))
@background(label=_("Remove recording uploads nobody finished"), priority=50, coalesce=True, attempts=3)
def sweep_abandoned_uploads() -> dict[str, int]:
    return {"removed": abandoned_uploads(now=clock.now())}
