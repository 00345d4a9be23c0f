"""Paying a filing's state fee: a payment opened with the gateway, the gateway's signed callback
(refused and logged when forged or for a wrong amount, idempotent when repeated), and a fee paid
elsewhere checked by its receipt number."""

import logging
import uuid
from decimal import InvalidOperation

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from torelik.core import clock
from torelik.filing import queries
from torelik.filing.actions import drafts
from torelik.filing.actions.payments import gateway
from torelik.filing.errors import FilingErrorCode, FilingNotFoundError, PaymentCallbackError, refusal
from torelik.filing.models import Filing, Payment, PaymentCallback, PaymentStatus
from torelik.identity.models import User

logger = logging.getLogger("torelik.filing")


@transaction.atomic
def start_payment(*, filing: Filing, actor: User | None, callback_url: str, return_url: str) -> tuple[Payment, str]:
    """Open a payment of the draft's state fee with the gateway; answers it and the payment page's URL."""
    locked = drafts.locked_draft(filing)
    quote = drafts.quote_fee(locked)
    locked.fee_amount, locked.fee_basis = quote.amount, quote.basis
    locked.save(update_fields=["fee_amount", "fee_basis", "updated_at"])
    if quote.payable <= 0 or queries.fee_settled(locked):
        raise refusal(FilingErrorCode.NOTHING_TO_PAY, _("There is no state fee left to pay for this filing."))
    pending = locked.payments.filter(status=PaymentStatus.PENDING, amount=quote.payable).first()
    payment = pending or Payment.objects.create(
        filing=locked, gateway="sandbox", order_id=uuid.uuid4().hex, amount=quote.payable
    )
    url = gateway(payment.gateway).create_payment(
        order_id=payment.order_id, amount=payment.amount, callback_url=callback_url, return_url=return_url
    )
    return payment, url


def _callback_log(gateway_name: str, body: bytes, *, refusal: str = "", payment: Payment | None = None) -> None:
    PaymentCallback.objects.create(
        gateway=gateway_name,
        received_at=clock.now(),
        body=body.decode("utf-8", "replace")[:4000],
        accepted=not refusal,
        refusal=refusal,
        payment=payment,
    )


def record_payment_callback(*, gateway_name: str, body: bytes, signature: str) -> Payment:
    """A gateway's callback: refused (and logged) when its signature or amount is wrong; a repeated
    callback of a paid payment changes nothing."""
    try:
        result = gateway(gateway_name).verify_callback(body=body, signature=signature)
    except (ValueError, KeyError, TypeError, InvalidOperation, LookupError) as error:
        with transaction.atomic():
            _callback_log(gateway_name, body, refusal=FilingErrorCode.PAYMENT_MALFORMED)
        logger.warning("payment callback refused: malformed (%s)", type(error).__name__)
        raise PaymentCallbackError(
            FilingErrorCode.PAYMENT_MALFORMED, _("The payment notice is not in the expected format.")
        ) from error
    if result is None:
        with transaction.atomic():
            _callback_log(gateway_name, body, refusal=FilingErrorCode.PAYMENT_BAD_HMAC)
        logger.warning("payment callback refused: bad signature")
        raise PaymentCallbackError(
            FilingErrorCode.PAYMENT_BAD_HMAC, _("The payment notice is not signed by the payment gateway.")
        )
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(order_id=result.order_id, gateway=gateway_name).first()
        if payment is not None and result.amount == payment.amount:
            _callback_log(gateway_name, body, payment=payment)
            if payment.status == PaymentStatus.PAID:
                return payment  # idempotent: the gateway may repeat its notice
            if result.status == PaymentStatus.PAID:
                payment.status, payment.paid_at = PaymentStatus.PAID, clock.now()
                payment.receipt_number = result.receipt_number or None
            elif result.status == PaymentStatus.DECLINED:
                payment.status = PaymentStatus.DECLINED
            payment.save()
            return payment
    # Refusals are logged in their own transaction (the audit must outlive the refusal).
    with transaction.atomic():
        if payment is None:
            _callback_log(gateway_name, body, refusal=FilingErrorCode.PAYMENT_NOT_FOUND)
        else:
            _callback_log(gateway_name, body, refusal=FilingErrorCode.PAYMENT_WRONG_AMOUNT, payment=payment)
    if payment is None:
        logger.warning("payment callback refused: unknown order %s", result.order_id)
        raise FilingNotFoundError(FilingErrorCode.PAYMENT_NOT_FOUND, _("There is no such payment."))
    logger.warning(
        "payment callback %s refused: amount %s, expected %s", payment.order_id, result.amount, payment.amount
    )
    raise PaymentCallbackError(
        FilingErrorCode.PAYMENT_WRONG_AMOUNT,
        _("The payment notice is for %(paid)s ₸, but %(expected)s ₸ are due."),
        params={"paid": result.amount, "expected": payment.amount},
    )


@transaction.atomic
def verify_receipt(*, filing: Filing, receipt_number: str) -> Payment:
    """A fee paid elsewhere (or whose notice was lost): ask the gateway by receipt number."""
    receipt = receipt_number.strip()
    known = Payment.objects.filter(receipt_number=receipt, status=PaymentStatus.PAID).first()
    if known is not None:
        if known.filing_id != filing.pk:
            raise refusal(FilingErrorCode.RECEIPT_NOT_FOUND, _("This receipt pays another filing."), "receipt_number")
        return known
    status = gateway("sandbox").status_by_receipt(receipt) if receipt else None
    if status is None or status.status != PaymentStatus.PAID:
        raise refusal(
            FilingErrorCode.RECEIPT_NOT_FOUND, _("No paid state fee has this receipt number."), "receipt_number"
        )
    payment = Payment.objects.select_for_update().filter(order_id=status.order_id).first()
    if payment is None or payment.filing_id != filing.pk:
        raise refusal(FilingErrorCode.RECEIPT_NOT_FOUND, _("This receipt pays another filing."), "receipt_number")
    if status.amount != payment.amount:
        raise refusal(FilingErrorCode.PAYMENT_WRONG_AMOUNT, _("The receipt is for another amount."), "receipt_number")
    payment.status, payment.paid_at, payment.receipt_number = PaymentStatus.PAID, clock.now(), receipt
    payment.save()
    return payment
