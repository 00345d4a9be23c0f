"""What the operator's tracking codes mean for the court: each code's status of the letter, and the
reasons of a letter that did not reach its addressee in words for the office."""

from django.utils.translation import gettext_lazy as _

from torelik.post.models import LetterStatus

CODES = {
    "ACCEPTED": LetterStatus.ACCEPTED,
    "PRINTED": LetterStatus.ACCEPTED,
    "IN_TRANSIT": LetterStatus.IN_TRANSIT,
    "ARRIVED": LetterStatus.ARRIVED,
    "DELIVERY_ATTEMPT": LetterStatus.ARRIVED,
    "DELIVERED": LetterStatus.DELIVERED,
    "REFUSED": LetterStatus.REFUSED,
    "RETURNED": LetterStatus.RETURNED,
    "UNDELIVERABLE": LetterStatus.UNDELIVERABLE,
}
# The order of a letter's way: a late report of an earlier step never takes a letter back.
RANK = {
    LetterStatus.ADDRESS_INCOMPLETE: 0,
    LetterStatus.PREPARED: 1,
    LetterStatus.BATCHED: 2,
    LetterStatus.REJECTED: 3,
    LetterStatus.ACCEPTED: 4,
    LetterStatus.IN_TRANSIT: 5,
    LetterStatus.ARRIVED: 6,
    LetterStatus.DELIVERED: 9,
    LetterStatus.REFUSED: 9,
    LetterStatus.RETURNED: 9,
    LetterStatus.UNDELIVERABLE: 9,
    LetterStatus.CANCELLED: 10,  # never handed over: nothing the post says moves it
}
REASONS = {
    "refused_by_addressee": _("the addressee refused to take the letter"),
    "storage_expired": _("nobody collected the letter within its storage term"),
    "addressee_unknown": _("the addressee is not known at this address"),
    "no_such_address": _("there is no such address"),
    "addressee_absent": _("the addressee was not at home; a notice was left"),
    "postal_index_unknown": _("the operator does not know the postal index"),
    "file_missing": _("the letter's file was missing from the batch"),
}


def reason_text(code: str) -> str:
    """The reason in the page's language; a code the operator added later is shown as a generic phrase."""
    if not code:
        return ""
    known = REASONS.get(code)
    return str(known) if known is not None else str(_("reason given by the operator"))
