"""The archive's background work (ADR 0042): the hourly sweep of contents nothing references (ADR 0037)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from torelik.archive.sweep import sweep_unreferenced
from torelik.workers.background import background, periodic


@periodic("archive.sweep", every=dt.timedelta(hours=1))
@background(label=_("Remove stored files that nothing references"), priority=50, coalesce=True, attempts=3)
def sweep_stored_files() -> dict[str, int]:
    return {"removed": sweep_unreferenced()}
