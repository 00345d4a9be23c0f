"""A case decided and in force with its writ of execution, a convicted person's case, and partners'
clients with their credentials; a signed inbound call as a partner sends it."""

import datetime as dt
import io
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.test import Client

from torelik.acts.models import Act, ActStatus
from torelik.acts.tests.factories import World, heard_case
from torelik.cases.actions import DocumentInput, add_document
from torelik.cases.models import CaseStatus
from torelik.cases.tests.factories import pdf_bytes
from torelik.exchange import clients
from torelik.exchange.models import PartnerKind

API = "/api/v1/exchange/inbound"
# A fixed moment (Almaty 10:00 on Monday 7 December 2026) from which every date is built.
NOW = dt.datetime(2026, 12, 7, 5, 0, tzinfo=dt.UTC)


@dataclass
class InForce:
    world: World
    act: Act
    writ_id: uuid.UUID


def case_with_writ(code: str = "0215") -> InForce:
    world = heard_case(code, status=CaseStatus.DECIDED)
    writ = add_document(
        case=world.case,
        document=DocumentInput(
            document_type="writ_of_execution",
            title="Исполнительный лист",
            filename="writ.pdf",
            content=io.BytesIO(pdf_bytes("writ")),
            dated=NOW.date(),
        ),
        actor=None,
    )
    act = Act.objects.create(
        case=world.case,
        kind="civil-decision",
        language="ru",
        status=ActStatus.SIGNED,
        in_force_on=NOW.date() - dt.timedelta(days=10),
        writ=writ,
    )
    return InForce(world=world, act=act, writ_id=writ.public_id)


def partner(kind: str, name: str = "", **more: Any) -> clients.NewClient:
    return clients.create_client(name=name or f"{kind} partner", kind=kind, actor=None, **more)


def envelope(data: dict[str, Any], *, message_id: str = "m-1", version: str = "1") -> bytes:
    return json.dumps({"message_id": message_id, "schema_version": version, "data": data}, ensure_ascii=False).encode()


def send(
    made: clients.NewClient,
    topic: str,
    body: bytes,
    *,
    signature: str | None = None,
    token: str | None = None,
) -> Any:
    headers = {"Authorization": f"Bearer {made.token if token is None else token}"}
    header = clients.hmac_header(made.secret, body, at=NOW) if signature is None else signature
    if header:
        headers[clients.SIGNATURE_HEADER] = header
    return Client(headers=headers).post(f"{API}/{topic}", body, content_type="application/json")


ENFORCEMENT = PartnerKind.ENFORCEMENT
