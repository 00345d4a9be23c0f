"""Inbound messages from partner systems (ADR 0098): `POST /api/v1/exchange/inbound/{topic}` with a JSON
envelope `{"message_id", "schema_version", "data"}`, the client's Bearer token and its signature of the
body. Each topic needs its scope and has its schemas by version: the enforcement committee's reports on
a writ's execution and the correctional system's arrivals and releases become case events, the post's
letter statuses go into the post's own tracking (whose final statuses are the case's record of service),
a state body's letter is registered and acknowledged (`letters`). A message id is answered once per
client: sent again it gets the same answer and is not applied again. Every call, accepted or refused,
is written to the client's journal."""

import datetime as dt
import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from torelik.acts.models import Act
from torelik.cases.actions import record_case_event
from torelik.cases.models import Case, CaseEventKind, Party
from torelik.core import clock
from torelik.core.errors import DomainError
from torelik.core.identifiers import IIN, IdentifierError
from torelik.exchange import clients, letters
from torelik.exchange.errors import (
    ExchangeConflictError,
    ExchangeError,
    ExchangeErrorCode,
    ExchangeForbiddenError,
    ExchangeInvalidError,
    ExchangeNotFoundError,
    invalid_field,
)
from torelik.exchange.models import CallOutcome, InboundMessage, PartnerClient, Scope
from torelik.post import actions as post_actions

logger = logging.getLogger(__name__)


