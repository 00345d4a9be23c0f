"""What staff do with a dead letter (ADR 0092): send it again (its tries start afresh, the same event id,
so a partner that had it after all acknowledges it once) or annul it (it will never be sent; its case's
later events go on). Either needs a reason, journaled with who decided and the error it had."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from torelik.core import clock
from torelik.exchange.errors import ExchangeErrorCode, ExchangeInvalidError
from torelik.exchange.models import DeadLetterDecision, DecisionKind, DeliveryStatus, OutboundEvent
from torelik.identity.models import User

REASON_LENGTH = 1000


def _locked_dead(event: OutboundEvent, reason: str) -> tuple[OutboundEvent, str]:
    reason = (reason or "").strip()
    if not reason:
        raise ExchangeInvalidError(
            ExchangeErrorCode.REASON_REQUIRED,
            _("Give the reason for your decision."),
            fields={"reason": [str(_("Give the reason for your decision."))]},
        )
    locked = OutboundEvent.objects.select_for_update().get(pk=event.pk)
    if locked.status != DeliveryStatus.DEAD:
        raise ExchangeInvalidError(
            ExchangeErrorCode.NOT_DEAD,
            _("This event is not a dead letter any more (it is %(status)s)."),
            params={"status": locked.get_status_display()},
        )
    return locked, reason[:REASON_LENGTH]


@transaction.atomic
def retry_dead_letter(*, event: OutboundEvent, actor: User, reason: str) -> OutboundEvent:
    locked, reason = _locked_dead(event, reason)
    now = clock.now()
    DeadLetterDecision.objects.create(
        event=locked, kind=DecisionKind.RETRIED, reason=reason, actor=actor, decided_at=now, error=locked.last_error
    )
    locked.status, locked.attempts, locked.next_attempt_at = DeliveryStatus.PENDING, 0, now
    locked.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    from torelik.exchange import tasks

    tasks.deliver.enqueue(partner=locked.partner)
    return locked


@transaction.atomic
def annul_dead_letter(*, event: OutboundEvent, actor: User, reason: str) -> OutboundEvent:
    locked, reason = _locked_dead(event, reason)
    DeadLetterDecision.objects.create(
        event=locked,
        kind=DecisionKind.ANNULLED,
        reason=reason,
        actor=actor,
        decided_at=clock.now(),
        error=locked.last_error,
    )
    locked.status = DeliveryStatus.ANNULLED
    locked.save(update_fields=["status", "updated_at"])
    from torelik.exchange import tasks

    tasks.deliver.enqueue(partner=locked.partner)  # the case's later events may go now
    return locked
