"""The exchange's open API: the published JSON Schemas of the events partners receive (ADR 0093)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router
from pydantic import BaseModel

from torelik.core.api import ErrorOut
from torelik.core.errors import NotFoundError
from torelik.exchange import partners, schemas
from torelik.exchange.errors import ExchangeErrorCode

router = Router(tags=["exchange"])


class SchemaOut(BaseModel):
    event_type: str
    version: int
    current: bool
    url: str
    description: str
    partners: list[str]


def _not_found(event_type: str, version: int) -> NotFoundError:
    return NotFoundError(
        ExchangeErrorCode.UNKNOWN_SCHEMA,
        _("There is no schema %(type)s version %(version)s."),
        params={"type": event_type, "version": version},
    )


@router.get("/exchange/schemas", response=list[SchemaOut], auth=None, url_name="exchange_schemas")
def list_schemas(request: HttpRequest) -> list[SchemaOut]:
    """Every event type sent to partner agencies, each version, the partners that may take it."""
    return [
        SchemaOut(
            event_type=s.event_type,
            version=s.version,
            current=schemas.CURRENT.get(s.event_type) == s.version,
            url=s.path,
            description=partners.event_type_label(s.event_type),
            partners=[code for code, kind in partners.PARTNERS.items() if s.event_type in kind.event_types],
        )
        for s in schemas.SCHEMAS.values()
    ]


@router.get("/exchange/schemas/envelope", response=dict[str, Any], auth=None, url_name="exchange_envelope")
def envelope(request: HttpRequest) -> dict[str, Any]:
    """The JSON Schema of the envelope every event travels in (signed as a JWS or with an HMAC)."""
    return schemas.envelope_schema()


@router.get(
    "/exchange/schemas/{event_type}/v{version}",
    response={200: dict[str, Any], 404: ErrorOut},
    auth=None,
    url_name="exchange_schema",
)
def schema(request: HttpRequest, event_type: str, version: int) -> dict[str, Any]:
    """The JSON Schema (2020-12) of an event type's payload at a version."""
    found = schemas.SCHEMAS.get((event_type, version))
    if found is None:
        raise _not_found(event_type, version)
    return found.json_schema()
