"""The payment gateway interface for state fees, and the built-in sandbox gateway.

A gateway creates a payment and answers the address of its hosted payment page; it calls Torelik
back with the result, signed (the sandbox: HMAC-SHA256 over the raw body with a shared secret from
`TORELIK_PAYMENT_SANDBOX_SECRET`); and it tells the status of a payment by its receipt number. The
sandbox keeps its own book (`SandboxCharge`), as a bank would, so that its answers do not come from
Torelik's payment table."""

import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

import httpx
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from torelik.core import clock
from torelik.filing.errors import FilingErrorCode, PaymentUnavailableError
from torelik.filing.models import PaymentStatus, SandboxCharge

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Torelik-Signature"
# Test cards of the sandbox: any number passing the Luhn check pays, except the declined one.
DECLINED_CARD = "4000000000000002"
TEST_CARD = "4242424242424242"


@dataclass(frozen=True)
class CallbackResult:
    order_id: str
    status: str
    amount: Decimal
    receipt_number: str


@dataclass(frozen=True)
class ReceiptStatus:
    receipt_number: str
    order_id: str
    status: str
    amount: Decimal


class PaymentGateway(Protocol):
    name: str

    def create_payment(self, *, order_id: str, amount: Decimal, callback_url: str, return_url: str) -> str:
        """Register the payment with the gateway; answer the URL of its payment page."""
        ...

    def verify_callback(self, *, body: bytes, signature: str) -> CallbackResult | None:
        """The callback's content if its signature is the gateway's, None otherwise."""
        ...

    def status_by_receipt(self, receipt_number: str) -> ReceiptStatus | None: ...


def luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) < 12 or len(digits) != len(number):
        return False
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def sign_body(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class SandboxGateway:
    """A gateway that is part of Torelik: a hosted card page at `/<lang>/office/sandbox-pay/<order>/`."""

    name = "sandbox"

    def __init__(self, secret: str | None = None) -> None:
        self.secret = secret if secret is not None else settings.TORELIK_PAYMENT_SANDBOX_SECRET

    @property
    def enabled(self) -> bool:
        """The sandbox works only with its secret (development and tests); without it, neither its card
        page, nor its charges, nor its receipts count: its test cards must never pay a real fee."""
        return bool(self.secret)

    def create_payment(self, *, order_id: str, amount: Decimal, callback_url: str, return_url: str) -> str:
        SandboxCharge.objects.get_or_create(
            order_id=order_id,
            defaults={
                "amount": amount,
                "callback_url": callback_url,
                "return_url": return_url,
                "created_at": clock.now(),
            },
        )
        return f"sandbox-pay/{order_id}/"

    def verify_callback(self, *, body: bytes, signature: str) -> CallbackResult | None:
        if not self.secret or not hmac.compare_digest(sign_body(body, self.secret), signature or ""):
            return None
        data = json.loads(body)
        return CallbackResult(
            order_id=str(data["order_id"]),
            status=str(data["status"]),
            amount=Decimal(str(data["amount"])),
            receipt_number=str(data.get("receipt_number", "")),
        )

    def status_by_receipt(self, receipt_number: str) -> ReceiptStatus | None:
        if not self.enabled:
            return None
        charge = SandboxCharge.objects.filter(receipt_number=receipt_number).first()
        if charge is None:
            return None
        return ReceiptStatus(
            receipt_number=charge.receipt_number, order_id=charge.order_id, status=charge.status, amount=charge.amount
        )

    # The bank's side: the card form posts here.

    def charge(self, *, order_id: str, card_number: str) -> SandboxCharge | None:
        if not self.enabled:
            return None
        charge = SandboxCharge.objects.filter(order_id=order_id).first()
        if charge is None:
            return None
        if charge.status == PaymentStatus.PAID:
            return charge
        number = card_number.replace(" ", "")
        charge.card_last4 = number[-4:]
        if number == DECLINED_CARD or not luhn_ok(number):
            charge.status = PaymentStatus.DECLINED
        else:
            charge.status = PaymentStatus.PAID
            charge.receipt_number = f"SBX-{clock.now():%Y%m%d}-{secrets.randbelow(10**8):08d}"
        charge.save()
        return charge

    def callback_body(self, charge: SandboxCharge) -> bytes:
        return json.dumps(
            {
                "order_id": charge.order_id,
                "status": charge.status,
                "amount": f"{charge.amount:.2f}",
                "receipt_number": charge.receipt_number,
            },
            sort_keys=True,
        ).encode()

    def deliver_callback(self, charge: SandboxCharge, *, attempts: int = 3, timeout: float = 5.0) -> bool:
        """POST the signed callback to Torelik (retried; the failure stays visible on the charge)."""
        body = self.callback_body(charge)
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign_body(body, self.secret)}
        error = ""
        for _attempt in range(attempts):
            try:
                response = httpx.post(charge.callback_url, content=body, headers=headers, timeout=timeout)
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:300]
                continue
            if response.status_code < 500:
                charge.callback_delivered = response.status_code == 200
                charge.callback_error = "" if charge.callback_delivered else f"HTTP {response.status_code}"
                charge.save(update_fields=["callback_delivered", "callback_error"])
                return charge.callback_delivered
            error = f"HTTP {response.status_code}"
        charge.callback_error = error
        charge.save(update_fields=["callback_error"])
        logger.warning("sandbox callback for %s not delivered: %s", charge.order_id, error)
        return False


def gateway(name: str = "sandbox") -> PaymentGateway:
    if name == "sandbox":
        sandbox = SandboxGateway()
        if not sandbox.enabled:
            raise PaymentUnavailableError(
                FilingErrorCode.PAYMENT_UNAVAILABLE,
                _("No payment gateway is connected here: the state fee cannot be paid or checked online."),
            )
        return sandbox
    raise LookupError(name)
