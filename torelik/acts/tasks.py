"""The acts' background work: the daily look for acts whose appeal term ran out with no appeal
(ADR 0042), at 00:30 Almaty time, so that an act is in force on its first day. Idempotent."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from torelik.acts.actions import record_entries_into_force
from torelik.workers.background import background, periodic


@periodic("acts.entry_into_force", every=dt.timedelta(days=1), at=dt.time(0, 30))
@background(label=_("Record the judicial acts that entered into force"), attempts=5, backoff=60.0)
def enter_acts_into_force() -> dict[str, int]:
    return {"entered_into_force": record_entries_into_force()}
