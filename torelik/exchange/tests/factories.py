"""A case decided and in force with its writ of execution, a convicted person's case, and partners'
clients with their credentials; a signed inbound call as a partner sends it.

Acts about to enter into force (a civil decision with a writ, a criminal sentence), made directly as
the acts context leaves them once announced: what enters into force is then the acts' own daily task."""

import datetime as dt
import io
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.test import Client

from torelik.acts.models import Act, ActStatus, ActVersion
from torelik.acts.tests.factories import World, heard_case
from torelik.cases.actions import DocumentInput, add_document
from torelik.cases.models import CaseStatus, Party, PartyRole
from torelik.cases.tests.factories import DEFENDANT_IIN, pdf_bytes
from torelik.core import clock
from torelik.courts.models import ProceedingType
from torelik.exchange import clients
from torelik.exchange.models import PartnerKind
from torelik.identity.models import Person

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


# Announced on Mon 16 Nov 2026 in final form: one month ends on Wed 16 Dec, Independence Day; the last
# day moves to Thu 17 Dec, and the act is in force from Fri 18 Dec 2026 (ГПК РК art. 403, 434).
FINAL_FORM_ON = dt.date(2026, 11, 16)
TERM_END = dt.date(2026, 12, 17)
IN_FORCE_ON = dt.date(2026, 12, 18)


def announced_act(world: World, kind: str, operative: str) -> Act:
    act = Act.objects.create(
        case=world.case,
        kind=kind,
        language="ru",
        status=ActStatus.ANNOUNCED,
        signed_version=1,
        sha256="ab" * 32,
        final_form_on=FINAL_FORM_ON,
        announced_on=FINAL_FORM_ON,
        appeal_term_end=TERM_END,
    )
    ActVersion.objects.create(
        act=act,
        number=1,
        title="Решение",
        introductory="Вводная часть",
        descriptive="Описательная часть",
        reasoning="Мотивировочная часть",
        operative=operative,
        created_at=clock.now(),
    )
    return act


def decision_with_writ(code: str = "0215") -> Act:
    world = heard_case(code)
    return announced_act(world, "civil-decision", "Взыскать с ТОО «Алатау Строй» 1 500 000 тенге.")


def sentence(code: str = "0216") -> Act:
    world = heard_case(code)
    case = world.case
    case.proceeding_type = ProceedingType.CRIMINAL
    case.save(update_fields=["proceeding_type"])
    person, _created = Person.objects.get_or_create(
        iin=DEFENDANT_IIN, defaults={"surname": "Сапаров", "given_name": "Ерлан", "patronymic": "Маратович"}
    )
    Party.objects.create(case=case, role=PartyRole.ACCUSED, person=person, preferred_language="ru")
    return announced_act(world, "criminal-sentence", "Назначить наказание в виде лишения свободы сроком на 3 года.")
