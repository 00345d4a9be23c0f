"""The publication's background work (ADR 0042): every quarter of an hour the workers look for acts that
became due for publication (announced, or in force, per the policy) and prepare their public copies —
masked and waiting for a reviewer, or closed by law. Idempotent: an act is prepared once."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from torelik.publication.actions import prepare_due_candidates
from torelik.workers.background import background, periodic


@periodic("publication.prepare_candidates", every=dt.timedelta(minutes=15))
@background(label=_("Prepare judicial acts for publication"), attempts=5, backoff=60.0)
def prepare_candidates() -> dict[str, int]:
    return {"prepared": prepare_due_candidates()}
