"""The published, versioned schemas of the events sent to partners (ADR 0093). An event type's payload
at a version never changes shape: a change is a new version, and the JSON Schema files committed in
`json/` (which a test compares with the models) make an unnoticed change fail. Partners read them at
`GET /api/v1/exchange/schemas` and `/api/v1/exchange/schemas/{event_type}/v{version}`."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from torelik.exchange.schemas.acts import ReleaseDateV1, SentenceChangedV1, SentenceInForceV1, WritInForceV1
from torelik.exchange.schemas.common import Envelope, Schema
from torelik.exchange.schemas.portal import CaseStatusV1, HearingV1
from torelik.exchange.schemas.statistics import StatisticalReportV1

JSON_DIR = Path(__file__).parent / "json"


@dataclass(frozen=True)
class EventSchema:
    event_type: str
    version: int
    model: type[Schema]

    @property
    def path(self) -> str:
        return f"/api/v1/exchange/schemas/{self.event_type}/v{self.version}"

    @property
    def filename(self) -> str:
        return f"{self.event_type}.v{self.version}.json"

    def json_schema(self) -> dict[str, Any]:
        schema = self.model.model_json_schema()
        schema["$id"] = self.path
        schema["title"] = f"{self.event_type} v{self.version}"
        return schema


SCHEMAS: dict[tuple[str, int], EventSchema] = {
    (s.event_type, s.version): s
    for s in (
        EventSchema("writ_in_force", 1, WritInForceV1),
        EventSchema("sentence_in_force", 1, SentenceInForceV1),
        EventSchema("sentence_changed", 1, SentenceChangedV1),
        EventSchema("release_date", 1, ReleaseDateV1),
        EventSchema("case_status", 1, CaseStatusV1),
        EventSchema("hearing", 1, HearingV1),
        EventSchema("statistical_report", 1, StatisticalReportV1),
    )
}

# The version written for each event type today.
CURRENT: dict[str, int] = {}
for _type, _version in SCHEMAS:
    CURRENT[_type] = max(_version, CURRENT.get(_type, 0))


def current(event_type: str) -> EventSchema | None:
    version = CURRENT.get(event_type)
    return SCHEMAS[(event_type, version)] if version else None


def envelope_schema() -> dict[str, Any]:
    schema = Envelope.model_json_schema(by_alias=True)
    schema["$id"] = "/api/v1/exchange/schemas/envelope"
    return schema


def committed(schema: EventSchema) -> dict[str, Any]:
    """The JSON Schema as published (the file in `json/`)."""
    loaded: dict[str, Any] = json.loads((JSON_DIR / schema.filename).read_text(encoding="utf-8"))
    return loaded


def write_all() -> list[Path]:
    """Write the JSON Schema files of every version (`torelik exchange-schemas --write`)."""
    JSON_DIR.mkdir(exist_ok=True)
    written = []
    for schema in SCHEMAS.values():
        path = JSON_DIR / schema.filename
        path.write_text(json.dumps(schema.json_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    path = JSON_DIR / "envelope.json"
    path.write_text(json.dumps(envelope_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(path)
    return written


__all__ = ["CURRENT", "SCHEMAS", "Envelope", "EventSchema", "current", "envelope_schema", "write_all"]
