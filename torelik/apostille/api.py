"""JSON API of apostilles: the public register's check (`GET /apostilles/verify?number=&date=`, what the
certificate shows and nothing more) and the payment gateway's notice of a paid fee."""

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from torelik.apostille import actions, queries
from torelik.apostille.errors import ApostilleError, ApostilleErrorCode, ApostilleNotFoundError
from torelik.core.api import ErrorOut
from torelik.filing.actions import SIGNATURE_HEADER

router = Router(tags=["apostille"])


class RegisterEntryOut(Schema):
    number: str
    date: dt.date
    status: str
    country: str = "KZ"
    signed_by: str
    capacity: str
    seal_of: str
    certified_at: str
    certified_by: str
    signature: str
    original_sha256: str
    revoked_at: dt.datetime | None = None


class PaymentNoticeOut(Schema):
    order_id: str
    status: str


@router.get(
    "/apostilles/verify",
    response={200: RegisterEntryOut, 400: ErrorOut, 404: ErrorOut},
    auth=None,
    summary="Check an apostille in the public register by its number and date",
)
def verify(request: HttpRequest, number: str, date: str) -> RegisterEntryOut:
    try:
        on = dt.date.fromisoformat(date)
    except ValueError as error:
        raise ApostilleError(
            ApostilleErrorCode.BAD_DATE,
            _("Give the date as YYYY-MM-DD."),
            fields={"date": [str(_("Give the date as YYYY-MM-DD."))]},
        ) from error
    entry = queries.registered(number.strip().upper(), on)
    if entry is None or entry.number is None or entry.issued_on is None:
        raise ApostilleNotFoundError(
            ApostilleErrorCode.NOT_REGISTERED, _("No apostille with this number and date is in the register.")
        )
    refused = entry.status == "refused"
    return RegisterEntryOut(
        number=entry.number,
        date=entry.issued_on,
        status=entry.status,
        signed_by="" if refused else entry.signed_by,
        capacity="" if refused else entry.capacity,
        seal_of="" if refused else entry.seal_of,
        certified_at="" if refused else entry.certified_at,
        certified_by="" if refused else entry.certified_by,
        signature="" if refused else entry.officer,
        original_sha256="" if refused else entry.original_sha256,
        revoked_at=entry.revoked_at,
    )


@router.post(
    "/apostilles/payments/sandbox/callback",
    response={200: PaymentNoticeOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="Payment notice of the sandbox gateway for an apostille's state fee (HMAC-SHA256 signed body)",
)
def sandbox_callback(request: HttpRequest) -> PaymentNoticeOut:
    found = actions.record_payment_callback(body=request.body, signature=request.headers.get(SIGNATURE_HEADER, ""))
    return PaymentNoticeOut(order_id=found.order_id, status=found.status)
