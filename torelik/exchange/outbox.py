"""The exchange's public door (ADR 0092): `publish` writes an event for partner agencies into the outbox
in the caller's transaction and enqueues its delivery there too, so that the event and the change that
caused it are committed together or not at all.

    from torelik.exchange import outbox
    outbox.publish("statistical_report", report, court=None)            # every subscriber of the type
    outbox.publish("writ_in_force", payload, case=case, partner="enforcement")

`payload` is the event's schema model (`torelik.exchange.schemas`) or a mapping it validates; a payload
that does not fit the current version is refused (`ExchangeInvalidError`, `invalid_payload`), never sent.
A partner without an endpoint (not connected) gets nothing: `publish` returns the events it wrote.
"""

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError

from torelik.cases.models import Case
from torelik.core import clock
from torelik.courts.models import Court
from torelik.exchange import partners, schemas
from torelik.exchange.errors import ExchangeErrorCode, ExchangeInvalidError
from torelik.exchange.models import OutboundEvent
from torelik.exchange.schemas.common import Schema


def _validated(event_type: str, payload: Schema | Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
    schema = schemas.current(event_type)
    if schema is None:
        raise ExchangeInvalidError(
            ExchangeErrorCode.UNKNOWN_EVENT_TYPE,
            _("There is no event type %(type)s for partners."),
            params={"type": event_type},
        )
    try:
        model = payload if isinstance(payload, schema.model) else schema.model.model_validate(dict(payload))
    except (ValidationError, TypeError, ValueError) as error:
        raise ExchangeInvalidError(
            ExchangeErrorCode.INVALID_PAYLOAD,
            _("The event %(type)s does not fit its schema: %(error)s"),
            params={"type": event_type, "error": str(error)[:500]},
        ) from error
    return schema.version, model.model_dump(mode="json", exclude_none=True)


@transaction.atomic
def publish(
    event_type: str,
    payload: Schema | Mapping[str, Any],
    *,
    partner: str | None = None,
    case: Case | None = None,
    court: Court | None = None,
    occurred_at: dt.datetime | None = None,
) -> list[OutboundEvent]:
    """Write `payload` as an event of `event_type` for `partner` (or for every connected partner that
    subscribed to the type), ordered after the case's earlier events for the same partner."""
    if partner is not None and partner not in partners.PARTNERS:
        raise ExchangeInvalidError(
            ExchangeErrorCode.UNKNOWN_PARTNER, _("There is no partner %(partner)s."), params={"partner": partner}
        )
    version, body = _validated(event_type, payload)
    targets = [p for p in partners.subscribers(event_type) if partner is None or p.code == partner]
    if not targets:
        return []
    from torelik.exchange import tasks

    now = clock.now()
    rows = []
    for target in targets:
        event_id = uuid.uuid4()
        rows.append(
            OutboundEvent(
                public_id=event_id,
                partner=target.code,
                event_type=event_type,
                schema_version=version,
                case=case,
                court=court if court is not None else (case.court if case is not None else None),
                stream=f"{target.code}:case:{case.pk}" if case is not None else f"{target.code}:event:{event_id}",
                occurred_at=occurred_at or now,
                payload=body,
                next_attempt_at=now,
            )
        )
    written = OutboundEvent.objects.bulk_create(rows)
    for target in targets:
        tasks.deliver.enqueue(partner=target.code)
    return written
