"""Who may see which filing, and who may change a draft. Seeing: the account that made it, the filer
(IIN), the client it was made for, and the PSC operator who filed it; anyone else is told it does
not exist. Changing a draft (its form, attachments, fee, signing and sending): its filer only. Also
who acts for whom (`represents`), who is a PSC operator, and which partner system a token is."""

import uuid

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import Channel
from torelik.core import clock
from torelik.core.identifiers import IIN, IdentifierError
from torelik.core.tokens import token_digest
from torelik.courts.models import StaffRole
from torelik.courts.queries import positions_of
from torelik.filing.errors import (
    ApiClientError,
    FilingConflictError,
    FilingErrorCode,
    FilingForbiddenError,
    FilingNotFoundError,
    refusal,
)
from torelik.filing.models import ApiClient, Filing, Representation
from torelik.identity.models import User


def parsed_filer_iin(value: str) -> str:
    """The filer's IIN as given, checked (a refusal naming `filer_iin` otherwise)."""
    try:
        return str(IIN.parse(value))
    except IdentifierError as error:
        raise refusal(FilingErrorCode.INVALID, error.message, "filer_iin") from error


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


def represents(representative_iin: str, *, client_iin: str = "", client_bin: str = "") -> Representation | None:
    """The power of attorney under which `representative_iin` acts for the client today, if any."""
    today = clock.today()
    rows = Representation.objects.filter(representative_iin=representative_iin, revoked_at__isnull=True).exclude(
        valid_from__gt=today
    )
    rows = rows.exclude(valid_until__lt=today)
    if client_iin:
        return rows.filter(client_iin=client_iin).first()
    if client_bin:
        return rows.filter(client_bin=client_bin).first()
    return None


def portal_draft(*, client: ApiClient, kind: str, filer_iin: str, public_id: uuid.UUID | None) -> Filing | None:
    """The filing a partner system's request is about when it sent one with `public_id` already (the
    id the portal chose), else None: the request starts a new draft (`new_draft`).

    So a refused draft is corrected by sending it again, and a request sent twice (a retry, or two at
    the same moment) comes to the one filing. Two requests creating the same id at once: the
    database's unique id decides, and the second finds the first's. Another client's id, or another
    kind or filer under the same id, is a conflict (409)."""
    if public_id is None:
        return None
    existing = Filing.objects.filter(public_id=public_id).first()
    if existing is None:
        return None
    if existing.api_client_id != client.pk:
        raise FilingConflictError(
            FilingErrorCode.ID_TAKEN, _("A filing with this id exists already: choose another id for a new filing.")
        )
    if existing.kind != kind or existing.filer_iin != parsed_filer_iin(filer_iin):
        raise FilingConflictError(
            FilingErrorCode.ID_TAKEN,
            _("Filing %(id)s is of another kind or has another filer: choose another id for a new filing."),
            params={"id": str(public_id)},
        )
    return existing


def api_client_for(token: str) -> ApiClient:
    """The partner system holding `token` (an active credential)."""
    client = ApiClient.objects.filter(token_sha256=token_digest(token), is_active=True).first() if token else None
    if client is None:
        raise ApiClientError(FilingErrorCode.API_TOKEN_INVALID, _("The API credential is not valid."))
    return client
