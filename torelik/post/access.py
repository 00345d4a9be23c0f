"""Who sees which letters: the staff of their court (the case file's rule of which courts a staff
member reads); anyone may follow one letter by its barcode, seeing its status and dates only."""

import uuid

from django.utils.translation import gettext_lazy as _

from torelik.cases.access import staff_court_ids
from torelik.identity.models import User
from torelik.post.errors import LetterNotFoundError, PostErrorCode, PostForbiddenError
from torelik.post.models import Letter


def court_ids_for(user: User | None) -> set[int]:
    courts = staff_court_ids(user)
    if not courts:
        raise PostForbiddenError(PostErrorCode.NOT_STAFF, _("Only court staff see the letters of their court."))
    return courts


def access_letter_for(user: User | None, letter_id: uuid.UUID | str) -> Letter:
    courts = staff_court_ids(user)
    letter = (
        Letter.objects.select_related("court", "case").filter(public_id=letter_id, court_id__in=courts).first()
        if courts
        else None
    )
    if letter is None:
        raise LetterNotFoundError(PostErrorCode.UNKNOWN_BARCODE, _("There is no such letter that you may see."))
    return letter


def letter_to_track(text: str) -> Letter:
    """The letter a person follows by its barcode. A barcode of the wrong shape or with a wrong check
    digit (other than a flagged domestic one) is refused with words; an unknown one is not found."""
    from torelik.post import queries, s10
    from torelik.post.errors import PostError

    item = s10.parse(text)
    if item is None:
        message = _("A barcode has two letters, nine digits and two letters, e.g. RR123456785KZ.")
        raise PostError(PostErrorCode.NOT_A_BARCODE, message, fields={"barcode": [str(message)]})
    # A domestic barcode whose check digit does not conform (some of the post's own ranges) is looked up
    # all the same; only when no letter has it is the check digit named as the likely fault.
    letter = queries.letter_by_barcode(item.barcode) if s10.acceptable(item) else None
    if letter is None and not item.conforming:
        message = _("The check digit of this barcode is wrong: please check the number on the envelope.")
        raise PostError(PostErrorCode.WRONG_CHECK_DIGIT, message, fields={"barcode": [str(message)]})
    if letter is None:
        raise LetterNotFoundError(
            PostErrorCode.UNKNOWN_BARCODE,
            _("There is no court letter with the barcode %(barcode)s."),
            params={"barcode": item.barcode},
        )
    return letter
