"""The case context's background work (ADR 0042): the journal's partitions of the coming years, once a day
(ADR 0113)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from torelik.cases.queries import ensure_journal_partitions
from torelik.workers.background import background, periodic


@periodic("cases.journal_partitions", every=dt.timedelta(days=1), at=dt.time(1, 15))
@background(label=_("Make the case journal's partitions of the coming years"), priority=-10, attempts=3, backoff=60.0)
def keep_journal_partitions() -> dict[str, list[int]]:
    return {"made": ensure_journal_partitions()}
