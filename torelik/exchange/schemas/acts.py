"""The schemas of acts in force: a writ for the enforcement committee; a sentence, its change and a
release date for the penal correction system."""

import datetime as dt
import uuid
from typing import Literal

from pydantic import Field

from torelik.exchange.schemas.common import CourtRef, PartyRef, Schema


class Attachment(Schema):
    document_id: uuid.UUID
    filename: str
    media_type: str
    sha256: str = Field(description="SHA-256 of the content, hex")
    content_base64: str = Field(description="The file (a PDF sealed by the court, PAdES)")


class WritInForceV1(Schema):
    """An act in force that needs enforcement, with its writ of execution (исполнительный лист)."""

    act_id: uuid.UUID
    act_kind: str
    case_number: str
    court: CourtRef
    in_force_on: dt.date
    creditors: list[PartyRef]
    debtors: list[PartyRef]
    operative_part: str
    writ: Attachment


class SentenceInForceV1(Schema):
    """A criminal sentence that entered into force: the correction system takes the convicted."""

    act_id: uuid.UUID
    case_number: str
    court: CourtRef
    in_force_on: dt.date
    convicted: list[PartyRef]
    operative_part: str
    sentence_sha256: str = Field(description="SHA-256 of the signed sentence (PDF)")


class SentenceChangedV1(Schema):
    """A higher court's act in force that changed or quashed a sentence."""

    act_id: uuid.UUID = Field(description="The higher court's act")
    sentence_act_id: uuid.UUID = Field(description="The sentence it reviewed")
    outcome: Literal["changed", "quashed", "sent_back", "upheld"]
    case_number: str
    court: CourtRef
    in_force_on: dt.date
    convicted: list[PartyRef]
    operative_part: str


class ReleaseDateV1(Schema):
    """The day a convicted person is to be released, as the court set or changed it."""

    case_number: str
    court: CourtRef
    person: PartyRef
    release_on: dt.date
    basis: str = Field(description="The act and the article of the law the day follows from")
