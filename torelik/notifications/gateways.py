"""The channels' backends behind one interface: an SMS gateway (`console` or `kannel`, chosen by
TORELIK_SMS_BACKEND) and e-mail through Django's e-mail backend. A backend hands one message over
and returns the provider's id, or raises GatewayError saying whether a retry may help."""

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.urls import reverse

from torelik.core import clock
from torelik.notifications.segments import is_gsm7

logger = logging.getLogger(__name__)


class GatewayError(Exception):
    """The gateway did not take the message. `retryable`: a later attempt may succeed (timeout,
    5xx, connection refused); otherwise (bad credentials, a refused number) retrying is pointless."""

    def __init__(self, reason: str, *, retryable: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


@dataclass(frozen=True)
class OutgoingSms:
    message_id: str  # our public id: it comes back in the delivery report
    to: str  # E.164
    text: str


class SmsBackend(Protocol):
    # Whether hand-overs may run in parallel threads (an HTTP gateway: yes; a file: no need).
    concurrent: bool
    # Whether the gateway reports on every message it took (our id in the report's address), so that a
    # message handed over when the sender died, and never reported, is known not to have reached it.
    reports_delivery: bool

    def send(self, sms: OutgoingSms) -> str:
        """Hand the SMS over; the provider's id. Raises GatewayError."""
        ...


class ConsoleSmsBackend:
    """Development: logs the SMS and appends it to TORELIK_SMS_LOG (one line each)."""

    concurrent = False
    reports_delivery = False
    _lock = threading.Lock()

    def __init__(self, path: str | None = None) -> None:
        chosen = path if path is not None else settings.TORELIK_SMS_LOG
        self.path = Path(chosen) if chosen else None  # empty: the log only

    def send(self, sms: OutgoingSms) -> str:
        provider_id = f"console-{sms.message_id}"
        line = f"{clock.now().isoformat()}\t{sms.to}\t{provider_id}\t{sms.text!r}\n"
        logger.info("SMS to %s: %s", sms.to, sms.text)
        if self.path is not None:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as log:
                    log.write(line)
        return provider_id


def delivery_report_url(message_id: str) -> str:
    """Where Kannel reports on `message_id`: our endpoint with the secret token; %d is Kannel's DLR type."""
    base = settings.TORELIK_DLR_URL or (settings.TORELIK_PUBLIC_URL.rstrip("/") + reverse("api-v1:notifications_dlr"))
    query = urlencode({"token": settings.TORELIK_DLR_TOKEN, "id": message_id})
    # %d (type), %F (the SMSC's message id) and %A (its answer) are filled in by Kannel.
    return f"{base}?{query}&type=%d&smsc_id=%F&answer=%A"


class KannelSmsBackend:
    """Kannel's HTTP `sendsms`: UCS-2 for non-GSM text (coding=2 with charset=UTF-8: Kazakh letters
    intact), delivery reports on every state (dlr-mask=31) to our endpoint with our message id."""

    concurrent = True

    def __init__(self, *, transport: httpx.BaseTransport | None = None, url: str | None = None) -> None:
        self.url = url or settings.TORELIK_KANNEL_URL
        # Kannel posts the SMSC's acknowledgement of every message to our endpoint, when it has the token.
        self.reports_delivery = bool(settings.TORELIK_DLR_TOKEN)
        timeout = httpx.Timeout(float(settings.TORELIK_KANNEL_TIMEOUT), connect=2.0)
        # Transport retries only repeat connections that failed before a request went out: safe.
        self.client = httpx.Client(
            transport=transport or httpx.HTTPTransport(retries=2),
            timeout=timeout,
            # One kept-alive connection per sending thread. Now and then (about 1 in 3,000 requests in
            # bench/notifications) a connection breaks while Kannel answers: an ambiguous hand-over that
            # ADR 0025 resolves with the delivery reports instead of a blind resend.
            limits=httpx.Limits(
                max_connections=settings.TORELIK_SEND_CONCURRENCY,
                max_keepalive_connections=settings.TORELIK_SEND_CONCURRENCY,
            ),
        )

    def send(self, sms: OutgoingSms) -> str:
        params = {
            "username": settings.TORELIK_KANNEL_USER,
            "password": settings.TORELIK_KANNEL_PASSWORD,
            "from": settings.TORELIK_SMS_FROM,
            "to": sms.to,
            "text": sms.text,
            "charset": "UTF-8",
            "dlr-mask": "31",
            "dlr-url": delivery_report_url(sms.message_id),
        }
        if not is_gsm7(sms.text):
            params["coding"] = "2"
        try:
            response = self.client.get(self.url, params=params)
        except httpx.TimeoutException as error:
            raise GatewayError(f"Kannel timed out: {error!r}", retryable=True) from error
        except httpx.HTTPError as error:
            raise GatewayError(f"Kannel unreachable: {error!r}", retryable=True) from error
        answer = response.text.strip()[:200]
        if response.status_code in {200, 202}:
            # "0: Accepted for delivery" / "3: Queued for later delivery": Kannel gives no id of its
            # own here; the SMSC's id comes with the delivery report (%F).
            return f"kannel:{sms.message_id}"
        retryable = response.status_code >= 500 or response.status_code in {408, 429}
        raise GatewayError(f"Kannel answered {response.status_code}: {answer}", retryable=retryable)

    def close(self) -> None:
        self.client.close()


_sms_backend: SmsBackend | None = None
_sms_backend_key: tuple[str, str] | None = None


def sms_backend() -> SmsBackend:
    """The configured SMS backend (one per process: Kannel's keeps its connections)."""
    global _sms_backend, _sms_backend_key  # noqa: PLW0603 - a process-wide connection pool
    key = (settings.TORELIK_SMS_BACKEND, settings.TORELIK_KANNEL_URL)
    if _sms_backend is None or _sms_backend_key != key:
        if settings.TORELIK_SMS_BACKEND == "kannel":
            _sms_backend = KannelSmsBackend()
        elif settings.TORELIK_SMS_BACKEND == "console":
            _sms_backend = ConsoleSmsBackend()
        else:
            raise ValueError(f"TORELIK_SMS_BACKEND must be console or kannel, not {settings.TORELIK_SMS_BACKEND!r}")
        _sms_backend_key = key
    return _sms_backend


@dataclass(frozen=True)
class OutgoingEmail:
    message_id: str
    to: str
    subject: str
    text: str


def send_email(email: OutgoingEmail) -> str:
    """Through Django's configured e-mail backend; the Message-ID. Raises GatewayError."""
    msgid = make_msgid(idstring=email.message_id[:8], domain="torelik.kz")
    message = EmailMessage(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": msgid},
        connection=get_connection(fail_silently=False),
    )
    try:
        message.send()
    except (OSError, ValueError) as error:  # smtplib errors are OSErrors
        raise GatewayError(f"e-mail not sent: {error!r}", retryable=True) from error
    return msgid
