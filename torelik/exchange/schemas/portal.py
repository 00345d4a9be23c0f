"""The schemas of what the e-government portal shows a citizen about their case."""

import datetime as dt
import uuid
from typing import Literal

from pydantic import Field

from torelik.exchange.schemas.common import CourtRef, Schema


class CaseStatusV1(Schema):
    case_number: str
    court: CourtRef
    from_status: str
    to_status: str
    changed_at: dt.datetime
    participants: list[str] = Field(description="IINs of the citizens who are parties: whom the portal shows it to")


class HearingV1(Schema):
    hearing_id: uuid.UUID
    case_number: str
    court: CourtRef
    change: Literal["scheduled", "postponed", "cancelled", "held"]
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    courtroom: str | None = None
    reason: str = ""
    participants: list[str] = Field(description="IINs of the citizens who are parties")
