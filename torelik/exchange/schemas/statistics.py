"""The schema of a statistical report for the committee on legal statistics."""

import datetime as dt

from pydantic import Field

from torelik.exchange.schemas.common import CourtRef, Schema


class Figure(Schema):
    code: str = Field(description="The figure's code in the statistics' definitions")
    value: float
    court: str | None = Field(default=None, description="A court's code; absent: the whole scope")
    key: str = Field(default="", description="A breakdown (category, proceeding type ...)")


class StatisticalReportV1(Schema):
    report: str = Field(description="The report's form, e.g. the monthly report on cases")
    period: str = Field(description="2025, 2025-Q1, 2025-03")
    scope: CourtRef | None = Field(default=None, description="The court reported on; absent: the country")
    generated_at: dt.datetime
    figures: list[Figure]
    document_base64: str | None = Field(default=None, description="The signed report itself, when there is one")
