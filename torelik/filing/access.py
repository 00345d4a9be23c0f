"""Who may see which filing, and who may change a draft. Seeing: the account that made it, the filer
(IIN), the client it was made for, and the PSC operator who filed it; anyone else is told it does
not exist. Changing a draft (its form, attachments, fee, signing and sending): its filer only."""

import uuid

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import Channel
from torelik.courts.models import StaffRole
from torelik.courts.queries import positions_of
from torelik.filing.errors import FilingErrorCode, FilingForbiddenError, FilingNotFoundError
from torelik.filing.models import Filing
from torelik.identity.models import User


def iin_of(user: User | None) -> str:
    """The IIN of the person behind an account ("" for staff without one, or nobody logged in)."""
    if user is None or not user.is_authenticated or user.person_id is None or user.person is None:
        return ""
    return str(user.person.iin)


def is_psc_operator(user: User | None) -> bool:
    """Whether `user` is a Public Service Centre operator today."""
    return positions_of(user).filter(role=StaffRole.PSC_OPERATOR).exists()


def filings_visible_to(user: User | None) -> QuerySet[Filing]:
    if user is None or not user.is_authenticated:
        return Filing.objects.none()
    condition = Q(created_by=user)
    iin = iin_of(user)
    if iin:
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


def may_change(user: User | None, filing: Filing) -> bool:
    """Whether `user` is the one who changes this filing while it is a draft:

    - a Judicial Office draft: the filer, logged in with their own IIN (a lawyer filing for a client is
      the filer; the client, like anyone else who sees it, only sees it);
    - a Public Service Centre draft: the operator who started it, while they are an operator (the
      citizen confirms it with the code, they do not edit it);
    - a draft the e-government portal sent: nobody here; the portal changes it through the API.
    """
    if user is None or not user.is_authenticated:
        return False
    if filing.api_client_id is not None:
        return False
    if filing.channel == Channel.PSC:
        return filing.created_by_id == user.pk and is_psc_operator(user)
    iin = iin_of(user)
    return bool(iin) and iin == filing.filer_iin


def access_draft_to_change(user: User | None, public_id: uuid.UUID | str) -> Filing:
    """The filing, for its filer to change; someone who may only see it is refused (403), anyone
    else is told it does not exist (404)."""
    filing = access_filing_for(user, public_id)
    if not may_change(user, filing):
        raise FilingForbiddenError(
            FilingErrorCode.NOT_THE_FILER, _("Only the filer may change or send this filing; you may see it.")
        )
    return filing
