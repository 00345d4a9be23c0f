"""Pieces shared by the events' schemas: the envelope every event travels in, the court, a party."""

import datetime as dt
import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Schema(BaseModel):
    """A published schema: unknown fields refused, so that a change of shape is a new version."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class CourtRef(Schema):
    code: str = Field(description="The court's code in the national registry (4 digits)")
    name_kk: str
    name_ru: str


class PartyRef(Schema):
    role: str = Field(description="claimant, defendant, applicant, accused, victim ...")
    name: str
    iin: str | None = Field(default=None, description="Individual identification number (12 digits)")
    bin: str | None = Field(default=None, description="Business identification number (12 digits)")


class Envelope(Schema):
    """What every partner receives: the event id to acknowledge once, the type and version of the payload
    (its JSON Schema at `schema`), the case it belongs to and its place in that case's order."""

    event_id: uuid.UUID = Field(description="Unique; a partner that receives it again answers as the first time")
    event_type: str
    schema_version: int
    schema_url: str = Field(alias="schema", description="Path of the payload's JSON Schema on the court's API")
    partner: str
    occurred_at: dt.datetime
    case_number: str | None = None
    sequence: int = Field(description="Increasing within a case and partner: events are delivered in this order")
    payload: dict[str, Any]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
