"""The summons context's background work (ADR 0042): every five minutes, a letter follows each SMS
subpoena that was not delivered within TORELIK_POST_SMS_FALLBACK_MINUTES."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from torelik.summons.actions.letters import follow_undelivered_sms
from torelik.workers.background import background, periodic


@periodic("summons.letter_fallback", every=dt.timedelta(minutes=5))
@background(label=_("Send letters for subpoenas whose SMS was not delivered"), coalesce=True, attempts=3)
def letters_for_undelivered_sms() -> dict[str, int]:
    return {"letters": follow_undelivered_sms()}
