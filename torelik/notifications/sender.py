"""The sender: takes due messages from the outbox, hands them to their channel's gateway (SMS in
parallel), records each answer as it comes, retries with backoff, fails and falls back. Run by the
workers' `send_messages` task (ADR 0042) and by `torelik send-messages [--loop]`.

It claims only what it is about to hand over: as many messages as there are free hand-over slots, each
marked SENDING (the hand-over recorded *before* the call) in a short transaction, and the answer of
each recorded (SENT with the gateway's id, or a retry) within moments of its coming back (ADR 0043). A
sender killed mid-way leaves at most the messages in its hands SENDING, and the next pass settles them
by the gateway's delivery reports (`actions.resolve_interrupted`)."""

import contextlib
import datetime as dt
import logging
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import partial

from django.conf import settings

from torelik.core import observability
from torelik.notifications import actions, gateways
from torelik.notifications.actions import Outcome
from torelik.notifications.database_locks import retry_when_locked
from torelik.notifications.models import Channel, Message

logger = logging.getLogger(__name__)

SERIAL_BATCH = 50  # messages claimed at once by a sender that hands over one at a time (console, e-mail)
RECORD_EVERY = 0.01  # seconds: the answers that came back meanwhile are recorded together


@dataclass
class SendReport:
    handed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    expired: int = 0
    interrupted: int = 0  # found SENDING after a stop: queued again (never reported by the gateway) or failed
    more: bool = False  # stopped by `limit` or `seconds` while messages were still due


def _hand_over(message: Message, backend: gateways.SmsBackend) -> Outcome:
    try:
        if message.channel == Channel.SMS:
            provider_id = backend.send(
                gateways.OutgoingSms(message_id=str(message.public_id), to=message.recipient_phone, text=message.text)
            )
        else:
            provider_id = gateways.send_email(
                gateways.OutgoingEmail(
                    message_id=str(message.public_id),
                    to=message.recipient_email,
                    subject=message.subject,
                    text=message.text,
                )
            )
    except gateways.GatewayError as error:
        logger.warning("message %s not handed over (attempt %s): %s", message.public_id, message.attempts, error.reason)
        observability.MESSAGES_HANDED.labels(
            channel=message.channel, outcome="retry" if error.retryable else "failed"
        ).inc()
        return Outcome(message_id=message.pk, ok=False, error=error.reason, retryable=error.retryable)
    except Exception as error:  # a bug in a backend must not leave the message unrecorded
        logger.exception("message %s: the gateway failed unexpectedly", message.public_id)
        observability.MESSAGES_HANDED.labels(channel=message.channel, outcome="retry").inc()
        return Outcome(message_id=message.pk, ok=False, error=repr(error)[:2000], retryable=True)
    observability.MESSAGES_HANDED.labels(channel=message.channel, outcome="sent").inc()
    return Outcome(message_id=message.pk, ok=True, provider_id=provider_id)


def send_due_messages(
    *,
    limit: int | None = None,
    backend: gateways.SmsBackend | None = None,
    concurrency: int | None = None,
    seconds: float | None = None,
) -> SendReport:
    """Send the messages due now: at most `limit`, and claiming none after `seconds` (the workers' task
    sends in slices, so that a judge's draw never waits behind ten thousand SMS)."""
    report = SendReport()
    backend = backend or gateways.sms_backend()
    lease = dt.timedelta(seconds=settings.TORELIK_MESSAGE_SEND_LEASE)
    report.expired = retry_when_locked(actions.expire_overdue)
    again, failed = retry_when_locked(
        lambda: actions.resolve_interrupted(older_than=lease, reports_delivery=backend.reports_delivery)
    )
    report.interrupted = again + failed
    deadline = None if seconds is None else time.monotonic() + seconds
    workers = concurrency or settings.TORELIK_SEND_CONCURRENCY
    pipeline = _Pipeline(backend, report, workers if backend.concurrent and workers > 1 else 1)
    try:
        while True:
            out_of_time = deadline is not None and time.monotonic() >= deadline
            stopped = out_of_time or (limit is not None and report.handed >= limit)
            room = pipeline.room() if limit is None else min(pipeline.room(), limit - report.handed)
            if not stopped and room > 0:
                claimed = retry_when_locked(partial(actions.claim_due, limit=room))
                pipeline.start(claimed)
                if not claimed and not pipeline.busy():
                    break
            elif stopped and not pipeline.busy():
                report.more = True
                break
            pipeline.record_finished()
    finally:
        pipeline.close()
    return report


class _Pipeline:
    """The hand-overs under way: in a thread pool for a concurrent gateway (Kannel), one at a time
    otherwise; `record_finished` records the answers that came back since it last ran."""

    def __init__(self, backend: gateways.SmsBackend, report: SendReport, slots: int) -> None:
        self.backend = backend
        self.report = report
        self.slots = slots
        self.pool = ThreadPoolExecutor(max_workers=slots, thread_name_prefix="torelik-sms") if slots > 1 else None
        self.running: set[Future[Outcome]] = set()
        self.finished: list[Outcome] = []
        self.last_record = 0.0

    def room(self) -> int:
        return self.slots - len(self.running) if self.pool is not None else SERIAL_BATCH

    def busy(self) -> bool:
        return bool(self.running or self.finished)

    def start(self, messages: list[Message]) -> None:
        self.report.handed += len(messages)
        for message in messages:
            # E-mail goes through one SMTP connection at a time, in this thread.
            if self.pool is not None and message.channel == Channel.SMS:
                self.running.add(self.pool.submit(_hand_over, message, self.backend))
            else:
                self.finished.append(_hand_over(message, self.backend))

    def record_finished(self) -> None:
        if self.running:
            pause = RECORD_EVERY - (time.monotonic() - self.last_record)
            if pause > 0:
                time.sleep(pause)
            done, _ = wait(self.running, timeout=5.0, return_when=FIRST_COMPLETED)
            self.running -= done
            self.finished.extend(future.result() for future in done)
        if self.finished:
            outcomes, self.finished = self.finished, []
            self._record(outcomes)
        self.last_record = time.monotonic()

    def _record(self, outcomes: list[Outcome]) -> None:
        failed = retry_when_locked(partial(actions.record_outcomes, outcomes))
        self.report.sent += sum(1 for o in outcomes if o.ok)
        self.report.failed += len(failed)
        self.report.retried += sum(1 for o in outcomes if not o.ok) - len(failed)

    def close(self) -> None:
        """Whatever went wrong, the answers in hand are recorded (else they wait out the lease)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.finished.extend(future.result() for future in self.running)
            self.running = set()
        if self.finished:
            with contextlib.suppress(Exception):
                self._record(self.finished)
            self.finished = []
