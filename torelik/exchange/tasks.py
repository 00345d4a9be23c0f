"""The exchange's background work (ADR 0042): an outgoing letter handed to its state body with retries
and backoff; the last failure leaves it "not delivered" on the office's register, to be sent again."""

from django.utils.translation import gettext_lazy as _

from torelik.exchange import letters
from torelik.exchange.models import Letter
from torelik.workers.background import background

LETTER_ATTEMPTS = 6


@background(
    label=_("Hand a letter to a state body"), priority=3, attempts=LETTER_ATTEMPTS, backoff=30.0, max_backoff=3600.0
)
def send_letter(letter_id: int) -> dict[str, str]:
    letter = Letter.objects.select_related("counterpart").get(pk=letter_id)
    try:
        letter = letters.deliver_letter(letter=letter)
    except letters.DeliveryError:
        if letter.attempts + 1 >= LETTER_ATTEMPTS:
            letters.give_up(letter_id=letter_id)
            return {"status": "failed"}
        raise
    return {"status": letter.status}
