"""Who may see which filing: the account that made it, the filer (IIN), the client it was made for,
and the PSC operator who filed it. Anyone else is told it does not exist."""

import uuid

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from torelik.filing.errors import FilingErrorCode, FilingNotFoundError
from torelik.filing.models import Filing
from torelik.identity.models import User


def filings_visible_to(user: User | None) -> QuerySet[Filing]:
    if user is None or not user.is_authenticated:
        return Filing.objects.none()
    condition = Q(created_by=user)
    if user.person_id is not None:
        iin = str(user.person.iin) if user.person is not None else ""
        condition |= Q(filer_iin=iin) | Q(on_behalf_of_iin=iin)
    return Filing.objects.filter(condition)


def access_filing_for(user: User | None, public_id: uuid.UUID | str) -> Filing:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        key = None
    filing = (
        filings_visible_to(user)
        .select_related("court", "category", "target_case", "case__judge__person", "case__court")
        .filter(public_id=key)
        .first()
        if key is not None
        else None
    )
    if filing is None:
        raise FilingNotFoundError(FilingErrorCode.NOT_FOUND, _("There is no such filing that you may see."))
    return filing