class Envelope(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message_id: str = Field(..., min_length=1, max_length=100)
    schema_version: str = Field(..., min_length=1, max_length=10)
    sent_at: dt.datetime | None = None
    data: dict[str, Any]


class ExecutionReportV1(BaseModel):
    """The enforcement committee: execution proceedings on a writ started, completed, or the writ returned."""

    model_config = ConfigDict(extra="forbid")

    case_number: str = Field(..., min_length=1, max_length=40)
    writ: uuid.UUID
    proceedings_number: str = Field(..., min_length=1, max_length=60)
    status: Literal["started", "completed", "returned"]
    on: dt.date
    reason: str = Field("", max_length=500)

    @model_validator(mode="after")
    def _returned_has_reason(self) -> "ExecutionReportV1":
        if self.status == "returned" and not self.reason.strip():
            raise ValueError("reason")
        return self


class CustodyReportV1(BaseModel):
    """The correctional system: a convicted person arrived at or was released from an institution."""

    model_config = ConfigDict(extra="forbid")

    case_number: str = Field(..., min_length=1, max_length=40)
    person_iin: str = Field(..., min_length=12, max_length=12)
    event: Literal["arrived", "released"]
    on: dt.date
    institution: str = Field(..., min_length=1, max_length=200)
    institution_code: str = Field("", max_length=20)
    reason: str = Field("", max_length=500)


class PostEventV1(post_actions.WebhookEvent):
    """One event as the post's own webhook carries it, in bounds."""

    model_config = ConfigDict(extra="forbid")

    barcode: str = Field(..., min_length=1, max_length=20)
    id: str = Field(..., min_length=1, max_length=80)
    code: str = Field(..., min_length=1, max_length=40)
    at: dt.datetime
    reason: str = Field("", max_length=200)
    place: str = Field("", max_length=200)


class PostStatusesV1(BaseModel):
    """The post: tracking events of court letters, as its webhook carries them."""

    model_config = ConfigDict(extra="forbid")

    events: list[PostEventV1] = Field(..., min_length=1, max_length=1000)


Applier = Callable[[PartnerClient, str, Any, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Topic:
    scope: Scope
    schemas: dict[str, type[BaseModel]]
    apply: Applier


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


def _case(number: str) -> Case:
    case = Case.objects.filter(number=number.strip()).first()
    if case is None:
        raise invalid_field(
            ExchangeErrorCode.CASE_NOT_FOUND, _("There is no case %(number)s."), "case_number", number=number
        )
    return case


EXECUTION_KINDS = {
    "started": CaseEventKind.EXECUTION_STARTED,
    "completed": CaseEventKind.EXECUTION_COMPLETED,
    "returned": CaseEventKind.EXECUTION_RETURNED,
}


def apply_execution(
    client: PartnerClient, message_id: str, report: ExecutionReportV1, raw: dict[str, Any]
) -> dict[str, Any]:
    case = _case(report.case_number)
    act = (
        Act.objects.filter(case=case, writ__isnull=False)
        .filter(Q(writ__public_id=report.writ) | Q(public_id=report.writ))
        .first()
    )
    if act is None:
        raise invalid_field(
            ExchangeErrorCode.WRIT_NOT_FOUND, _("Case %(number)s has no such writ."), "writ", number=case.number
        )
    record_case_event(
        case=case,
        kind=EXECUTION_KINDS[report.status],
        actor=None,
        data={
            "partner": client.name,
            "message_id": message_id,
            "act": str(act.public_id),
            "proceedings": report.proceedings_number,
            "status": report.status,
            "on": report.on.isoformat(),
            "reason": report.reason,
        },
    )
    return {"message_id": message_id, "status": "accepted", "case_number": case.number}


def apply_custody(
    client: PartnerClient, message_id: str, report: CustodyReportV1, raw: dict[str, Any]
) -> dict[str, Any]:
    try:
        iin = str(IIN.parse(report.person_iin))
    except IdentifierError as error:
        raise invalid_field(ExchangeErrorCode.INVALID, error.message, "person_iin") from error
    case = _case(report.case_number)
    if not Party.objects.filter(case=case, person__iin=iin).exists():
        raise invalid_field(
            ExchangeErrorCode.NOT_A_PARTY,
            _("The person with this IIN is not a party to case %(number)s."),
            "person_iin",
            number=case.number,
        )
    record_case_event(
        case=case,
        kind=CaseEventKind.CUSTODY_ARRIVED if report.event == "arrived" else CaseEventKind.CUSTODY_RELEASED,
        actor=None,
        data={
            "partner": client.name,
            "message_id": message_id,
            "iin": iin,
            "on": report.on.isoformat(),
            "institution": report.institution,
            "institution_code": report.institution_code,
            "reason": report.reason,
        },
    )
    return {"message_id": message_id, "status": "accepted", "case_number": case.number}


def apply_post_statuses(
    client: PartnerClient, message_id: str, report: PostStatusesV1, raw: dict[str, Any]
) -> dict[str, Any]:
    result = post_actions.record_notices(report.events)
    return {
        "message_id": message_id,
        "status": "accepted",
        "recorded": result.recorded,
        "repeated": result.repeated,
        "unknown": result.unknown,
        "final": result.final,
    }


TOPICS: dict[str, Topic] = {
    "enforcement/executions": Topic(Scope.EXECUTIONS, {"1": ExecutionReportV1}, apply_execution),
    "corrections/custody": Topic(Scope.CUSTODY, {"1": CustodyReportV1}, apply_custody),
    "post/statuses": Topic(Scope.POST_STATUSES, {"1": PostStatusesV1}, apply_post_statuses),
    "esedo/letters": Topic(Scope.LETTERS, {"1": letters.IncomingLetterV1}, letters.receive_letter),
}


def schema_of(topic: str, version: str) -> dict[str, Any] | None:
    """The JSON Schema of a topic's message data in a version (published for partners)."""
    spec = TOPICS.get(topic)
    model = spec.schemas.get(version) if spec else None
    return model.model_json_schema() if model else None


def _fields(error: ValidationError) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for item in error.errors():
        names = [str(p) for p in item["loc"] if not isinstance(p, int)]
        fields.setdefault(names[-1] if names else "data", []).append(str(_("This value is missing or not valid.")))
    return fields


def _parse(body: bytes) -> Envelope:
    try:
        raw = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ExchangeError(ExchangeErrorCode.MALFORMED, _("The message is not JSON.")) from error
    try:
        return Envelope.model_validate(raw)
    except ValidationError as error:
        raise ExchangeError(
            ExchangeErrorCode.MALFORMED,
            _("The message is not an envelope of message_id, schema_version and data."),
            fields=_fields(error),
        ) from error


def _repeat(client: PartnerClient, topic: str, envelope: Envelope, digest: str) -> Answer | None:
    seen = InboundMessage.objects.filter(client=client, message_id=envelope.message_id).first()
    if seen is None:
        return None
    if seen.body_sha256 != digest or seen.topic != topic:
        raise ExchangeConflictError(
            ExchangeErrorCode.MESSAGE_ID_REUSED,
            _("Message %(id)s was received already with other content: a new message needs a new id."),
            params={"id": envelope.message_id},
        )
    clients.record_call(
        client=client,
        topic=topic,
        outcome=CallOutcome.REPEATED,
        status_code=seen.status_code,
        message_id=envelope.message_id,
        case_number=seen.case_number,
        body_sha256=digest,
    )
    return Answer(seen.status_code, seen.answer)


def _apply(client: PartnerClient, topic: str, spec: Topic, envelope: Envelope, digest: str) -> Answer:
    model = spec.schemas.get(envelope.schema_version)
    if model is None:
        known = ", ".join(sorted(spec.schemas))
        message = _("Schema version %(version)s of this topic is not known; known versions: %(known)s.")
        raise ExchangeError(
            ExchangeErrorCode.UNKNOWN_SCHEMA_VERSION,
            message,
            params={"version": envelope.schema_version, "known": known},
            fields={"schema_version": [str(message) % {"version": envelope.schema_version, "known": known}]},
        )
    try:
        data = model.model_validate(envelope.data)
    except ValidationError as error:
        raise ExchangeInvalidError(
            ExchangeErrorCode.INVALID, _("Some of the data sent is not valid."), fields=_fields(error)
        ) from error
    repeated = _repeat(client, topic, envelope, digest)
    if repeated is not None:
        return repeated
    try:
        with transaction.atomic():
            # The row first: a second copy of the message arriving at the same moment waits on its key and
            # is then answered as a repeat, never applied twice.
            row = InboundMessage.objects.create(
                client=client,
                message_id=envelope.message_id,
                topic=topic,
                schema_version=envelope.schema_version,
                body_sha256=digest,
                received_at=clock.now(),
                status_code=200,
            )
            answer = spec.apply(client, envelope.message_id, data, envelope.data)
            row.answer, row.case_number = answer, str(answer.get("case_number", ""))[:40]
            row.save(update_fields=["answer", "case_number"])
            clients.record_call(
                client=client,
                topic=topic,
                outcome=CallOutcome.ACCEPTED,
                status_code=200,
                message_id=envelope.message_id,
                case_number=row.case_number,
                body_sha256=digest,
            )
    except IntegrityError:
        repeated = _repeat(client, topic, envelope, digest)
        if repeated is None:
            raise
        return repeated
    return Answer(200, answer)


def receive(*, topic: str, token: str, signature: str, body: bytes) -> Answer:
    """One inbound call: who (token), the signature, the scope, the envelope and its schema version, then
    the message applied once. Refusals answer `{"code", "message", "fields"}` with their 4xx status and
    are journaled for the client (an unknown token has no client to journal it for: it is logged)."""
    digest = hashlib.sha256(body).hexdigest()
    try:
        client = clients.client_for(token)
    except DomainError as error:
        logger.warning("exchange: call with an unknown or revoked credential on %s", topic)
        return Answer(error.http_status, error.as_dict())
    message_id = ""
    try:
        spec = TOPICS.get(topic)
        if spec is None:
            raise ExchangeNotFoundError(
                ExchangeErrorCode.UNKNOWN_TOPIC, _("There is no inbound topic %(topic)s."), params={"topic": topic}
            )
        clients.check_signature(client, body=body, header=signature)
        if spec.scope not in client.scopes:
            raise ExchangeForbiddenError(
                ExchangeErrorCode.OUT_OF_SCOPE,
                _("This client may not send messages of the topic %(topic)s."),
                params={"topic": topic},
            )
        envelope = _parse(body)
        message_id = envelope.message_id
        return _apply(client, topic, spec, envelope, digest)
    except DomainError as error:
        clients.record_call(
            client=client,
            topic=topic,
            outcome=CallOutcome.REFUSED,
            status_code=error.http_status,
            message_id=message_id,
            code=error.code,
            body_sha256=digest,
        )
        return Answer(error.http_status, error.as_dict())
